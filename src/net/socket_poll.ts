/** `zsock_poll`: waits for readiness on up to `CONFIG_NET_SOCKETS_POLL_MAX` sockets. */
import type { PollWaiter } from '../kernel/poll_signal.ts';
import { currentKernel, requireThread, resolved, z_pend_curr } from '../kernel/sched.ts';
import { THREAD_PENDING, type k_thread, type WaitTarget } from '../kernel/thread.ts';
import { K_FOREVER, K_MSEC, type k_timeout_t } from '../kernel/timeout.ts';
import { ENOMEM, set_errno } from '../libc/errno.ts';
import type { NetContext } from './net_context.ts';
import { net_stack } from './net_if.ts';
import { SOCK_DGRAM } from './net_ip.ts';
import { POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT } from './socket_consts.ts';

/** `struct zsock_pollfd`. */
export class zsock_pollfd {
  constructor(
    public fd = -1,
    public events = 0,
    public revents = 0,
  ) {}
}

/** The readiness bits of one socket for the requested `events` (errors are always reported). */
export function socketRevents(ctx: NetContext, events: number): number {
  let r = 0;
  if (ctx.state === 'listening') {
    if (ctx.acceptQ.length > 0) r |= POLLIN;
  } else if (ctx.type === SOCK_DGRAM) {
    if (ctx.dgrams.length > 0) r |= POLLIN;
    r |= POLLOUT;
  } else {
    if (ctx.rxBytes > 0 || ctx.rxEof || ctx.rxErr) r |= POLLIN;
    if (ctx.state === 'connected' && ctx.conn && !ctx.txShut && ctx.conn.writable() > 0) r |= POLLOUT;
    if (ctx.rxEof) r |= POLLHUP;
    if (ctx.rxErr || (ctx.state === 'closed' && ctx.soError)) r |= POLLERR;
    if (ctx.state === 'closed' && ctx.soError) r |= POLLHUP;
  }
  return r & (events | POLLERR | POLLHUP | POLLNVAL);
}

/** Sets the `revents` of the first `nfds` entries; returns how many are non-zero. */
function scan(entries: readonly zsock_pollfd[], nfds: number, stack: ReturnType<typeof net_stack>): number {
  let n = 0;
  for (let i = 0; i < nfds; i++) {
    const p = entries[i]!;
    p.revents = 0;
    if (p.fd < 0) continue;
    const ctx = stack?.fds[p.fd];
    p.revents = ctx ? socketRevents(ctx, p.events) : POLLNVAL;
    if (p.revents) n++;
  }
  return n;
}

// A poll that has to wait is both what the thread pends on (for the deadlock report) and what
// the sockets notify. One object of a class, instead of closures and an async frame per call: a
// board polls after every packet, and a fleet has thousands of boards.
class PollWait implements WaitTarget, PollWaiter {
  readonly kind = 'zsock_poll';
  /** The polled sockets that exist (the usual single one without an array). */
  private readonly ctx: NetContext | null = null;
  private readonly ctxs: NetContext[] | null = null;
  /** The wait's absolute deadline, once the first pend converted the relative timeout. */
  private timeout: k_timeout_t;

  constructor(
    private readonly t: k_thread,
    private readonly entries: readonly zsock_pollfd[],
    private readonly nfds: number,
    private readonly stack: ReturnType<typeof net_stack>,
    timeout: number,
  ) {
    const found: NetContext[] = [];
    for (let i = 0; i < nfds; i++) {
      const p = entries[i]!;
      const c = p.fd >= 0 ? stack?.fds[p.fd] : null;
      if (c) found.push(c);
    }
    if (found.length === 1) this.ctx = found[0]!;
    else this.ctxs = found;
    this.timeout = timeout < 0 ? K_FOREVER : K_MSEC(timeout);
  }

  /** The sockets polled, for the deadlock report (built only when asked). */
  get name(): string {
    return this.entries.slice(0, this.nfds).map((p) => `fd ${p.fd}`).join(', ');
  }

  notify(): void {
    const t = this.t;
    if (t.state === THREAD_PENDING && t.waitTarget === this) t.kernel.readyThread(t, 0);
  }

  /** Waits until a socket is ready or the deadline passes; the poll's result. */
  pend(): Promise<number> {
    if (this.ctx !== null) this.ctx.poll_events.push(this);
    else for (const c of this.ctxs!) c.poll_events.push(this);
    const start = this.timeout;
    if (start.kind === 2) this.timeout = { kind: 3, n: this.t.kernel.expiryTick(start), per: 0 } as k_timeout_t;
    return z_pend_curr(null, this, this.timeout, 'zsock_poll').then(this.woken);
  }

  private readonly woken = (rc: number): number | Promise<number> => {
    if (this.ctx !== null) unregister(this.ctx, this);
    else for (const c of this.ctxs!) unregister(c, this);
    const n = scan(this.entries, this.nfds, this.stack);
    if (n > 0 || rc !== 0 || this.timeout.kind === 1) return n;
    return this.pend();
  };
}

function unregister(c: NetContext, w: PollWaiter): void {
  const list = c.poll_events;
  // The last one (usually the only one) is popped: the list keeps its room for the next poll.
  if (list[list.length - 1] === w) list.pop();
  else {
    const i = list.indexOf(w);
    if (i >= 0) list.splice(i, 1);
  }
}

/**
 * `zsock_poll(fds, nfds, timeout)`: the number of entries with non-zero `revents`, 0 on timeout,
 * or -1 with errno (ENOMEM when `nfds` exceeds `CONFIG_NET_SOCKETS_POLL_MAX`). `timeout` is in
 * milliseconds; negative waits forever.
 */
export function zsock_poll(fds: zsock_pollfd[], nfds: number, timeout: number): Promise<number> {
  const k = currentKernel('zsock_poll');
  const max = k.cfgInt('NET_SOCKETS_POLL_MAX') || 6;
  if (nfds > max) {
    set_errno(ENOMEM);
    return resolved(-1);
  }
  nfds = Math.max(0, Math.min(nfds, fds.length));
  const stack = net_stack(k);
  const n = scan(fds, nfds, stack);
  // What is ready now is answered without waiting, and without a promise of its own.
  if (n > 0 || timeout === 0) return resolved(n);
  return new PollWait(requireThread('zsock_poll'), fds, nfds, stack, timeout).pend();
}
