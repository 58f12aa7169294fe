/**
 * A socket's state below the API (Zephyr's `net_context` plus the socket layer's receive queue):
 * what it is connected to, the bytes and datagrams waiting to be read, pending errors, and the
 * wait queue its blocked callers sleep on. Backend events land here in the board's ISR context.
 */
import { kick } from '../kernel/cpu.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { z_handle_obj_poll_events, type Pollable, type PollWaiter } from '../kernel/poll_signal.ts';
import { z_pend_curr, z_unpend_all } from '../kernel/sched.ts';
import { WaitQ } from '../kernel/thread.ts';
import { K_FOREVER, K_TIMEOUT_ABS_TICKS, type k_timeout_t } from '../kernel/timeout.ts';
import { EAGAIN } from '../libc/errno.ts';
import type { DatagramConn, Endpoint, Listener, StreamConn, StreamEvents } from './conn.ts';

export type SockState = 'open' | 'connecting' | 'connected' | 'listening' | 'closed';

/** Options set with `SOL_TLS` socket options, used when the TLS layer starts. */
export interface TlsOptions {
  secTags: number[];
  hostname: string | null;
  peerVerify: number | null;
  ciphersuites: number[];
  alpn: string[];
  sessionCache: boolean;
  /** Filled after the handshake. */
  ciphersuiteUsed: number;
  version: number;
}

/** State change bits handed to pollers (`K_POLL_STATE_*` style). */
export const SOCK_STATE_CHANGED = 1 << 9;

export class NetContext implements Pollable {
  readonly kind = 'socket';
  name?: string;
  state: SockState = 'open';
  nonblock = false;
  rcvtimeo: k_timeout_t = K_FOREVER;
  sndtimeo: k_timeout_t = K_FOREVER;
  rcvbuf: number;
  sndbuf: number;
  noDelay = false;
  /** Pending asynchronous error for SO_ERROR (negative errno or 0). */
  soError = 0;
  local: Endpoint | null = null;
  remote: Endpoint | null = null;
  conn: StreamConn | null = null;
  listener: Listener | null = null;
  backlog = 0;
  /** Accepted connections not yet taken by `accept`. */
  readonly acceptQ: NetContext[] = [];
  udp: DatagramConn | null = null;
  readonly dgrams: { data: Uint8Array; from: Endpoint }[] = [];
  /** Received stream bytes not yet read. */
  readonly rx: Uint8Array[] = [];
  rxBytes = 0;
  rxEof = false;
  /** Fatal receive-side error (negative errno), e.g. -ECONNRESET. */
  rxErr = 0;
  /** Local side shut down for writing. */
  txShut = false;
  /** TLS settings when the socket was made with an IPPROTO_TLS_* protocol. */
  tls: TlsOptions | null = null;
  /** Threads blocked on this socket (any condition: they re-check when woken). */
  readonly waitq = new WaitQ();
  readonly poll_events: PollWaiter[] = [];

  constructor(
    readonly kernel: Kernel,
    readonly family: number,
    readonly type: number,
    readonly proto: number,
  ) {
    this.rcvbuf = kernel.cfgInt('NET_TCP_MAX_RECV_WINDOW_SIZE') || 4096;
    this.sndbuf = kernel.cfgInt('NET_TCP_MAX_SEND_WINDOW_SIZE') || 4096;
  }

  /** Wakes every thread waiting on the socket and tells pollers to look again. */
  notify(): void {
    z_unpend_all(this.waitq, 0);
    z_handle_obj_poll_events(this, SOCK_STATE_CHANGED);
  }

  /** Runs a backend event in the board's ISR context, then lets woken threads run. */
  event(fn: () => void): void {
    this.kernel.isr(() => {
      fn();
      this.notify();
    });
    kick();
  }

  /** Stream callbacks that feed this context. */
  streamEvents(): StreamEvents {
    return {
      onConnect: () =>
        this.event(() => {
          if (this.state === 'connecting') this.state = 'connected';
          if (this.conn) {
            this.local = this.conn.local;
            this.remote = this.conn.remote;
          }
        }),
      onData: (data) =>
        this.event(() => {
          if (data.length === 0) return;
          this.rx.push(data);
          this.rxBytes += data.length;
          this.conn?.setReceiveWindow?.(Math.max(0, this.rcvbuf - this.rxBytes));
        }),
      onWritable: () => this.event(() => {}),
      onEnd: () =>
        this.event(() => {
          this.rxEof = true;
        }),
      onError: (err) =>
        this.event(() => {
          if (this.state === 'connecting') {
            this.soError = err;
            this.state = 'closed';
          } else {
            this.rxErr = err;
            this.soError = err;
          }
        }),
    };
  }

  /** Copies up to `len` received bytes into `buf`; consumes them unless `peek`. */
  readInto(buf: Uint8Array, len: number, peek: boolean): number {
    let n = 0;
    let i = 0;
    while (n < len && i < this.rx.length) {
      const chunk = this.rx[i]!;
      const take = Math.min(chunk.length, len - n);
      buf.set(chunk.subarray(0, take), n);
      n += take;
      if (!peek) {
        // Emptied with length = 0, V8 frees the backing store (shift would keep its 17 slots).
        if (take === chunk.length) {
          if (this.rx.length === 1) this.rx.length = 0;
          else this.rx.shift();
        }
        else {
          this.rx[i] = chunk.subarray(take);
          i++;
        }
      } else i++;
    }
    if (!peek) {
      this.rxBytes -= n;
      this.conn?.setReceiveWindow?.(Math.max(0, this.rcvbuf - this.rxBytes));
    }
    return n;
  }

  /**
   * Waits until something happens on the socket or `deadline` passes. Returns 0 when woken,
   * -EAGAIN on timeout. `deadline` is fixed on the first call so that a loop of waits keeps the
   * caller's total timeout.
   */
  wait(deadline: { timeout: k_timeout_t }, api: string): Promise<number> {
    const t = deadline.timeout;
    if (t.kind === 2) {
      // Turn a relative timeout into an absolute one, once.
      deadline.timeout = K_TIMEOUT_ABS_TICKS(this.kernel.expiryTick(t));
    } else if (t.kind === 1) {
      return Promise.resolve(-EAGAIN);
    }
    return z_pend_curr(this.waitq, this, deadline.timeout, api);
  }
}
