/** `zsock_setsockopt` / `zsock_getsockopt` option handling (SOL_SOCKET, IPPROTO_TCP/IP, SOL_TLS). */
import { K_FOREVER, type k_timeout_t } from '../kernel/timeout.ts';
import { EINVAL, ENOPROTOOPT, ENOTCONN } from '../libc/errno.ts';
import type { NetContext } from './net_context.ts';
import { IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP } from './net_ip.ts';
import {
  IP_TOS, IP_TTL, IPV6_V6ONLY, SO_BINDTODEVICE, SO_BROADCAST, SO_DOMAIN, SO_ERROR, SO_KEEPALIVE, SO_LINGER, SO_PRIORITY,
  SO_PROTOCOL, SO_RCVBUF, SO_RCVTIMEO, SO_REUSEADDR, SO_REUSEPORT, SO_SNDBUF, SO_SNDTIMEO, SO_TYPE, SOL_SOCKET,
  SOL_TLS, TCP_NODELAY, TLS_ALPN_LIST, TLS_CERT_NOCOPY, TLS_CIPHERSUITE_LIST, TLS_CIPHERSUITE_USED, TLS_HOSTNAME,
  TLS_PEER_VERIFY, TLS_SEC_TAG_LIST, TLS_SESSION_CACHE, TLS_SESSION_CACHE_PURGE,
} from './socket_consts.ts';

interface TimevalLike {
  tv_sec: number;
  tv_usec: number;
}

function asInt(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v && typeof v === 'object' && 'value' in v) return asInt((v as { value: unknown }).value);
  return null;
}

function asIntArray(v: unknown, optlen: number): number[] | null {
  if (Array.isArray(v)) return v.every((x) => typeof x === 'number') ? (v as number[]).slice(0, optlen > 0 ? Math.floor(optlen / 4) || v.length : v.length) : null;
  if (v instanceof Int32Array || v instanceof Uint32Array) return [...v].slice(0, Math.floor(optlen / 4) || v.length);
  if (typeof v === 'number') return [v];
  return null;
}

function timeoutOf(v: unknown): k_timeout_t | null {
  if (!v || typeof v !== 'object' || !('tv_sec' in v)) return null;
  const tv = v as TimevalLike;
  const us = Number(tv.tv_sec) * 1e6 + Number(tv.tv_usec ?? 0);
  if (!Number.isFinite(us) || us < 0) return null;
  return us === 0 ? K_FOREVER : { kind: 2, n: us, per: 1e6 } as k_timeout_t;
}

function timevalOf(t: k_timeout_t): TimevalLike {
  if (t.kind !== 2) return { tv_sec: 0, tv_usec: 0 };
  const us = t.per === 0 ? 0 : Math.round((t.n * 1e6) / t.per);
  return { tv_sec: Math.floor(us / 1e6), tv_usec: us % 1e6 };
}

