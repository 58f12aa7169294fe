/**
 * `zsim/net/socket`: Zephyr's BSD socket API (`zsock_*`, `<zephyr/net/socket.h>`).
 *
 * POSIX conventions as Zephyr has them: calls return -1 and set the calling thread's `errno`
 * (import `errno` from here or from `zsim/errno`; it is a live, per-thread value). Calls that wait
 * for the network (`zsock_connect`, `zsock_accept`, `zsock_send*`, `zsock_recv*`, `zsock_poll`,
 * `zsock_getaddrinfo`) are async; the others are synchronous.
 */
import type { Kernel } from '../kernel/kernel.ts';
import { currentKernel } from '../kernel/sched.ts';
import { K_FOREVER, K_MSEC, K_NO_WAIT, K_USEC, type k_timeout_t } from '../kernel/timeout.ts';
import {
  EAFNOSUPPORT, EAGAIN, EALREADY, EBADF, EINPROGRESS, EINVAL, EISCONN, ENETDOWN, ENFILE, ENOMEM,
  ENOTCONN, ENOTSUP, EOPNOTSUPP, EPIPE, EPROTONOSUPPORT, EPROTOTYPE, ETIMEDOUT, set_errno,
} from '../libc/errno.ts';
import type { Endpoint } from './conn.ts';
import { NetContext } from './net_context.ts';
import { net_set_close_all, net_stack, type NetStack } from './net_if.ts';
import {
  AF_INET, AF_INET6, IPPROTO_TCP, IPPROTO_TLS_1_0, IPPROTO_TLS_1_3, IPPROTO_UDP, SOCK_DGRAM, SOCK_STREAM,
  endpointToSockaddr, sockaddrToEndpoint, type sockaddr, type socklen_t,
} from './net_ip.ts';
import {
  F_GETFL, F_SETFL, MSG_DONTWAIT, MSG_PEEK, MSG_TRUNC, MSG_WAITALL, O_NONBLOCK, O_RDWR, SHUT_RD, SHUT_RDWR, SHUT_WR,
  SOMAXCONN,
} from './socket_consts.ts';
import { getsockoptImpl, setsockoptImpl } from './sockopt.ts';

export * from './net_ip.ts';
export * from './socket_consts.ts';
export { errno } from '../libc/errno.ts';
export { zsock_poll, zsock_pollfd } from './socket_poll.ts';
export { zsock_getaddrinfo, zsock_freeaddrinfo, zsock_gai_strerror, zsock_addrinfo } from './getaddrinfo.ts';
export { zsock_inet_pton, zsock_inet_ntop } from './inet.ts';

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

