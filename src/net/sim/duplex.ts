/**
 * A Node `Duplex` over a `StreamConn`, so host-side Node code (aedes' `handle`, `node:tls`'
 * `TLSSocket`/`tls.connect({ socket })`) can sit on a simulated connection.
 *
 * Virtual time and host code: every byte handed to the consumer and every write it makes pokes
 * the network's host gate (`host_gate.ts`), which keeps the simulation at the current instant
 * until the consumer has been idle for a few event-loop turns. So the consumer's answers go out
 * at the virtual time of what they answer, the same in every run.
 *
 * Semantics follow `net.Socket` where it matters: `destroy()` closes gracefully as close(2) does
 * (FIN after what was already accepted by the send buffer; bytes still queued in the Duplex are
 * discarded), and data that arrives afterwards resets the connection, as Linux does. The
 * receive window follows the Readable's buffer once the consumer stops reading.
 */
import { Duplex } from 'node:stream';
import { ECONNREFUSED, ECONNRESET, EHOSTUNREACH, ETIMEDOUT } from '../../libc/errno.ts';
import type { Endpoint, NetInterface, StreamConn, StreamEvents } from '../conn.ts';
import type { HostGate } from './host_gate.ts';

export interface DuplexOptions {
  /** Gate to poke; defaults to the network's gate when `conn` is a simulated connection. */
  gate?: HostGate | null;
  /** Readable buffer above which the receive window closes (default 64 KiB). */
  highWaterMark?: number;
}

const CODES: Record<number, string> = {
  [-ECONNRESET]: 'ECONNRESET',
  [-ECONNREFUSED]: 'ECONNREFUSED',
  [-ETIMEDOUT]: 'ETIMEDOUT',
  [-EHOSTUNREACH]: 'EHOSTUNREACH',
};

/** An Error shaped like Node's socket errors (`code`, negative `errno`). */
export function connError(err: number): Error & { code: string; errno: number } {
  const code = CODES[err] ?? `E${-err}`;
  return Object.assign(new Error(`simulated connection: ${code}`), { code, errno: err });
}

export class SimDuplex extends Duplex {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly remoteFamily: 'IPv4' | 'IPv6';
  readonly localAddress: string;
  readonly localPort: number;
  private readonly gate: HostGate | null;
  private readonly hwm: number;
  private pendingData: Uint8Array | null = null;
  private pendingCb: ((err?: Error | null) => void) | null = null;
  /** The receive window follows the readable buffer (after the consumer first fell behind). */
  private windowManaged = false;
  private closedByUs = false;

  constructor(
    readonly conn: StreamConn,
    opts: DuplexOptions = {},
  ) {
    const hwm = opts.highWaterMark ?? 65536;
    super({ allowHalfOpen: true, readableHighWaterMark: hwm });
    this.hwm = hwm;
    this.gate = opts.gate !== undefined ? opts.gate : gateOf(conn);
    this.remoteAddress = conn.remote.addr;
    this.remotePort = conn.remote.port;
    this.remoteFamily = conn.remote.family === 4 ? 'IPv4' : 'IPv6';
    this.localAddress = conn.local.addr;
    this.localPort = conn.local.port;
    const events: StreamEvents = {
      onConnect: () => {
        this.gate?.poke();
        this.emit('connect');
      },
      onData: (d) => this.onData(d),
      onWritable: () => this.pump(),
      onEnd: () => {
        this.gate?.poke();
        this.push(null);
      },
      onError: (err) => {
        this.gate?.poke();
        this.destroy(connError(err));
      },
    };
    conn.setEvents(events);
  }

  /** Like `net.Socket.setNoDelay`. */
  setNoDelay(on = true): this {
    this.conn.setNoDelay?.(on);
    return this;
  }

  /** Like `net.Socket.address()`. */
  address(): { address: string; port: number; family: string } {
    return { address: this.localAddress, port: this.localPort, family: this.remoteFamily };
  }

  private onData(d: Uint8Array): void {
    if (this.closedByUs) {
      // Data for a closed socket: Linux answers with RST.
      this.conn.destroy();
      return;
    }
    this.gate?.poke();
    if (!this.push(Buffer.from(d.buffer, d.byteOffset, d.length)) || this.windowManaged) {
      this.windowManaged = true;
      this.conn.setReceiveWindow?.(Math.max(0, this.hwm - this.readableLength));
    }
  }

  override _read(): void {
    if (this.windowManaged) this.conn.setReceiveWindow?.(Math.max(0, this.hwm - this.readableLength));
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.pendingData = chunk;
    this.pendingCb = cb;
    this.pump();
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    // One write for a corked batch (mqtt-packet corks a packet's pieces): one segment, as a socket would.
    this._write(Buffer.concat(chunks.map((c) => c.chunk)), 'binary', cb);
  }

  private pump(): void {
    const data = this.pendingData;
    if (!data) return;
    const n = this.conn.write(data);
    if (n > 0) this.gate?.poke();
    if (n < data.length) {
      this.pendingData = data.subarray(n);
      return;
    }
    const cb = this.pendingCb!;
    this.pendingData = null;
    this.pendingCb = null;
    cb();
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.gate?.poke();
    this.conn.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.gate?.poke();
    this.pendingData = null;
    const pcb = this.pendingCb;
    this.pendingCb = null;
    if (pcb) pcb(err ?? new Error('socket destroyed'));
    if (!this.closedByUs) {
      this.closedByUs = true;
      this.conn.end();
    }
    cb(err);
  }
}

function gateOf(conn: StreamConn): HostGate | null {
  const g = (conn as { hostGate?: HostGate }).hostGate;
  return g ?? null;
}

/** Wraps a stream connection in a Node Duplex (see `SimDuplex`). */
export function toDuplex(conn: StreamConn, opts?: DuplexOptions): SimDuplex {
  return new SimDuplex(conn, opts);
}

/**
 * Opens a stream from `node` to `remote` and wraps it at once, for host-side clients: the Duplex
 * emits 'connect' when the handshake completes. Returns a negative errno when `connect` fails
 * synchronously.
 */
export function connectDuplex(node: NetInterface, remote: Endpoint, opts?: DuplexOptions): SimDuplex | number {
  const placeholder: StreamEvents = { onConnect() {}, onData() {}, onWritable() {}, onEnd() {}, onError() {} };
  const conn = node.connect(remote, null, placeholder);
  return typeof conn === 'number' ? conn : new SimDuplex(conn, opts);
}
