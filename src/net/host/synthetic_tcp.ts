/**
 * Synthetic TCP segments for captures of the host backend. Node never shows the real segments
 * the kernel exchanges, only the byte stream; to make `--pcap` useful anyway (Wireshark decodes
 * MQTT and TLS once the TCP stream is consistent), the stream is replayed as a plausible
 * conversation: a three-way handshake at connect, data cut at the MSS with running seq/ack
 * numbers, FIN (acknowledged) at each side's close, RST on abort.
 */
import type { Endpoint, StreamConn, StreamEvents, WireTap } from '../conn.ts';
import { ECONNREFUSED, ECONNRESET } from '../../libc/errno.ts';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;

/** Which end of the connection a segment comes from. */
export type TcpSide = 'local' | 'remote';

/** Options of {@link SyntheticTcp} and {@link tapStream}. */
export interface SyntheticTcpOptions {
  /** The simulation clock, ns (segments are stamped with it). */
  now: () => number;
  /** Largest payload per segment (default Ethernet's MSS: 1460 over IPv4, 1440 over IPv6). */
  mss?: number;
  /** Advertised window (default 65535). */
  window?: number;
}

/** FNV-1a: initial sequence numbers derived from the 4-tuple, so captures are reproducible. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Replays one connection's events as TCP segments into a `WireTap`. */
export class SyntheticTcp {
  private readonly window: number;
  private open = false;
  private done = false;
  /** Next sequence number of each side. */
  private seq: Record<TcpSide, number> = { local: 0, remote: 0 };
  private finSent: Record<TcpSide, boolean> = { local: false, remote: false };
  /** Data written before the handshake was seen (Node queues writes while connecting). */
  private early: Uint8Array[] = [];
  private earlyFin = false;

  /** `local`/`remote` are read when segments are made: a connecting socket learns its port late. */
  constructor(
    private readonly tap: WireTap,
    private readonly local: () => Endpoint,
    private readonly remote: () => Endpoint,
    private readonly opts: SyntheticTcpOptions,
  ) {
    this.window = opts.window ?? 65535;
  }

  /** SYN, SYN-ACK, ACK, `initiator` first; then anything written meanwhile. */
  handshake(initiator: TcpSide): void {
    if (this.open || this.done) return;
    const other: TcpSide = initiator === 'local' ? 'remote' : 'local';
    const tuple = `${this.local().addr}:${this.local().port}>${this.remote().addr}:${this.remote().port}`;
    this.seq = { local: fnv1a(`${tuple}/l`), remote: fnv1a(`${tuple}/r`) };
    this.emit(initiator, SYN, 0, new Uint8Array(0));
    this.seq[initiator] = (this.seq[initiator] + 1) >>> 0;
    this.emit(other, SYN | ACK, this.seq[initiator], new Uint8Array(0));
    this.seq[other] = (this.seq[other] + 1) >>> 0;
    this.emit(initiator, ACK, this.seq[other], new Uint8Array(0));
    this.open = true;
    for (const d of this.early) this.data('local', d);
    this.early = [];
    if (this.earlyFin) this.fin('local');
  }

  /** The connection attempt was refused: SYN answered by RST-ACK. */
  refused(): void {
    if (this.open || this.done) return;
    this.done = true;
    this.seq = { local: fnv1a(`${this.local().addr}:${this.local().port}`), remote: 0 };
    this.emit('local', SYN, 0, new Uint8Array(0));
    this.emit('remote', RST | ACK, (this.seq.local + 1) >>> 0, new Uint8Array(0));
  }

  /** `from` sent bytes: segments of at most `mss`, PSH on the last. */
  data(from: TcpSide, bytes: Uint8Array): void {
    if (this.done || bytes.length === 0) return;
    if (!this.open) {
      if (from === 'local') this.early.push(bytes.slice());
      return;
    }
    const other: TcpSide = from === 'local' ? 'remote' : 'local';
    const mss = Math.max(1, this.opts.mss ?? (this.local().family === 6 ? 1440 : 1460));
    for (let off = 0; off < bytes.length; off += mss) {
      const chunk = bytes.subarray(off, Math.min(bytes.length, off + mss));
      const last = off + mss >= bytes.length;
      this.emit(from, last ? PSH | ACK : ACK, this.seq[other], chunk);
      this.seq[from] = (this.seq[from] + chunk.length) >>> 0;
    }
  }

