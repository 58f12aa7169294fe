/**
 * Data transfer of Zephyr's socket API: `zsock_send*` and `zsock_recv*`, for stream and
 * datagram sockets (re-exported by `zsim/net/socket`).
 */
import { EBADF, EINVAL, ENOTCONN, EPIPE, EAGAIN } from '../libc/errno.ts';
import { SOCK_DGRAM, SOCK_STREAM, endpointToSockaddr, sockaddrToEndpoint, type sockaddr, type socklen_t } from './net_ip.ts';
import { MSG_DONTWAIT, MSG_PEEK, MSG_TRUNC, MSG_WAITALL } from './socket_consts.ts';
import type { NetContext } from './net_context.ts';
import { ctxOf, openUdp, posix, timeoutFor, type Ref } from './socket_common.ts';
import { resolved } from '../kernel/sched.ts';
import type { k_timeout_t } from '../kernel/timeout.ts';

/**
 * `zsock_sendto(sock, buf, len, flags, dest_addr, addrlen)`: bytes queued, which may be fewer than
 * `len` when the send window is nearly full, as on a device; -1 with EAGAIN when nothing fits and
 * the socket is non-blocking or `SO_SNDTIMEO` ran out.
 */
export function zsock_sendto(
  sock: number,
  buf: Uint8Array | string,
  len: number,
  flags: number,
  dest_addr: sockaddr | null,
  addrlen: socklen_t,
): Promise<number> {
  const r = zsock_sendto_now(sock, buf, len, flags, dest_addr, addrlen);
  return typeof r === 'number' ? resolved(r) : r;
}

/**
 * @internal `zsock_sendto`, answered without a promise unless it has to wait for room in the
 * send buffer: for library code that sends on every call (the MQTT client's transports).
 */
export function zsock_sendto_now(
  sock: number,
  buf: Uint8Array | string,
  len: number,
  flags: number,
  dest_addr: sockaddr | null,
  addrlen: socklen_t,
): number | Promise<number> {
  void addrlen;
  const ctx = ctxOf(sock, 'zsock_sendto');
  if (typeof ctx === 'number') return posix(ctx);
  const data = typeof buf === 'string' ? new TextEncoder().encode(buf) : buf;
  const n = Math.max(0, Math.min(len, data.length));
  if (ctx.type === SOCK_DGRAM) {
    const to = dest_addr ? sockaddrToEndpoint(dest_addr) : ctx.remote;
    if (!to) return posix(dest_addr ? -EINVAL : -ENOTCONN);
    const r = openUdp(ctx);
    if (r < 0) return posix(r);
    const rc = ctx.udp!.send(data.slice(0, n), to);
    return rc < 0 ? posix(rc) : n;
  }
  const r = streamSend(ctx, data, n);
  return r === WAIT ? streamSendWaiting(ctx, data, n, timeoutFor(ctx, flags, ctx.sndtimeo)) : r;
}

/** One attempt to queue `data[0, n)` on a stream: bytes taken, -1 with errno, or WAIT. */
function streamSend(ctx: NetContext, data: Uint8Array, n: number): number | typeof WAIT {
  if (ctx.txShut) return posix(-EPIPE);
  if (ctx.rxErr && ctx.rxErr !== -EBADF) return posix(ctx.rxErr);
  if (ctx.state !== 'connected' || !ctx.conn) return posix(ctx.state === 'connecting' ? -EAGAIN : -ENOTCONN);
  if (n === 0) return 0;
  const written = ctx.conn.write(data.slice(0, n));
  return written > 0 ? written : WAIT;
}

async function streamSendWaiting(ctx: NetContext, data: Uint8Array, n: number, deadline: { timeout: k_timeout_t }): Promise<number> {
  for (;;) {
    if ((await ctx.wait(deadline, 'zsock_send')) === -EAGAIN) return posix(-EAGAIN);
    const r = streamSend(ctx, data, n);
    if (r !== WAIT) return r;
  }
}

/** `zsock_send(sock, buf, len, flags)`. */
export function zsock_send(sock: number, buf: Uint8Array | string, len: number, flags: number): Promise<number> {
  return zsock_sendto(sock, buf, len, flags, null, 0);
}

/** `struct msghdr` (only the iovec part is used). */
export interface msghdr {
  msg_name?: sockaddr | null;
  msg_namelen?: number;
  msg_iov: { iov_base: Uint8Array; iov_len: number }[];
  msg_iovlen?: number;
}

/** `zsock_sendmsg(sock, msg, flags)`: gathers the iovecs and sends them as one buffer. */
export function zsock_sendmsg(sock: number, msg: msghdr, flags: number): Promise<number> {
  const r = zsock_sendmsg_now(sock, msg, flags);
  return typeof r === 'number' ? resolved(r) : r;
}

/** @internal `zsock_sendmsg` without a promise unless it waits (see `zsock_sendto_now`). */
export function zsock_sendmsg_now(sock: number, msg: msghdr, flags: number): number | Promise<number> {
  const count = msg.msg_iovlen ?? msg.msg_iov.length;
  let total = 0;
  for (let i = 0; i < count; i++) total += msg.msg_iov[i]!.iov_len;
  let buf: Uint8Array;
  if (count === 1) {
    // One part: sent from where it is (the stack copies what it takes).
    buf = msg.msg_iov[0]!.iov_base.subarray(0, total);
  } else {
    buf = new Uint8Array(total);
    for (let i = 0, o = 0; i < count; i++) {
      const v = msg.msg_iov[i]!;
      buf.set(v.iov_base.subarray(0, v.iov_len), o);
      o += v.iov_len;
    }
  }
  return zsock_sendto_now(sock, buf, total, flags, msg.msg_name ?? null, msg.msg_namelen ?? 0);
}

