/**
 * The sending half of a simulated TCP connection (`SimTcpConn` extends it): the send buffer,
 * segmentation at the MSS, the peer's window, Nagle, cumulative ACK processing, go-back-N
 * retransmission on RTO with Zephyr's 1.5x backoff, fast retransmit after 3 duplicate ACKs, and
 * zero-window probes. No congestion control.
 *
 * Sequence numbers are kept unwrapped (ISN + offset, far below 2^53); the wire tap wraps them.
 */
import { ETIMEDOUT } from '../../libc/errno.ts';
import type { Endpoint, StreamEvents } from '../conn.ts';
import type { HostGate } from './host_gate.ts';
import { TCP_ACK, TCP_FIN, TCP_PSH, type Packet } from './packet.ts';
import type { Prng } from './prng.ts';
import { SendQueue } from './sendq.ts';
import { ZWP_MAX_DELAY_MS, type TcpParams } from './tcp_params.ts';
import { SimTimer, type NetSimHost } from './timer.ts';

export type TcpState =
  | 'SYN_SENT' | 'SYN_RCVD' | 'ESTABLISHED' | 'FIN_WAIT_1' | 'FIN_WAIT_2' | 'CLOSING'
  | 'TIME_WAIT' | 'CLOSE_WAIT' | 'LAST_ACK' | 'CLOSED';

/** What a connection needs from its node. */
export interface TcpNodeApi {
  readonly host: NetSimHost;
  /** The network's host gate (`toDuplex` pokes it). */
  readonly gate: HostGate;
  readonly prng: Prng;
  readonly arpTimeoutNs: number;
  sendTcp(c: TcpSender, flags: number, seq: number, ack: number, window: number, mss: number, payload: Uint8Array): void;
}

/** An owner event, raised once the segment or timer that caused it is fully handled. */
export type Emit = (ev: StreamEvents) => void;

export const EMPTY = new Uint8Array(0);

export abstract class TcpSender {
  abstract readonly local: Endpoint;
  abstract readonly remote: Endpoint;
  state: TcpState;
  /** Retransmission timeout of this connection, ms (randomized per connection as Zephyr does). */
  readonly rtoMs: number;
  protected readonly rtx: SimTimer;
  private readonly persist: SimTimer;
  protected rtxCount = 0;
  private zwpCount = 0;
  private dupAcks = 0;
  protected readonly iss: number;
  protected sndUna: number;
  protected sndNxt: number;
  protected sndMax: number;
  /** Sequence number after the last byte written (the FIN's, once queued). */
  protected sndWrEnd: number;
  private readonly sendq = new SendQueue();
  protected finQueued = false;
  private finSent = false;
  protected peerWnd = 0;
  protected peerMss = 536;
  private nodelay: boolean;
  protected wantWritable = false;
  /** Next sequence number expected from the peer (every segment acknowledges it). */
  protected rcvNxt = 0;
  /** Something arrived that deserves an ACK; sending any segment settles it. */
  protected ackNeeded = false;

  constructor(
    protected readonly node: TcpNodeApi,
    protected readonly params: TcpParams,
    /** Own MSS: the link MTU less IP and TCP headers. */
    protected readonly ownMss: number,
    state: TcpState,
  ) {
    this.state = state;
    this.nodelay = !params.nagle;
    this.rtoMs = params.randomizedRto ? ((512 + (node.prng.u32() & 0xff)) * params.initialRtoMs) >> 9 : params.initialRtoMs;
    this.iss = node.prng.u32();
    this.sndUna = this.sndNxt = this.sndMax = this.iss;
    this.sndWrEnd = this.iss + 1;
    this.rtx = new SimTimer(node.host, () => this.onRtxTimeout());
    this.persist = new SimTimer(node.host, () => this.onPersist());
  }

  /** Receive window to advertise. */
  protected abstract advWindow(): number;
  /** Queues an owner event. */
  protected abstract raise(fn: Emit): void;
  /** Our FIN was acknowledged. */
  protected abstract onFinAcked(): void;
  /** The connection failed: tell the owner and release it. */
  protected abstract fail(err: number): void;
  /** The retransmission timer expired. */
  protected abstract onRtxTimeout(): void;

  protected get mss(): number {
    return Math.min(this.ownMss, this.peerMss);
  }

  // ---- StreamConn's sending side ----

  writable(): number {
    if ((this.state !== 'ESTABLISHED' && this.state !== 'CLOSE_WAIT') || this.finQueued) return 0;
    let cap = this.params.sendBuffer;
    if (this.params.sendBufferFollowsPeerWindow && this.peerWnd < cap) cap = this.peerWnd;
    const room = cap - this.sendq.length;
    return room > 0 ? room : 0;
  }

  write(data: Uint8Array): number {
    const n = Math.min(this.writable(), data.length);
    if (n > 0) {
      this.sendq.push(n === data.length ? data : data.subarray(0, n));
      this.sndWrEnd += n;
      this.output();
    }
    if (n < data.length && this.state !== 'CLOSED' && !this.finQueued) this.wantWritable = true;
    return n;
  }

  pending(): number {
    return this.sendq.length;
  }

  setNoDelay(on: boolean): void {
    this.nodelay = on;
    if (on) this.output();
  }

  // ---- acknowledgements ----