  /** `from` closed its sending side: FIN-ACK, acknowledged by the other side. */
  fin(from: TcpSide): void {
    if (this.done || this.finSent[from]) return;
    if (!this.open) {
      if (from === 'local') this.earlyFin = true;
      return;
    }
    const other: TcpSide = from === 'local' ? 'remote' : 'local';
    this.finSent[from] = true;
    this.emit(from, FIN | ACK, this.seq[other], new Uint8Array(0));
    this.seq[from] = (this.seq[from] + 1) >>> 0;
    this.emit(other, ACK, this.seq[from], new Uint8Array(0));
    if (this.finSent[other]) this.done = true;
  }

  /** `from` aborted the connection. */
  reset(from: TcpSide): void {
    if (this.done) return;
    this.done = true;
    if (!this.open) return; // nothing was on the wire yet that a RST could refer to
    const other: TcpSide = from === 'local' ? 'remote' : 'local';
    this.emit(from, RST | ACK, this.seq[other], new Uint8Array(0));
  }

  private emit(from: TcpSide, flags: number, ack: number, payload: Uint8Array): void {
    const l = this.local();
    const r = this.remote();
    this.tap.segment({
      timeNs: this.opts.now(),
      proto: 'tcp',
      src: from === 'local' ? l : r,
      dst: from === 'local' ? r : l,
      seq: this.seq[from],
      ack: flags & ACK ? ack : 0,
      flags,
      window: this.window,
      payload,
    });
  }
}

/** Forwards to an inner `StreamConn`, recording what crosses it as synthetic segments. */
class TappedStream implements StreamConn {
  private ev: StreamEvents | null = null;
  readonly setReceiveWindow?: (bytes: number) => void;
  readonly setNoDelay?: (on: boolean) => void;

  constructor(
    private readonly inner: StreamConn,
    private readonly synth: SyntheticTcp,
  ) {
    if (inner.setReceiveWindow) this.setReceiveWindow = (b) => inner.setReceiveWindow?.(b);
    if (inner.setNoDelay) this.setNoDelay = (on) => inner.setNoDelay?.(on);
    inner.setEvents({
      onConnect: () => {
        this.synth.handshake('local');
        this.ev?.onConnect();
      },
      onData: (d) => {
        this.synth.data('remote', d);
        this.ev?.onData(d);
      },
      onWritable: () => this.ev?.onWritable(),
      onEnd: () => {
        this.synth.fin('remote');
        this.ev?.onEnd();
      },
      onError: (err) => {
        if (err === -ECONNREFUSED) this.synth.refused();
        else if (err === -ECONNRESET) this.synth.reset('remote');
        this.ev?.onError(err);
      },
    });
  }

  get local(): Endpoint {
    return this.inner.local;
  }

  get remote(): Endpoint {
    return this.inner.remote;
  }

  write(data: Uint8Array): number {
    const n = this.inner.write(data);
    if (n > 0) this.synth.data('local', data.subarray(0, n));
    return n;
  }

  writable(): number {
    return this.inner.writable();
  }

  pending(): number {
    return this.inner.pending();
  }

  end(): void {
    this.inner.end();
    this.synth.fin('local');
  }

  destroy(): void {
    this.inner.destroy();
    this.synth.reset('local');
  }

  setEvents(ev: StreamEvents): void {
    this.ev = ev;
  }
}

/**
 * Wraps `conn` so that its byte stream is also written to `tap` as synthetic TCP segments.
 * `initiator` is who opened the connection: `'local'` for a connect (the handshake is recorded
 * at `onConnect`), `'remote'` for an accepted connection (recorded at once). Call `setEvents` on
 * the returned stream, not on `conn`, whose events the wrapper takes over.
 */
export function tapStream(
  conn: StreamConn,
  tap: WireTap,
  initiator: TcpSide,
  opts: SyntheticTcpOptions,
): StreamConn {
  const synth = new SyntheticTcp(tap, () => conn.local, () => conn.remote, opts);
  const wrapped = new TappedStream(conn, synth);
  if (initiator === 'remote') synth.handshake('remote');
  return wrapped;
}