function stack(api: string): { k: Kernel; s: NetStack } | number {
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

function allocFd(s: NetStack, ctx: NetContext): number {
  const used = s.fds.filter((x) => x !== null && x !== undefined).length;
  if (used >= s.maxContexts) return -ENOMEM;
  for (let fd = s.firstFd; fd < s.firstFd + s.maxFds; fd++) {
    if (!s.fds[fd]) {
      s.fds[fd] = ctx;
      ctx.name = `fd ${fd}`;
      return fd;
    }
  }
  return -ENFILE;
}

function timeoutFor(ctx: NetContext, flags: number, t: k_timeout_t): { timeout: k_timeout_t } {
  return { timeout: ctx.nonblock || flags & MSG_DONTWAIT ? K_NO_WAIT : t };
}

function isTls(proto: number): boolean {
  return proto >= IPPROTO_TLS_1_0 && proto <= IPPROTO_TLS_1_3;
}

/** `zsock_socket(family, type, proto)`: a new descriptor, or -1 with errno. */
export function zsock_socket(family: number, type: number, proto: number): number {
  const st = stack('zsock_socket');
  if (typeof st === 'number') return posix(st);
  const { k, s } = st;
  if (family !== AF_INET && family !== AF_INET6) return posix(-EAFNOSUPPORT);
  if (family === AF_INET && !k.enabled('NET_IPV4')) return posix(-EAFNOSUPPORT);
  if (family === AF_INET6 && !k.enabled('NET_IPV6')) return posix(-EAFNOSUPPORT);
  if (type !== SOCK_STREAM && type !== SOCK_DGRAM) return posix(-EPROTONOSUPPORT);
  if (proto === 0) proto = type === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
  if (type === SOCK_STREAM && proto !== IPPROTO_TCP && !isTls(proto)) return posix(-EPROTOTYPE);
  if (type === SOCK_DGRAM && proto !== IPPROTO_UDP) return posix(-EPROTOTYPE);
  if (type === SOCK_STREAM && !k.enabled('NET_TCP')) return posix(-EPROTONOSUPPORT);
  if (type === SOCK_DGRAM && !k.enabled('NET_UDP')) return posix(-EPROTONOSUPPORT);
  if (isTls(proto)) {
    if (!k.enabled('NET_SOCKETS_SOCKOPT_TLS') || !s.tlsStarter) return posix(-EPROTONOSUPPORT);
  }
  const ctx = new NetContext(k, family, type, proto);
  if (isTls(proto)) {
    ctx.tls = {
      secTags: [], hostname: null, peerVerify: null, ciphersuites: [], alpn: [], sessionCache: false,
      ciphersuiteUsed: 0, version: proto,
    };
  }
  return posix(allocFd(s, ctx));
}

/** Closes every socket of a board (its run ended), so no host resource outlives it. */
export function net_close_all(kernel: Kernel): void {
  const s = net_stack(kernel);
  if (!s) return;
  s.fds.forEach((ctx, fd) => {
    if (!ctx) return;
    s.fds[fd] = null;
    ctx.conn?.destroy();
    ctx.conn = null;
    closeContext(ctx);
  });
}

net_set_close_all(net_close_all);

/** `zsock_close(sock)`: 0, or -1 with EBADF. */
export function zsock_close(sock: number): number {
  const st = stack('zsock_close');
  if (typeof st === 'number') return posix(-EBADF);
  const ctx = st.s.fds[sock];
  if (!ctx) return posix(-EBADF);
  st.s.fds[sock] = null;
  closeContext(ctx);
  return 0;
}

function closeContext(ctx: NetContext): void {
  ctx.state = 'closed';
  ctx.conn?.end();
  ctx.conn = null;
  ctx.listener?.close();
  ctx.listener = null;
  for (const pending of ctx.acceptQ.splice(0)) pending.conn?.destroy();
  ctx.udp?.close();
  ctx.udp = null;
  if (ctx.rxErr === 0) ctx.rxErr = -EBADF;
  ctx.notify();
}

/** `zsock_shutdown(sock, how)`. */
export function zsock_shutdown(sock: number, how: number): number {
  const ctx = ctxOf(sock, 'zsock_shutdown');
  if (typeof ctx === 'number') return posix(ctx);
  if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) return posix(-EINVAL);
  if (ctx.state !== 'connected') return posix(-ENOTCONN);
  if (how !== SHUT_RD && !ctx.txShut) {
    ctx.txShut = true;
    ctx.conn?.end();
  }
  if (how !== SHUT_WR) ctx.rxEof = true;
  ctx.notify();
  return 0;
}


/** `zsock_bind(sock, addr, addrlen)`. */
export function zsock_bind(sock: number, addr: sockaddr, addrlen: socklen_t): number {
  const ctx = ctxOf(sock, 'zsock_bind');
  if (typeof ctx === 'number') return posix(ctx);
  const ep = sockaddrToEndpoint(addr);
  if (!ep) return posix(-EINVAL);
  if ((ep.family === 4 ? AF_INET : AF_INET6) !== ctx.family) return posix(-EAFNOSUPPORT);
  if (ctx.local && ctx.state !== 'open') return posix(-EINVAL);
  void addrlen;
  ctx.local = ep;
  if (ctx.type === SOCK_DGRAM) {
    const r = openUdp(ctx);
    if (r < 0) return posix(r);
  }
  return 0;
}

