/**
 * A simulated TCP connection: Zephyr's TCP as seen from the socket layer, segment by segment over
 * the simulated links. 3-way handshake, MSS from the MTU, cumulative ACKs sent at once (no delayed
 * ACK), out-of-order segments held for reassembly, go-back-N retransmission on RTO with Zephyr's
 * 1.5x backoff, fast retransmit after 3 duplicate ACKs, zero-window probes, Nagle, FIN half-close,
 * TIME-WAIT, RST. No congestion control (Zephyr's windows are small enough that it rarely matters).
 *
 * Sequence numbers are kept unwrapped (ISN + offset, well below 2^53); the wire tap wraps them.
 */
import { ECONNREFUSED, ECONNRESET, EHOSTUNREACH, ETIMEDOUT } from '../../libc/errno.ts';
import type { Endpoint, StreamConn, StreamEvents } from '../conn.ts';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, type Packet } from './packet.ts';
import { Reassembly } from './reasm.ts';
import { SendQueue } from './sendq.ts';
import { ZWP_MAX_DELAY_MS, type TcpParams } from './tcp_params.ts';
import { SimTimer, type NetSimHost } from './timer.ts';
import type { Prng } from './prng.ts';
import type { HostGate } from './host_gate.ts';

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
  sendTcp(c: SimTcpConn, flags: number, seq: number, ack: number, window: number, mss: number, payload: Uint8Array): void;
  releaseTcp(c: SimTcpConn): void;
}

/** What a passively opened connection tells its listener. */
export interface TcpAcceptor {
  /** The handshake completed: hand the connection to the owner. */
  established(c: SimTcpConn): void;
  /** A half-open connection went away (timeout, RST). */
  abandoned(c: SimTcpConn): void;
}

const EMPTY = new Uint8Array(0);
type Emit = (ev: StreamEvents) => void;

export class SimTcpConn implements StreamConn {
  state: TcpState;
  /** Retransmission timeout of this connection, ms (randomized per connection as Zephyr does). */
  readonly rtoMs: number;
  private ev: StreamEvents | null;
  /** Events raised before the owner installed its callbacks, or while those are being replayed. */
  private early: Emit[] | null = null;
  /** destroy() was called: the owner wants no more events. */
  private detached = false;
  private readonly rtx: SimTimer;
  private readonly persist: SimTimer;
  /** ARP wait, then TIME-WAIT: never both. */
  private readonly misc: SimTimer;
  private rtxCount = 0;
  private zwpCount = 0;
  private dupAcks = 0;
  private arpPending = false;
  // Send side.
  private readonly iss: number;
  private sndUna: number;
  private sndNxt: number;
  private sndMax: number;
  /** Sequence number after the last byte written (the FIN's, once queued). */
  private sndWrEnd: number;
  private readonly sendq = new SendQueue();
  private finQueued = false;
  private finSent = false;
  private peerWnd = 0;
  private peerMss = 536;
  private nodelay: boolean;
  private wantWritable = false;
  // Receive side.
  private rcvNxt = 0;
  private readonly reasm = new Reassembly();
  private peerFinSeq = -1;
  private finRcvd = false;
  /** The owner's free receive space, or -1 while it never said (it takes data at once). */
  private rcvSpace = -1;
  /** Events of the segment being processed, raised once it is fully handled. */
  private pend: Emit[] = [];
  /** The handshake of a passive open just completed: tell the listener before raising events. */
  private toAccept = false;
  private ackNeeded = false;

