/**
 * What the `zsock_*` calls share (socket.ts, socket_io.ts): errno convention, descriptor lookup,
 * the per-call timeout and the lazy UDP endpoint.
 */
import type { Kernel } from '../kernel/kernel.ts';
import { currentKernel } from '../kernel/sched.ts';
import { K_NO_WAIT, type k_timeout_t } from '../kernel/timeout.ts';
import { EBADF, ENETDOWN, set_errno } from '../libc/errno.ts';
import type { Endpoint } from './conn.ts';
import type { NetContext } from './net_context.ts';
import { net_stack, type NetStack } from './net_if.ts';
import { AF_INET } from './net_ip.ts';
import { MSG_DONTWAIT } from './socket_consts.ts';

/** A pointer to a value a call fills in (C's out-parameters: `socklen_t *addrlen`...). */
export interface Ref<T> {
  value: T;
}

/** Sets errno from a negative result and returns -1, or passes a non-negative result through. */
export function posix(ret: number): number {
  if (ret < 0) {
    set_errno(-ret);
    return -1;
  }
  return ret;
}

/** The calling board and its network stack, or -ENETDOWN. */
export function stack(api: string): { k: Kernel; s: NetStack } | number {
  const k = currentKernel(api);
  const s = net_stack(k);
  if (!s) return -ENETDOWN;
  return { k, s };
}

/** @internal the socket behind `fd`, or -EBADF. */
export function ctxOf(fd: number, api: string): NetContext | number {
  const st = stack(api);
  if (typeof st === 'number') return -EBADF;
  const c = Number.isInteger(fd) ? st.s.fds[fd] : undefined;
  return c ?? -EBADF;
}

/** The wait of one call: none for a non-blocking socket or MSG_DONTWAIT, else `t`. */
export function timeoutFor(ctx: NetContext, flags: number, t: k_timeout_t): { timeout: k_timeout_t } {
  return { timeout: ctx.nonblock || flags & MSG_DONTWAIT ? K_NO_WAIT : t };
}

/** Binds the UDP endpoint of a datagram socket on first use (an ephemeral port unless bound). */
export function openUdp(ctx: NetContext): number {
  if (ctx.udp) return 0;
  const s = net_stack(ctx.kernel)!;
  const local = ctx.local ?? { family: ctx.family === AF_INET ? 4 : 6, addr: ctx.family === AF_INET ? '0.0.0.0' : '::', port: 0 } as Endpoint;
  const u = s.iface.bindUdp(local, {
    onDatagram: (data, from) => ctx.event(() => void ctx.dgrams.push({ data, from })),
    onError: (err) => ctx.event(() => void (ctx.soError = err)),
  });
  if (typeof u === 'number') return u;
  ctx.udp = u;
  ctx.local = u.local;
  ctx.state = 'connected';
  return 0;
}