/**
 * `zsock_recvfrom(sock, buf, max_len, flags, src_addr, addrlen)`: bytes read (0 at end of stream),
 * or -1 with errno (EAGAIN, ECONNRESET, ENOTCONN...). Honours MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL,
 * MSG_TRUNC and `SO_RCVTIMEO`.
 */
export async function zsock_recvfrom(
  sock: number,
  buf: Uint8Array,
  max_len: number,
  flags: number,
  src_addr: sockaddr | null,
  addrlen: Ref<socklen_t> | null,
): Promise<number> {
  const ctx = ctxOf(sock, 'zsock_recvfrom');
  if (typeof ctx === 'number') return posix(ctx);
  const len = Math.max(0, Math.min(max_len, buf.length));
  const deadline = timeoutFor(ctx, flags, ctx.rcvtimeo);
  if (ctx.type === SOCK_DGRAM) {
    const r = openUdp(ctx);
    if (r < 0) return posix(r);
    while (ctx.dgrams.length === 0) {
      if (ctx.state === 'closed') return posix(-EBADF);
      if ((await ctx.wait(deadline, 'zsock_recvfrom')) === -EAGAIN) return posix(-EAGAIN);
    }
    const d = flags & MSG_PEEK ? ctx.dgrams[0]! : ctx.dgrams.shift()!;
    const n = Math.min(len, d.data.length);
    buf.set(d.data.subarray(0, n));
    if (src_addr) {
      const l = endpointToSockaddr(d.from, src_addr);
      if (addrlen) addrlen.value = l;
    }
    return flags & MSG_TRUNC ? d.data.length : n;
  }
  if (ctx.state === 'listening') return posix(-ENOTCONN);
  const r = { got: 0 };
  for (;;) {
    const n = recvStreamStep(ctx, buf, len, flags, r, deadline.timeout.kind === 1, src_addr, addrlen);
    if (n !== WAIT) return n;
    if ((await ctx.wait(deadline, 'zsock_recv')) === -EAGAIN) return r.got > 0 ? r.got : posix(-EAGAIN);
  }
}

/** {@link recvStreamStep}, {@link streamSend}: nothing to return yet, the caller waits for the socket. */
const WAIT = Symbol('wait');

/**
 * One pass of a stream socket's receive: takes what has arrived into `buf` after the `r.got`
 * bytes already read, and returns the call's result, or WAIT when it must wait for more.
 */
function recvStreamStep(
  ctx: NetContext, buf: Uint8Array, len: number, flags: number, r: { got: number }, noWait: boolean,
  src_addr: sockaddr | null, addrlen: Ref<socklen_t> | null,
): number | typeof WAIT {
  if (ctx.rxBytes > 0) {
    const waitAll = (flags & MSG_WAITALL) !== 0 && !(flags & MSG_PEEK);
    if (!waitAll || ctx.rxBytes >= len - r.got || ctx.rxEof || ctx.rxErr || noWait) {
      r.got += ctx.readInto(r.got ? buf.subarray(r.got) : buf, len - r.got, (flags & MSG_PEEK) !== 0);
      if (src_addr && ctx.remote) {
        const l = endpointToSockaddr(ctx.remote, src_addr);
        if (addrlen) addrlen.value = l;
      }
      return r.got;
    }
    r.got += ctx.readInto(r.got ? buf.subarray(r.got) : buf, len - r.got, false);
  }
  if (r.got > 0 && (ctx.rxEof || ctx.rxErr)) return r.got;
  if (ctx.rxErr) return posix(ctx.rxErr);
  if (ctx.rxEof) return 0;
  if (len === 0) return 0;
  if (ctx.state === 'open' || ctx.state === 'closed') return posix(-ENOTCONN);
  return WAIT;
}

/**
 * @internal `zsock_recv(sock, buf, max_len, MSG_DONTWAIT)` on a stream socket, answered at once:
 * a read that does not wait needs no promise, and the MQTT library reads this way for every
 * packet. Bytes read, 0 at the end of the stream, or -1 with errno (EAGAIN when nothing came).
 */
export function zsock_recv_nowait(sock: number, buf: Uint8Array, max_len: number): number {
  const ctx = ctxOf(sock, 'zsock_recvfrom');
  if (typeof ctx === 'number') return posix(ctx);
  if (ctx.type !== SOCK_STREAM || ctx.state === 'listening') return posix(-ENOTCONN);
  const n = recvStreamStep(ctx, buf, Math.max(0, Math.min(max_len, buf.length)), MSG_DONTWAIT, { got: 0 }, true, null, null);
  return n === WAIT ? posix(-EAGAIN) : n;
}

/** `zsock_recv(sock, buf, max_len, flags)`. */
export function zsock_recv(sock: number, buf: Uint8Array, max_len: number, flags: number): Promise<number> {
  return zsock_recvfrom(sock, buf, max_len, flags, null, null);
}