  constructor(
    private readonly node: TcpNodeApi,
    readonly local: Endpoint,
    readonly remote: Endpoint,
    private readonly params: TcpParams,
    /** Own MSS: the link MTU less IP and TCP headers. */
    private readonly ownMss: number,
    ev: StreamEvents | null,
    private readonly acceptor: TcpAcceptor | null,
  ) {
    const host = node.host;
    this.ev = ev;
    this.nodelay = !params.nagle;
    this.rtoMs = params.randomizedRto ? ((512 + (node.prng.u32() & 0xff)) * params.initialRtoMs) >> 9 : params.initialRtoMs;
    this.iss = node.prng.u32();
    this.sndUna = this.sndNxt = this.sndMax = this.iss;
    this.sndWrEnd = this.iss + 1;
    this.rtx = new SimTimer(host, () => this.onRtxTimeout());
    this.persist = new SimTimer(host, () => this.onPersist());
    this.misc = new SimTimer(host, () => this.onMiscTimer());
    this.state = acceptor ? 'SYN_RCVD' : 'SYN_SENT';
  }

  /** The network's host gate, for host-side consumers of this connection (`toDuplex`). */
  get hostGate(): HostGate {
    return this.node.gate;
  }

  /** True for a connection a listener accepted (it shares the listener's port). */
  get passive(): boolean {
    return this.acceptor !== null;
  }

  // ---- opening ----

  /** Active open: SYN now, or -EHOSTUNREACH after the ARP timeout when no node has the address. */
  startConnect(reachable: boolean): void {
    if (!reachable) {
      this.arpPending = true;
      this.misc.start(this.node.arpTimeoutNs);
      return;
    }
    this.sendSyn();
    this.rtx.start(this.rtoMs * 1e6);
  }

  /** Passive open: a SYN arrived at a listener. */
  startAccept(syn: Packet): void {
    this.rcvNxt = syn.seqNo + 1;
    this.peerWnd = syn.window;
    this.peerMss = syn.mss || 536;
    this.sendSynAck();
    this.rtx.start(this.rtoMs * 1e6);
  }

  private get mss(): number {
    return Math.min(this.ownMss, this.peerMss);
  }

  private sendSyn(): void {
    this.sndNxt = this.sndMax = this.iss + 1;
    this.node.sendTcp(this, TCP_SYN, this.iss, 0, this.advWindow(), this.ownMss, EMPTY);
  }

  private sendSynAck(): void {
    this.sndNxt = this.sndMax = this.iss + 1;
    this.node.sendTcp(this, TCP_SYN | TCP_ACK, this.iss, this.rcvNxt, this.advWindow(), this.ownMss, EMPTY);
  }

  // ---- StreamConn ----

  setEvents(ev: StreamEvents): void {
    this.ev = ev;
    const early = this.early;
    if (!early || early.length === 0) {
      this.early = null;
      return;
    }
    // Replay from the queue, never inside the owner's own call; events keep queueing until then.
    const t = new SimTimer(this.node.host, () => {
      const list = this.early ?? [];
      this.early = null;
      for (const fn of list) if (!this.detached && this.ev) fn(this.ev);
    });
    t.start(0);
  }

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

  end(): void {
    if (this.finQueued || this.state === 'CLOSED' || this.detached) return;
    this.finQueued = true;
    this.output();
  }

  destroy(): void {
    if (this.detached) return;
    this.detached = true;
    if (this.state === 'CLOSED') return;
    if (!this.arpPending && this.state !== 'TIME_WAIT') {
      this.node.sendTcp(this, TCP_RST | TCP_ACK, this.sndMax, this.rcvNxt, 0, 0, EMPTY);
    }
    this.release();
  }

  setReceiveWindow(bytes: number): void {
    const before = this.advWindow();
    this.rcvSpace = Math.max(0, Math.floor(bytes));
    const after = this.advWindow();
    if (after <= before || this.finRcvd || !this.synchronized()) return;
    // Zephyr announces an opening window only when it stops being "short" (tcp_update_recv_wnd).
    const short = Math.min(this.mss, this.params.recvWindow >> 1);
    if (before <= short && after > short) this.sendAck();
  }

  setNoDelay(on: boolean): void {
    this.nodelay = on;
    if (on) this.output();
  }

  // ---- input ----

