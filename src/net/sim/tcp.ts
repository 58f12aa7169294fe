/**
 * A simulated TCP connection: Zephyr's TCP as the socket layer sees it, segment by segment over
 * the simulated links. This file holds the connection's life (3-way handshake, FIN half-close,
 * TIME-WAIT, RST), its receiving half (cumulative ACKs sent at once, no delayed ACK; segments
 * after a gap held for reassembly; the receive window) and its events; `tcp_sender.ts` holds the
 * sending half.
 *
 * Owner events are raised after the segment or timer that caused them is fully handled, so the
 * owner may call back into the connection from them. An accepted connection keeps its events
 * until the owner installs callbacks with `setEvents`.
 */
import { ECONNREFUSED, ECONNRESET, EHOSTUNREACH, ETIMEDOUT } from '../../libc/errno.ts';
import type { Endpoint, StreamConn, StreamEvents } from '../conn.ts';
import type { HostGate } from './host_gate.ts';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type Packet } from './packet.ts';
import { Reassembly } from './reasm.ts';
import { EMPTY, TcpSender, type Emit, type TcpNodeApi, type TcpState } from './tcp_sender.ts';
import type { TcpParams } from './tcp_params.ts';
import { SimTimer } from './timer.ts';

export type { TcpState, TcpNodeApi } from './tcp_sender.ts';

/** What a connection needs from its node besides sending. */
export interface TcpConnNode extends TcpNodeApi {
  releaseTcp(c: SimTcpConn): void;
}

/** What a passively opened connection tells its listener. */
export interface TcpAcceptor {
  /** The handshake completed: hand the connection to the owner. */
  established(c: SimTcpConn): void;
  /** A half-open connection went away (timeout, RST). */
  abandoned(c: SimTcpConn): void;
}

export class SimTcpConn extends TcpSender implements StreamConn {
  private ev: StreamEvents | null;
  /** Events raised before the owner installed its callbacks, or while those are being replayed. */
  private early: Emit[] | null = null;
  /** destroy() was called: the owner wants no more events. */
  private detached = false;
  /** ARP wait, then TIME-WAIT: never both. */
  private readonly misc: SimTimer;
  private arpPending = false;
  private readonly reasm = new Reassembly();
  private peerFinSeq = -1;
  private finRcvd = false;
  /** The owner's free receive space, or -1 while it never said (it takes data at once). */
  private rcvSpace = -1;
  /** Events of the segment or timer being handled. */
  private pend: Emit[] = [];
  /** The handshake of a passive open just completed: tell the listener before raising events. */
  private toAccept = false;

  constructor(
    private readonly conns: TcpConnNode,
    readonly local: Endpoint,
    readonly remote: Endpoint,
    params: TcpParams,
    ownMss: number,
    ev: StreamEvents | null,
    private readonly acceptor: TcpAcceptor | null,
  ) {
    super(conns, params, ownMss, acceptor ? 'SYN_RCVD' : 'SYN_SENT');
    this.ev = ev;
    this.misc = new SimTimer(conns.host, () => this.onMiscTimer());
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
    this.sendSyn();
    this.rtx.start(this.rtoMs * 1e6);
  }

  /** SYN, or SYN-ACK for a passive open. */
  private sendSyn(): void {
    this.sndNxt = this.sndMax = this.iss + 1;
    const flags = this.passive ? TCP_SYN | TCP_ACK : TCP_SYN;
    this.node.sendTcp(this, flags, this.iss, this.passive ? this.rcvNxt : 0, this.advWindow(), this.ownMss, EMPTY);
  }

  // ---- StreamConn (the sending calls are TcpSender's) ----

  setEvents(ev: StreamEvents): void {
    this.ev = ev;
    if (!this.early || this.early.length === 0) {
      this.early = null;
      return;
    }
    // Replay from the queue, never inside the owner's own call; events keep queueing until then.
    new SimTimer(this.node.host, () => {
      const list = this.early ?? [];
      this.early = null;
      for (const fn of list) if (!this.detached && this.ev) fn(this.ev);
    }).start(0);
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
    const s = this.state;
    if (after <= before || this.finRcvd || s === 'SYN_SENT' || s === 'SYN_RCVD' || s === 'CLOSED') return;
    // Zephyr announces an opening window only when it stops being "short" (tcp_update_recv_wnd).
    const short = Math.min(this.mss, this.params.recvWindow >> 1);
    if (before <= short && after > short) this.sendAck();
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
        this.sendSyn(); // our SYN-ACK was lost
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
    this.checkWritable();
    this.finishInput();
  }

  protected onFinAcked(): void {
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
    this.ackNeeded = true;
    if (this.finRcvd || end <= this.rcvNxt) return; // a duplicate: our ACK was lost
    const limit = this.rcvNxt + this.advWindow();
    if (seq > this.rcvNxt) {
      // A gap: hold what fits in the window; the ACK repeats what we expect (a duplicate ACK).
      if (seq < limit) this.reasm.add(seq, p.payload.subarray(0, Math.min(len, limit - seq)));
      if (fin && seq + len <= limit) this.peerFinSeq = seq + len;
      return;
    }
    let data = seq < this.rcvNxt ? p.payload.subarray(this.rcvNxt - seq) : p.payload;
    let finOk = fin;
    if (data.length > limit - this.rcvNxt) {
      data = data.subarray(0, limit - this.rcvNxt);
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
    if (s === 'SYN_RCVD' || s === 'TIME_WAIT') this.release();
    else this.fail(s === 'SYN_SENT' ? -ECONNREFUSED : -ECONNRESET);
  }

  protected advWindow(): number {
    const w = this.params.recvWindow;
    return this.rcvSpace >= 0 && this.rcvSpace < w ? this.rcvSpace : w;
  }

  // ---- timers ----

  protected onRtxTimeout(): void {
    const s = this.state;
    if (s !== 'SYN_SENT' && s !== 'SYN_RCVD') {
      this.retransmitData();
      return;
    }
    // Zephyr resends SYN and SYN-ACK from its send queue at a fixed RTO.
    if (this.rtxCount >= this.params.retries) {
      if (s === 'SYN_SENT') this.fail(-ETIMEDOUT);
      else this.release();
      return;
    }
    this.rtxCount++;
    this.sendSyn();
    this.rtx.start(this.rtoMs * 1e6);
  }

  private onMiscTimer(): void {
    if (this.arpPending) this.fail(-EHOSTUNREACH);
    else if (this.state === 'TIME_WAIT') this.release();
  }

  private enterTimeWait(): void {
    this.state = 'TIME_WAIT';
    this.stopSending();
    this.misc.start(this.params.timeWaitMs * 1e6);
  }

  // ---- events and ending ----

  protected raise(fn: Emit): void {
    if (!this.detached) this.pend.push(fn);
  }

  /** Raises the queued events in order, after telling the listener about a completed handshake. */
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

  protected fail(err: number): void {
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
    this.stopSending();
    this.misc.stop();
    this.conns.releaseTcp(this);
    if (wasHalf) this.acceptor?.abandoned(this);
  }
}