function openUdp(ctx: NetContext): number {
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

/**
 * `zsock_connect(sock, addr, addrlen)`: 0 when connected (TLS sockets: after the handshake), or -1
 * with errno: EINPROGRESS on a non-blocking socket, ECONNREFUSED, ETIMEDOUT (after
 * `CONFIG_NET_SOCKETS_CONNECT_TIMEOUT`), EHOSTUNREACH, EISCONN, EALREADY...
 */
export async function zsock_connect(sock: number, addr: sockaddr, addrlen: socklen_t): Promise<number> {
  void addrlen;
  const ctx = ctxOf(sock, 'zsock_connect');
  if (typeof ctx === 'number') return posix(ctx);
  const ep = sockaddrToEndpoint(addr);
  if (!ep) return posix(-EINVAL);
  if ((ep.family === 4 ? AF_INET : AF_INET6) !== ctx.family) return posix(-EAFNOSUPPORT);
  if (ctx.type === SOCK_DGRAM) {
    const r = openUdp(ctx);
    if (r < 0) return posix(r);
    ctx.remote = ep;
    return 0;
  }
  if (ctx.state === 'connected') return posix(-EISCONN);
  if (ctx.state === 'connecting') return posix(ctx.nonblock ? -EALREADY : -EALREADY);
  if (ctx.state === 'listening') return posix(-EOPNOTSUPP);
  const s = net_stack(ctx.kernel)!;
  ctx.soError = 0;
  ctx.state = 'connecting';
  ctx.remote = ep;
  const conn = s.iface.connect(ep, ctx.local, ctx.streamEvents());
  if (typeof conn === 'number') {
    ctx.state = 'open';
    return posix(conn);
  }
  ctx.conn = conn;
  conn.setNoDelay?.(ctx.noDelay);
  conn.setReceiveWindow?.(ctx.rcvbuf);
  if (ctx.tls) startTlsWhenConnected(ctx, s);
  if (ctx.nonblock) return posix(-EINPROGRESS);
  const ms = ctx.kernel.cfgInt('NET_SOCKETS_CONNECT_TIMEOUT') || 3000;
  const deadline = { timeout: K_MSEC(ms) };
  while (ctx.state === 'connecting') {
    if ((await ctx.wait(deadline, 'zsock_connect')) === -EAGAIN) {
      ctx.conn?.destroy();
      ctx.conn = null;
      ctx.state = 'open';
      return posix(-ETIMEDOUT);
    }
  }
  if (ctx.state === 'connected') return 0;
  const err = ctx.soError || -ENOTCONN;
  ctx.soError = 0;
  ctx.conn = null;
  ctx.state = 'open';
  return posix(err);
}

/**
 * For TLS sockets the stream counts as connected only after the handshake: hold the state at
 * 'connecting' when TCP connects and let the TLS layer finish it.
 */
function startTlsWhenConnected(ctx: NetContext, s: NetStack): void {
  const tcpEvents = ctx.streamEvents();
  ctx.conn!.setEvents({
    ...tcpEvents,
    onConnect: () =>
      ctx.event(() => {
        s.tlsStarter!(ctx, (err) =>
          ctx.event(() => {
            if (err === 0) {
              ctx.state = 'connected';
              if (ctx.conn) {
                ctx.local = ctx.conn.local;
                ctx.remote = ctx.conn.remote;
              }
            } else {
              ctx.soError = err;
              ctx.state = 'closed';
              ctx.conn?.destroy();
              ctx.conn = null;
            }
          }),
        );
      }),
  });
}

/** `zsock_listen(sock, backlog)`. */
export function zsock_listen(sock: number, backlog: number): number {
  const ctx = ctxOf(sock, 'zsock_listen');
  if (typeof ctx === 'number') return posix(ctx);
  if (ctx.type !== SOCK_STREAM) return posix(-EOPNOTSUPP);
  if (ctx.state === 'listening') return 0;
  if (ctx.state !== 'open') return posix(-EINVAL);
  const s = net_stack(ctx.kernel)!;
  const local = ctx.local ?? ({ family: ctx.family === AF_INET ? 4 : 6, addr: ctx.family === AF_INET ? '0.0.0.0' : '::', port: 0 } as Endpoint);
  ctx.backlog = Math.max(1, Math.min(backlog || 1, SOMAXCONN));
  const l = s.iface.listen(local, ctx.backlog, (conn) => {
    const child = new NetContext(ctx.kernel, ctx.family, ctx.type, ctx.proto);
    child.conn = conn;
    child.state = 'connected';
    child.local = conn.local;
    child.remote = conn.remote;
    conn.setEvents(child.streamEvents());
    conn.setReceiveWindow?.(child.rcvbuf);
    ctx.event(() => {
      if (ctx.acceptQ.length >= ctx.backlog) conn.destroy();
      else ctx.acceptQ.push(child);
    });
  });
  if (typeof l === 'number') return posix(l);
  ctx.listener = l;
  ctx.local = l.local;
  ctx.state = 'listening';
  return 0;
}

/** `zsock_accept(sock, addr, addrlen)`: the new descriptor, or -1 with errno (EAGAIN when non-blocking). */
export async function zsock_accept(sock: number, addr: sockaddr | null, addrlen: Ref<socklen_t> | null): Promise<number> {
  const ctx = ctxOf(sock, 'zsock_accept');
  if (typeof ctx === 'number') return posix(ctx);
  if (ctx.state !== 'listening') return posix(-EINVAL);
  const deadline = timeoutFor(ctx, 0, ctx.rcvtimeo);
  while (ctx.acceptQ.length === 0) {
    if (ctx.state !== 'listening') return posix(-EBADF);
    if (ctx.listener?.error) return posix(ctx.listener.error);
    if ((await ctx.wait(deadline, 'zsock_accept')) === -EAGAIN) return posix(-EAGAIN);
  }
  const child = ctx.acceptQ.shift()!;
  const fd = allocFd(net_stack(ctx.kernel)!, child);
  if (fd < 0) {
    child.conn?.destroy();
    return posix(fd);
  }
  if (addr && child.remote) {
    const n = endpointToSockaddr(child.remote, addr);
    if (addrlen) addrlen.value = n;
  }
  return fd;
}

/**
 * `zsock_sendto(sock, buf, len, flags, dest_addr, addrlen)`: bytes queued, which may be fewer than
 * `len` when the send window is nearly full, as on a device; -1 with EAGAIN when nothing fits and
 * the socket is non-blocking or `SO_SNDTIMEO` ran out.
 */
export async function zsock_sendto(
  sock: number,
  buf: Uint8Array | string,
  len: number,
  flags: number,
  dest_addr: sockaddr | null,
  addrlen: socklen_t,
): Promise<number> {
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
  const deadline = timeoutFor(ctx, flags, ctx.sndtimeo);
  for (;;) {
    if (ctx.txShut) return posix(-EPIPE);
    if (ctx.rxErr && ctx.rxErr !== -EBADF) return posix(ctx.rxErr);
    if (ctx.state !== 'connected' || !ctx.conn) return posix(ctx.state === 'connecting' ? -EAGAIN : -ENOTCONN);
    if (n === 0) return 0;
    const written = ctx.conn.write(data.slice(0, n));
    if (written > 0) return written;
    if ((await ctx.wait(deadline, 'zsock_send')) === -EAGAIN) return posix(-EAGAIN);
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
  return zsock_sendto(sock, buf, total, flags, msg.msg_name ?? null, msg.msg_namelen ?? 0);
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
  let got = 0;
  for (;;) {
    if (ctx.rxBytes > 0) {
      const waitAll = (flags & MSG_WAITALL) !== 0 && !(flags & MSG_PEEK);
      if (!waitAll || ctx.rxBytes >= len - got || ctx.rxEof || ctx.rxErr || deadline.timeout.kind === 1) {
        got += ctx.readInto(got ? buf.subarray(got) : buf, len - got, (flags & MSG_PEEK) !== 0);
        if (src_addr && ctx.remote) {
          const l = endpointToSockaddr(ctx.remote, src_addr);
          if (addrlen) addrlen.value = l;
        }
        return got;
      }
      got += ctx.readInto(got ? buf.subarray(got) : buf, len - got, false);
    }
    if (got > 0 && (ctx.rxEof || ctx.rxErr)) return got;
    if (ctx.rxErr) return posix(ctx.rxErr);
    if (ctx.rxEof) return 0;
    if (len === 0) return 0;
    if (ctx.state === 'open' || ctx.state === 'closed') return posix(-ENOTCONN);
    if ((await ctx.wait(deadline, 'zsock_recv')) === -EAGAIN) return got > 0 ? got : posix(-EAGAIN);
  }
}

/** `zsock_recv(sock, buf, max_len, flags)`. */
export function zsock_recv(sock: number, buf: Uint8Array, max_len: number, flags: number): Promise<number> {
  return zsock_recvfrom(sock, buf, max_len, flags, null, null);
}

/** `zsock_fcntl(sock, cmd, flags)`: F_GETFL / F_SETFL (O_NONBLOCK). */
export function zsock_fcntl(sock: number, cmd: number, flags = 0): number {
  const ctx = ctxOf(sock, 'zsock_fcntl');
  if (typeof ctx === 'number') return posix(ctx);
  if (cmd === F_GETFL) return O_RDWR | (ctx.nonblock ? O_NONBLOCK : 0);
  if (cmd === F_SETFL) {
    ctx.nonblock = (flags & O_NONBLOCK) !== 0;
    return 0;
  }
  return posix(-EINVAL);
}

/** `zsock_setsockopt(sock, level, optname, optval, optlen)`. */
export function zsock_setsockopt(sock: number, level: number, optname: number, optval: unknown, optlen: socklen_t): number {
  const ctx = ctxOf(sock, 'zsock_setsockopt');
  if (typeof ctx === 'number') return posix(ctx);
  return posix(setsockoptImpl(ctx, level, optname, optval, optlen));
}

/** `zsock_getsockopt(sock, level, optname, optval, optlen)`: the value goes to `optval.value`. */
export function zsock_getsockopt(sock: number, level: number, optname: number, optval: Ref<unknown>, optlen: Ref<socklen_t>): number {
  const ctx = ctxOf(sock, 'zsock_getsockopt');
  if (typeof ctx === 'number') return posix(ctx);
  return posix(getsockoptImpl(ctx, level, optname, optval, optlen));
}

/** `zsock_getsockname(sock, addr, addrlen)`. */
export function zsock_getsockname(sock: number, addr: sockaddr, addrlen: Ref<socklen_t>): number {
  const ctx = ctxOf(sock, 'zsock_getsockname');
  if (typeof ctx === 'number') return posix(ctx);
  // Backends may learn the bound port after the call that bound it, so ask them first.
  const local = ctx.listener?.local ?? ctx.udp?.local ?? ctx.conn?.local ?? ctx.local;
  if (!local) return posix(-EINVAL);
  addrlen.value = endpointToSockaddr(local, addr);
  return 0;
}

/** `zsock_getpeername(sock, addr, addrlen)`. */
export function zsock_getpeername(sock: number, addr: sockaddr, addrlen: Ref<socklen_t>): number {
  const ctx = ctxOf(sock, 'zsock_getpeername');
  if (typeof ctx === 'number') return posix(ctx);
  if (!ctx.remote || ctx.state !== 'connected') return posix(-ENOTCONN);
  addrlen.value = endpointToSockaddr(ctx.remote, addr);
  return 0;
}

/** `zsock_socketpair` is not supported (Zephyr needs CONFIG_NET_SOCKETPAIR). */
export function zsock_socketpair(): number {
  return posix(-ENOTSUP);
}

/** `struct timeval` for SO_RCVTIMEO / SO_SNDTIMEO. */
export interface timeval {
  tv_sec: number;
  tv_usec: number;
}

/** @internal a timeval as a k_timeout_t (0 means forever, as in POSIX). */
export function timevalToTimeout(tv: timeval): k_timeout_t {
  const us = tv.tv_sec * 1e6 + tv.tv_usec;
  return us <= 0 ? K_FOREVER : K_USEC(us);
}

/** POSIX names (`CONFIG_NET_SOCKETS_POSIX_NAMES`). */
export {
  zsock_socket as socket, zsock_close as close, zsock_bind as bind, zsock_connect as connect, zsock_listen as listen,
  zsock_accept as accept, zsock_send as send, zsock_sendto as sendto, zsock_sendmsg as sendmsg, zsock_recv as recv,
  zsock_recvfrom as recvfrom, zsock_setsockopt as setsockopt, zsock_getsockopt as getsockopt, zsock_fcntl as fcntl,
  zsock_shutdown as shutdown, zsock_getsockname as getsockname, zsock_getpeername as getpeername,
};