  /** A segment for this connection arrived. */
  input(p: Packet): void {
    if (this.state === 'CLOSED') return;
    const f = p.flags;
    if (f & TCP_RST) {
      this.onRst();
      return;
    }
    if (this.state === 'SYN_SENT') {
      if ((f & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK) && p.ackNo === this.iss + 1) this.onSynAck(p);
      return;
    }
    if (this.state === 'SYN_RCVD') {
      if (f & TCP_SYN) {
        this.sendSynAck(); // our SYN-ACK was lost
        return;
      }
      if (!(f & TCP_ACK) || p.ackNo !== this.iss + 1) return;
      this.rtx.stop();
      this.rtxCount = 0;
      this.sndUna = this.iss + 1;
      this.state = 'ESTABLISHED';
      this.toAccept = true;
    } else if (f & TCP_SYN) {
      this.sendAck(); // a repeated SYN-ACK: our ACK was lost
      return;
    }
    if (f & TCP_ACK) this.onAck(p);
    if ((this.state as TcpState) !== 'CLOSED') this.onData(p); // onAck may have closed it
    this.finishInput();
  }

  private finishInput(): void {
    if (this.state !== 'CLOSED' && this.state !== 'TIME_WAIT') this.output();
    if (this.ackNeeded) this.sendAck();
    this.flush();
  }

  private onSynAck(p: Packet): void {
    this.rcvNxt = p.seqNo + 1;
    this.sndUna = this.iss + 1;
    this.peerWnd = p.window;
    this.peerMss = p.mss || 536;
    this.rtx.stop();
    this.rtxCount = 0;
    this.state = 'ESTABLISHED';
    this.ackNeeded = true;
    this.raise((ev) => ev.onConnect());
    if (this.wantWritable && this.writable() > 0) {
      this.wantWritable = false;
      this.raise((ev) => ev.onWritable());
    }
    this.finishInput();
  }