  /** Handles the ACK field and window of an arriving segment. */
  protected onAck(p: Packet): void {
    const ack = p.ackNo;
    if (ack > this.sndMax) {
      this.ackNeeded = true; // acknowledges what we never sent
      return;
    }
    const oldWnd = this.peerWnd;
    this.peerWnd = p.window;
    if (ack > this.sndUna) {
      const from = Math.max(this.sndUna, this.iss + 1);
      const to = Math.min(ack, this.sndWrEnd);
      if (to > from) this.sendq.drop(to - from);
      this.sndUna = ack;
      if (this.sndNxt < ack) this.sndNxt = ack;
      this.rtxCount = 0;
      this.dupAcks = 0;
      if (this.sndUna === this.sndMax) this.rtx.stop();
      else this.rtx.start(this.rtoMs * 1e6);
      if (this.finSent && ack === this.sndWrEnd + 1) this.onFinAcked();
    } else if (ack === this.sndUna && this.sndMax > ack && p.payload.length === 0 && !(p.flags & TCP_FIN) && p.window === oldWnd) {
      if (++this.dupAcks === 3) this.sendFrom(this.sndUna, false); // fast retransmit
    }
    if (this.peerWnd > 0 && this.persist.armed) {
      this.persist.stop();
      this.zwpCount = 0;
    }
    this.checkWritable();
  }

  /** Raises onWritable if a write fell short and room appeared since. */
  protected checkWritable(): void {
    if (this.wantWritable && this.writable() > 0) {
      this.wantWritable = false;
      this.raise((ev) => ev.onWritable());
    }
  }

  // ---- output ----

  /** Sends what the window, Nagle and MSS allow, then the FIN when everything before it is out. */
  protected output(): void {
    const s = this.state;
    if (s === 'SYN_SENT' || s === 'SYN_RCVD' || s === 'CLOSED' || s === 'TIME_WAIT') return;
    const mss = this.mss;
    for (;;) {
      const unsent = this.sndWrEnd - this.sndNxt;
      if (unsent <= 0) {
        if (this.finQueued && this.sndNxt === this.sndWrEnd) this.sendFrom(this.sndNxt, true);
        return;
      }
      const avail = Math.min(unsent, this.sndUna + this.peerWnd - this.sndNxt);
      if (avail <= 0) {
        // Window closed with nothing in flight: only a probe can learn when it opens.
        if (this.sndNxt === this.sndUna && !this.persist.armed && !this.rtx.armed) this.persist.start(this.rtoMs * 1e6);
        return;
      }
      if (!this.nodelay && this.sndNxt > this.sndUna && avail < mss) return; // Nagle
      if (this.sendFrom(this.sndNxt, true, Math.min(avail, mss)) === 0) return;
    }
  }

  /**
   * Sends one segment starting at `seq` (at most `max` bytes, else an MSS), with the FIN when it
   * reaches the end of what was written after `end()`. Moves `sndNxt` when `advance`. Returns the
   * sequence space used.
   */
  private sendFrom(seq: number, advance: boolean, max = this.mss): number {
    const front = this.sndWrEnd - this.sendq.length;
    const n = Math.max(0, Math.min(max, this.sndWrEnd - seq));
    const fin = this.finQueued && seq + n === this.sndWrEnd;
    if (n === 0 && !fin) return 0;
    let flags = TCP_ACK;
    if (n > 0 && seq + n === this.sndWrEnd) flags |= TCP_PSH;
    if (fin) {
      flags |= TCP_FIN;
      if (!this.finSent) {
        this.finSent = true;
        if (this.state === 'ESTABLISHED') this.state = 'FIN_WAIT_1';
        else if (this.state === 'CLOSE_WAIT') this.state = 'LAST_ACK';
      }
    }
    const payload = n > 0 ? this.sendq.view(seq - front, n) : EMPTY;
    this.node.sendTcp(this, flags, seq, this.rcvNxt, this.advWindow(), 0, payload);
    this.ackNeeded = false;
    const used = n + (fin ? 1 : 0);
    if (advance) {
      this.sndNxt = seq + used;
      if (this.sndNxt > this.sndMax) this.sndMax = this.sndNxt;
    }
    if (!this.rtx.armed) this.rtx.start(this.rtoMs * 1e6);
    return used;
  }

  protected sendAck(): void {
    this.ackNeeded = false;
    // SND.MAX rather than SND.NXT: after a go-back-N this never looks like old data to the peer.
    this.node.sendTcp(this, TCP_ACK, this.sndMax, this.rcvNxt, this.advWindow(), 0, EMPTY);
  }

  // ---- timers ----

  /** RTO with data or FIN outstanding. */
  protected retransmitData(): void {
    if (this.sndUna === this.sndMax) return;
    if (this.rtxCount >= this.params.retries) {
      this.fail(-ETIMEDOUT);
      return;
    }
    // Zephyr's tcp_resend_data: go back to the first unacknowledged byte, send one segment, and
    // wait 1.5x longer each time (integer ms), except before the final give-up.
    this.rtxCount++;
    this.dupAcks = 0;
    this.sndNxt = this.sndUna;
    this.sendFrom(this.sndUna, true);
    let ms = this.rtoMs;
    if (this.rtxCount < this.params.retries) for (let i = 0; i < this.rtxCount; i++) ms += ms >> 1;
    this.rtx.start(ms * 1e6);
  }

  private onPersist(): void {
    if (this.state === 'CLOSED' || this.peerWnd > 0 || this.sndWrEnd === this.sndNxt) return;
    // Zephyr's tcp_send_zwp: an ACK one below what the peer has, which it must answer.
    this.node.sendTcp(this, TCP_ACK, this.sndUna - 1, this.rcvNxt, this.advWindow(), 0, EMPTY);
    if (this.zwpCount < 30) this.zwpCount++;
    this.persist.start(Math.min(this.rtoMs * 2 ** this.zwpCount, ZWP_MAX_DELAY_MS) * 1e6);
  }

  /** Stops the sender's timers (the connection is going away or into TIME-WAIT). */
  protected stopSending(): void {
    this.rtx.stop();
    this.persist.stop();
  }
}
