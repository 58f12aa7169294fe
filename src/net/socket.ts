/**
 * `zsim/net/socket`: Zephyr's BSD socket API (`zsock_*`, `<zephyr/net/socket.h>`).
 *
 * POSIX conventions as Zephyr has them: calls return -1 and set the calling thread's `errno`
 * (import `errno` from here or from `zsim/errno`; it is a live, per-thread value). Calls that wait
 * for the network (`zsock_connect`, `zsock_accept`, `zsock_send*`, `zsock_recv*`, `zsock_poll`,
 * `zsock_getaddrinfo`) are async; the others are synchronous.
 */
import type { Kernel } from '../kernel/kernel.ts';
import { K_FOREVER, K_MSEC, K_USEC, type k_timeout_t } from '../kernel/timeout.ts';
import {
  EAFNOSUPPORT, EAGAIN, EALREADY, EBADF, EINPROGRESS, EINVAL, EISCONN, ENFILE, ENOMEM,
  ENOTCONN, ENOTSUP, EOPNOTSUPP, EPROTONOSUPPORT, EPROTOTYPE, ETIMEDOUT,
} from '../libc/errno.ts';
import type { Endpoint } from './conn.ts';
import { NetContext } from './net_context.ts';
import { net_set_close_all, net_stack, type NetStack } from './net_if.ts';
import {
  AF_INET, AF_INET6, IPPROTO_TCP, IPPROTO_TLS_1_0, IPPROTO_TLS_1_3, IPPROTO_UDP, SOCK_DGRAM, SOCK_STREAM,
  endpointToSockaddr, sockaddrToEndpoint, type sockaddr, type socklen_t,
} from './net_ip.ts';
import {
  F_GETFL, F_SETFL, O_NONBLOCK, O_RDWR, SHUT_RD, SHUT_RDWR, SHUT_WR,
  SOMAXCONN,
} from './socket_consts.ts';
import { getsockoptImpl, setsockoptImpl } from './sockopt.ts';
import { ctxOf, openUdp, posix, stack, timeoutFor, type Ref } from './socket_common.ts';

export * from './net_ip.ts';
export * from './socket_consts.ts';
export { errno } from '../libc/errno.ts';
export { zsock_poll, zsock_pollfd } from './socket_poll.ts';
export { zsock_getaddrinfo, zsock_freeaddrinfo, zsock_gai_strerror, zsock_addrinfo } from './getaddrinfo.ts';
export { zsock_inet_pton, zsock_inet_ntop } from './inet.ts';
export { ctxOf, posix, type Ref } from './socket_common.ts';
export { zsock_recv, zsock_recvfrom, zsock_send, zsock_sendmsg, zsock_sendto, type msghdr } from './socket_io.ts';
import { zsock_recv, zsock_recvfrom, zsock_send, zsock_sendmsg, zsock_sendto } from './socket_io.ts';

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
  // net_context_connect: "Family mismatch" is -EINVAL.
  if ((ep.family === 4 ? AF_INET : AF_INET6) !== ctx.family) return posix(-EINVAL);
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