  private onAck(p: Packet): void {
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
      if (++this.dupAcks === 3) this.sendFrom(this.sndUna, false);
    }
    if (this.peerWnd > 0 && this.persist.armed) {
      this.persist.stop();
      this.zwpCount = 0;
    }
    if (this.wantWritable && this.writable() > 0) {
      this.wantWritable = false;
      this.raise((ev) => ev.onWritable());
    }
  }

  private onFinAcked(): void {
    if (this.state === 'FIN_WAIT_1') this.state = 'FIN_WAIT_2';
    else if (this.state === 'CLOSING') this.enterTimeWait();
    else if (this.state === 'LAST_ACK') this.release();
  }

  private onData(p: Packet): void {
    const len = p.payload.length;
    const fin = (p.flags & TCP_FIN) !== 0;
    const seq = p.seqNo;
    if (len === 0 && !fin) {
      if (seq < this.rcvNxt) this.ackNeeded = true; // a zero-window probe
      return;
    }
    const end = seq + len + (fin ? 1 : 0);
    if (this.finRcvd || end <= this.rcvNxt) {
      this.ackNeeded = true; // a duplicate: our ACK was lost
      return;
    }
    const limit = this.rcvNxt + this.advWindow();
    this.ackNeeded = true;
    if (seq > this.rcvNxt) {
      // A gap: hold what fits in the window, and say again what we expect (a duplicate ACK).
      if (seq < limit) this.reasm.add(seq, p.payload.subarray(0, Math.min(len, limit - seq)));
      if (fin && seq + len <= limit) this.peerFinSeq = seq + len;
      return;
    }
    let data = seq < this.rcvNxt ? p.payload.subarray(this.rcvNxt - seq) : p.payload;
    const room = limit - this.rcvNxt;
    let finOk = fin;
    if (data.length > room) {
      data = data.subarray(0, room);
      finOk = false;
    }
    if (data.length > 0) this.deliver(data);
    if (finOk) this.peerFinSeq = this.rcvNxt;
    if (!this.reasm.empty) for (const d of this.reasm.take(this.rcvNxt)) this.deliver(d);
    if (this.peerFinSeq >= 0 && this.peerFinSeq === this.rcvNxt) this.onFin();
  }

  private deliver(data: Uint8Array): void {
    this.rcvNxt += data.length;
    if (this.rcvSpace >= 0) this.rcvSpace = Math.max(0, this.rcvSpace - data.length);
    this.raise((ev) => ev.onData(data));
  }

  private onFin(): void {
    this.rcvNxt++;
    this.finRcvd = true;
    this.reasm.clear();
    this.raise((ev) => ev.onEnd());
    if (this.state === 'ESTABLISHED') this.state = 'CLOSE_WAIT';
    else if (this.state === 'FIN_WAIT_1') this.state = 'CLOSING';
    else if (this.state === 'FIN_WAIT_2') this.enterTimeWait();
  }

  private onRst(): void {
    const s = this.state;
    if (s === 'SYN_RCVD' || s === 'TIME_WAIT') {
      this.release();
      return;
    }
    this.fail(s === 'SYN_SENT' ? -ECONNREFUSED : -ECONNRESET);
  }

  // ---- output ----

  private synchronized(): boolean {
    const s = this.state;
    return s !== 'SYN_SENT' && s !== 'SYN_RCVD' && s !== 'CLOSED';
  }

  /** Sends what the window, Nagle and MSS allow, then the FIN when everything before it is out. */
  private output(): void {
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

  private sendAck(): void {
    this.ackNeeded = false;
    // SND.MAX rather than SND.NXT: after a go-back-N this never looks like old data to the peer.
    this.node.sendTcp(this, TCP_ACK, this.sndMax, this.rcvNxt, this.advWindow(), 0, EMPTY);
  }

  private advWindow(): number {
    const w = this.params.recvWindow;
    return this.rcvSpace >= 0 && this.rcvSpace < w ? this.rcvSpace : w;
  }

  // ---- timers ----

  private onRtxTimeout(): void {
    const s = this.state;
    if (s === 'SYN_SENT' || s === 'SYN_RCVD') {
      // Zephyr resends SYN and SYN-ACK from its send queue at a fixed RTO.
      if (this.rtxCount >= this.params.retries) {
        if (s === 'SYN_SENT') this.fail(-ETIMEDOUT);
        else this.release();
        return;
      }
      this.rtxCount++;
      if (s === 'SYN_SENT') this.sendSyn();
      else this.sendSynAck();
      this.rtx.start(this.rtoMs * 1e6);
      return;
    }
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

  private onMiscTimer(): void {
    if (this.arpPending) this.fail(-EHOSTUNREACH);
    else if (this.state === 'TIME_WAIT') this.release();
  }

  private enterTimeWait(): void {
    this.state = 'TIME_WAIT';
    this.rtx.stop();
    this.persist.stop();
    this.misc.start(this.params.timeWaitMs * 1e6);
  }

  // ---- ending ----

  /** Queues an owner event; `flush` raises it once the segment or timer is fully handled. */
  private raise(fn: Emit): void {
    if (!this.detached) this.pend.push(fn);
  }

  /**
   * Raises the queued events in order: the owner may call back into the connection from them,
   * so the connection's state is complete by then. Events for an owner that has not installed
   * its callbacks yet (an accepted connection) wait for `setEvents`.
   */
  private flush(): void {
    if (this.toAccept) {
      this.toAccept = false;
      this.acceptor!.established(this);
    }
    while (this.pend.length > 0) {
      const pend = this.pend;
      this.pend = [];
      for (const fn of pend) {
        if (this.detached) return;
        if (this.ev && !this.early) fn(this.ev);
        else (this.early ??= []).push(fn);
      }
    }
  }

  private fail(err: number): void {
    const half = this.state === 'SYN_RCVD';
    this.release();
    if (half) return;
    this.raise((ev) => ev.onError(err));
    this.flush();
  }

  private release(): void {
    if (this.state === 'CLOSED') return;
    const wasHalf = this.state === 'SYN_RCVD';
    this.state = 'CLOSED';
    this.arpPending = false;
    this.rtx.stop();
    this.persist.stop();
    this.misc.stop();
    this.node.releaseTcp(this);
    if (wasHalf) this.acceptor?.abandoned(this);
  }
}
