/**
 * A `StreamConn` over a Node `Duplex`: a `net.Socket` of the host backend, or any connected duplex
 * (a `tls.TLSSocket` the socket layer builds over either backend).
 *
 * Node streams buffer without limit, while a board's socket has a bounded send buffer: `write`
 * takes only what fits in a budget of bytes Node still holds (`writableLength`, i.e. not yet
 * handed to the kernel) and reports the rest as not taken, so a board that writes faster than
 * the network drains sees partial writes and -EAGAIN, as on a real stack.
 */
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Endpoint, StreamConn, StreamEvents } from '../conn.ts';
import { EPIPE, ECONNRESET } from '../../libc/errno.ts';
import { zephyrErrno } from './errno_map.ts';

/** Default send-buffer budget: bytes accepted by `write` but not yet taken by the kernel. */
export const DEFAULT_SEND_BUFFER = 8 * 1024;

/** First size of the buffer that gathers one turn's writes (grown up to the budget). */
const BATCH_START = 2048;

/** Options of {@link streamFromDuplex}. */
export interface DuplexStreamOptions {
  /** Send-buffer budget in bytes (default {@link DEFAULT_SEND_BUFFER}). */
  sendBuffer?: number;
  /**
   * `Simulation.beginHostIo`, bound: while the stream may still deliver (connecting, reading,
   * or waiting for send space) a token is held so an idle simulation waits instead of ending.
   */
  beginHostIo?: () => () => void;
  /**
   * The event the duplex emits once connected (`'connect'`, `'secureConnect'`); `onConnect` is
   * called then. Absent: the duplex is already connected and `onConnect` is never called.
   */
  connectEvent?: string;
  /** Maps a duplex error to a negative errno (default: {@link zephyrErrno}). */
  mapError?: (err: unknown) => number;
  /** Initial callbacks (otherwise set later with `setEvents`). */
  events?: StreamEvents;
}

const NO_EVENTS: StreamEvents = {
  onConnect() {},
  onData() {},
  onWritable() {},
  onEnd() {},
  onError() {},
};

/** Reads a socket's address pair when Node knows it (a TLSSocket over a plain Duplex does not). */
function socketEndpoint(addr: string | undefined, family: string | undefined, port: number | undefined): Endpoint | null {
  if (!addr || port === undefined) return null;
  return { family: family === 'IPv6' || net.isIPv6(addr) ? 6 : 4, addr, port };
}

/** The `StreamConn` implementation shared by the host backend and {@link streamFromDuplex}. */
export class DuplexStream implements StreamConn {
  private ev: StreamEvents;
  private readonly budget: number;
  private readonly mapError: (err: unknown) => number;
  private readonly beginHostIo: (() => () => void) | undefined;
  private releaseIo: (() => void) | null = null;
  private connecting: boolean;
  /** We sent FIN (`end`). */
  private ended = false;
  /** The peer sent FIN. */
  private readEnded = false;
  /** Errored, destroyed or closed: no more events, no more writes. */
  private dead = false;
  private error = 0;
  private paused = false;
  /** A `write` was short: tell the owner when space frees up. */
  private wantWritable = false;
  /** Bytes taken by `write` since the board last yielded, handed to Node together by `flush`. */
  private batch: Buffer | null = null;
  private batchBytes = 0;

  constructor(
    private readonly d: Duplex,
    private localEp: Endpoint,
    private remoteEp: Endpoint,
    opts: DuplexStreamOptions = {},
  ) {
    this.ev = opts.events ?? NO_EVENTS;
    this.budget = Math.max(1, opts.sendBuffer ?? DEFAULT_SEND_BUFFER);
    this.mapError = opts.mapError ?? zephyrErrno;
    this.beginHostIo = opts.beginHostIo;
    this.connecting = opts.connectEvent !== undefined;
    if (opts.connectEvent !== undefined) d.once(opts.connectEvent, this.onConnected);
    d.on('data', this.onData);
    d.on('end', this.onEnd);
    // Always listened to, even once dead: an unhandled 'error' would crash the process.
    d.on('error', this.onError);
    d.on('close', this.onClose);
    d.on('drain', this.checkWritable);
    this.refreshEndpoints();
    this.syncIo();
  }

  get local(): Endpoint {
    return this.localEp;
  }

  get remote(): Endpoint {
    return this.remoteEp;
  }

  /** The Node duplex underneath (for the TLS layer and tests). */
  get duplex(): Duplex {
    return this.d;
  }

  write(data: Uint8Array): number {
    if (this.error) return this.error;
    if (this.dead || this.ended) return -EPIPE;
    const n = Math.min(this.writable(), data.length);
    if (n > 0) {
      // Writes made before the board next yields reach the kernel as one write, not a syscall
      // per zsock_send (as a real stack coalesces segments): same bytes, same order. Copied:
      // the caller's buffer is board memory it will reuse once we return.
      let b = this.batch;
      if (b === null) {
        process.nextTick(this.flush);
        b = this.batch = Buffer.allocUnsafe(Math.min(this.budget, Math.max(n, BATCH_START)));
      } else if (b.length - this.batchBytes < n) {
        const grown = Buffer.allocUnsafe(Math.min(this.budget, Math.max(this.batchBytes + n, 2 * b.length)));
        b.copy(grown, 0, 0, this.batchBytes);
        b = this.batch = grown;
      }
      b.set(n === data.length ? data : data.subarray(0, n), this.batchBytes);
      this.batchBytes += n;
    }
    if (n < data.length) {
      this.wantWritable = true;
      this.syncIo();
    }
    return n;
  }