/** Applies one option; 0 or a negative errno. */
export function setsockoptImpl(ctx: NetContext, level: number, optname: number, optval: unknown, optlen: number): number {
  if (level === SOL_SOCKET) {
    switch (optname) {
      case SO_RCVTIMEO:
      case SO_SNDTIMEO: {
        const t = timeoutOf(optval);
        if (!t) return -EINVAL;
        if (optname === SO_RCVTIMEO) ctx.rcvtimeo = t;
        else ctx.sndtimeo = t;
        return 0;
      }
      case SO_RCVBUF:
      case SO_SNDBUF: {
        const n = asInt(optval);
        if (n === null || n < 0) return -EINVAL;
        if (optname === SO_RCVBUF) {
          ctx.rcvbuf = n;
          ctx.conn?.setReceiveWindow?.(Math.max(0, n - ctx.rxBytes));
        } else ctx.sndbuf = n;
        return 0;
      }
      case SO_REUSEADDR:
      case SO_REUSEPORT:
      case SO_KEEPALIVE:
      case SO_BROADCAST:
      case SO_LINGER:
      case SO_PRIORITY:
      case SO_BINDTODEVICE:
        return 0;
      default:
        return -ENOPROTOOPT;
    }
  }
  if (level === IPPROTO_TCP) {
    if (optname !== TCP_NODELAY) return -ENOPROTOOPT;
    const n = asInt(optval);
    if (n === null) return -EINVAL;
    ctx.noDelay = n !== 0;
    ctx.conn?.setNoDelay?.(ctx.noDelay);
    return 0;
  }
  if (level === IPPROTO_IP || level === IPPROTO_IPV6) {
    return optname === IP_TOS || optname === IP_TTL || optname === IPV6_V6ONLY ? 0 : -ENOPROTOOPT;
  }
  if (level === SOL_TLS) {
    const tls = ctx.tls;
    if (!tls) return -ENOPROTOOPT;
    switch (optname) {
      case TLS_SEC_TAG_LIST: {
        const tags = asIntArray(optval, optlen);
        if (!tags) return -EINVAL;
        tls.secTags = tags;
        return 0;
      }
      case TLS_HOSTNAME:
        if (optval !== null && typeof optval !== 'string') return -EINVAL;
        tls.hostname = optval === null ? null : String(optval).split('\0')[0]!;
        return 0;
      case TLS_PEER_VERIFY: {
        const n = asInt(optval);
        if (n === null || n < 0 || n > 2) return -EINVAL;
        tls.peerVerify = n;
        return 0;
      }
      case TLS_CIPHERSUITE_LIST: {
        const list = asIntArray(optval, optlen);
        if (!list) return -EINVAL;
        tls.ciphersuites = list;
        return 0;
      }
      case TLS_ALPN_LIST:
        if (!Array.isArray(optval) || !optval.every((x) => typeof x === 'string')) return -EINVAL;
        tls.alpn = optval as string[];
        return 0;
      case TLS_SESSION_CACHE: {
        const n = asInt(optval);
        if (n === null) return -EINVAL;
        tls.sessionCache = n !== 0;
        return 0;
      }
      case TLS_SESSION_CACHE_PURGE:
      case TLS_CERT_NOCOPY:
        return 0;
      default:
        return -ENOPROTOOPT;
    }
  }
  return -ENOPROTOOPT;
}

/** Reads one option into `optval.value`; 0 or a negative errno. */
export function getsockoptImpl(
  ctx: NetContext,
  level: number,
  optname: number,
  optval: { value: unknown },
  optlen: { value: number },
): number {
  const int = (v: number): number => {
    optval.value = v;
    optlen.value = 4;
    return 0;
  };
  if (level === SOL_SOCKET) {
    switch (optname) {
      case SO_ERROR: {
        const e = ctx.soError ? -ctx.soError : 0;
        ctx.soError = 0;
        return int(e);
      }
      case SO_TYPE:
        return int(ctx.type);
      case SO_PROTOCOL:
        return int(ctx.proto);
      case SO_DOMAIN:
        return int(ctx.family);
      case SO_RCVBUF:
        return int(ctx.rcvbuf);
      case SO_SNDBUF:
        return int(ctx.sndbuf);
      case SO_RCVTIMEO:
      case SO_SNDTIMEO:
        optval.value = timevalOf(optname === SO_RCVTIMEO ? ctx.rcvtimeo : ctx.sndtimeo);
        optlen.value = 8;
        return 0;
      default:
        return -ENOPROTOOPT;
    }
  }
  if (level === IPPROTO_TCP && optname === TCP_NODELAY) return int(ctx.noDelay ? 1 : 0);
  if (level === SOL_TLS && ctx.tls) {
    const tls = ctx.tls;
    switch (optname) {
      case TLS_SEC_TAG_LIST:
        optval.value = tls.secTags.slice();
        optlen.value = 4 * tls.secTags.length;
        return 0;
      case TLS_CIPHERSUITE_LIST:
        optval.value = tls.ciphersuites.slice();
        optlen.value = 4 * tls.ciphersuites.length;
        return 0;
      case TLS_CIPHERSUITE_USED:
        if (ctx.state !== 'connected') return -ENOTCONN;
        return int(tls.ciphersuiteUsed);
      case TLS_PEER_VERIFY:
        return int(tls.peerVerify ?? 2);
      case TLS_ALPN_LIST:
        optval.value = tls.alpn.slice();
        optlen.value = tls.alpn.length;
        return 0;
      case TLS_SESSION_CACHE:
        return int(tls.sessionCache ? 1 : 0);
      default:
        return -ENOPROTOOPT;
    }
  }
  return -ENOPROTOOPT;
}