  writable(): number {
    if (this.dead || this.ended) return 0;
    return Math.max(0, this.budget - this.d.writableLength - this.batchBytes);
  }

  /**
   * Bytes Node still holds. What the kernel holds unacknowledged is invisible from Node, so
   * this is 0 as soon as the kernel took everything.
   */
  pending(): number {
    return this.dead ? 0 : this.d.writableLength + this.batchBytes;
  }

  end(): void {
    if (this.dead || this.ended) return;
    this.flush(); // FIN goes after what was written
    this.ended = true;
    this.wantWritable = false;
    this.d.end();
    this.syncIo();
  }

  destroy(): void {
    if (this.dead) return;
    this.dead = true;
    this.syncIo();
    const d = this.d;
    if (d instanceof net.Socket && typeof d.resetAndDestroy === 'function') {
      try {
        d.resetAndDestroy(); // RST instead of FIN, as Zephyr's abort does
        return;
      } catch {
        // A TLSSocket's handle is not a TCP handle: fall through to a plain destroy.
      }
    }
    d.destroy();
  }

  setEvents(ev: StreamEvents): void {
    this.ev = ev;
  }

  /** Window 0 pauses reading, so the real TCP window closes and the peer stops sending. */
  setReceiveWindow(bytes: number): void {
    const paused = bytes <= 0;
    if (paused === this.paused || this.dead) return;
    this.paused = paused;
    if (paused) this.d.pause();
    else this.d.resume();
    this.syncIo();
  }

  setNoDelay(on: boolean): void {
    if (this.d instanceof net.Socket) this.d.setNoDelay(on);
  }

  private refreshEndpoints(): void {
    if (!(this.d instanceof net.Socket)) return;
    const s = this.d;
    this.localEp = socketEndpoint(s.localAddress, s.localFamily, s.localPort) ?? this.localEp;
    this.remoteEp = socketEndpoint(s.remoteAddress, s.remoteFamily, s.remotePort) ?? this.remoteEp;
  }

  /** Holds a host-I/O token exactly while this stream may still produce an event someone awaits. */
  private syncIo(): void {
    if (!this.beginHostIo) return;
    const need = !this.dead && (this.connecting || (!this.readEnded && !this.paused) || this.wantWritable);
    if (need && !this.releaseIo) {
      this.releaseIo = this.beginHostIo();
    } else if (!need && this.releaseIo) {
      const release = this.releaseIo;
      this.releaseIo = null;
      release();
    }
  }

  private readonly onConnected = (): void => {
    if (this.dead) return;
    this.connecting = false;
    this.refreshEndpoints();
    this.syncIo();
    this.ev.onConnect();
    this.checkWritable();
  };

  private readonly onData = (chunk: Buffer | string): void => {
    if (this.dead) return;
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    // A plain Uint8Array view: Buffer's `slice` shares memory where Uint8Array's copies.
    this.ev.onData(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  };

  private readonly onEnd = (): void => {
    if (this.dead) return;
    this.readEnded = true;
    this.syncIo();
    this.ev.onEnd();
  };

  private readonly onError = (err: unknown): void => {
    if (this.dead) return;
    this.dead = true;
    this.error = this.mapError(err);
    this.syncIo();
    this.ev.onError(this.error);
  };

  private readonly onClose = (): void => {
    if (this.dead) return;
    this.dead = true;
    this.syncIo();
    // Closed under us without FIN or error (the duplex was destroyed elsewhere): a reader
    // waiting for data must not wait forever.
    if (!this.readEnded) {
      this.error = -ECONNRESET;
      this.ev.onError(this.error);
    }
  };

  private readonly flush = (): void => {
    const b = this.batch;
    const n = this.batchBytes;
    if (b === null) return;
    this.batch = null;
    this.batchBytes = 0;
    // Destroyed meanwhile: an abort discards unsent data, as Zephyr's does.
    if (this.dead) return;
    this.d.write(n === b.length ? b : b.subarray(0, n), this.afterWrite);
  };

  private readonly afterWrite = (err?: Error | null): void => {
    if (!err) this.checkWritable();
  };

  private readonly checkWritable = (): void => {
    if (!this.wantWritable || this.dead || this.writable() === 0) return;
    this.wantWritable = false;
    this.syncIo();
    this.ev.onWritable();
  };
}

/**
 * A `StreamConn` over any Node duplex that is connected (or will emit `opts.connectEvent`):
 * same send budget, partial writes and `onWritable` as the host backend's streams.
 */
export function streamFromDuplex(
  d: Duplex,
  local: Endpoint,
  remote: Endpoint,
  opts: DuplexStreamOptions = {},
): StreamConn {
  return new DuplexStream(d, local, remote, opts);
}
