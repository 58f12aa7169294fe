/**
 * Translation of Node.js error codes (libuv's `ECONNREFUSED`, DNS's `ENOTFOUND`, Node's own
 * `ERR_*`) to Zephyr's negative errno values. Node's numeric `errno` is the *host's* value (Linux,
 * macOS and Windows differ, and none matches Zephyr's minimal libc), so only the symbolic `code`
 * is trusted.
 */
import * as E from '../../libc/errno.ts';

/** libuv / POSIX codes that exist under the same name in Zephyr. */
const SAME_NAME: Readonly<Record<string, number>> = {
  EPERM: E.EPERM, ENOENT: E.ENOENT, EINTR: E.EINTR, EIO: E.EIO, EBADF: E.EBADF, EAGAIN: E.EAGAIN,
  EWOULDBLOCK: E.EAGAIN, ENOMEM: E.ENOMEM, EACCES: E.EACCES, EFAULT: E.EFAULT, EBUSY: E.EBUSY,
  EEXIST: E.EEXIST, EINVAL: E.EINVAL, ENFILE: E.ENFILE, EMFILE: E.EMFILE, ENOSPC: E.ENOSPC,
  EPIPE: E.EPIPE, ENOTSUP: E.ENOTSUP, EMSGSIZE: E.EMSGSIZE, ENOPROTOOPT: E.ENOPROTOOPT,
  EPROTONOSUPPORT: E.EPROTONOSUPPORT, EPROTOTYPE: E.EPROTOTYPE, EOPNOTSUPP: E.EOPNOTSUPP,
  EAFNOSUPPORT: E.EAFNOSUPPORT, EADDRINUSE: E.EADDRINUSE, EADDRNOTAVAIL: E.EADDRNOTAVAIL,
  ENOTSOCK: E.ENOTSOCK, ENETUNREACH: E.ENETUNREACH, ENETRESET: E.ENETRESET,
  ECONNABORTED: E.ECONNABORTED, ECONNRESET: E.ECONNRESET, ENOBUFS: E.ENOBUFS, EISCONN: E.EISCONN,
  ENOTCONN: E.ENOTCONN, ESHUTDOWN: E.ESHUTDOWN, ETIMEDOUT: E.ETIMEDOUT,
  ECONNREFUSED: E.ECONNREFUSED, ENETDOWN: E.ENETDOWN, EHOSTUNREACH: E.EHOSTUNREACH,
  EHOSTDOWN: E.EHOSTDOWN, EINPROGRESS: E.EINPROGRESS, EALREADY: E.EALREADY, ENOSYS: E.ENOSYS,
  ECANCELED: E.ECANCELED, EPROTO: E.EPROTO, ENODATA: E.ENODATA, ENAMETOOLONG: E.ENAMETOOLONG,
  ELOOP: E.ELOOP, ENXIO: E.ENXIO, ENODEV: E.ENODEV, ERANGE: E.ERANGE,
};

/** Node's own (non-libuv) codes, for errors raised by the stream machinery rather than the OS. */
const NODE_CODES: Readonly<Record<string, number>> = {
  ERR_STREAM_WRITE_AFTER_END: E.EPIPE,
  ERR_STREAM_DESTROYED: E.EPIPE,
  ERR_STREAM_PREMATURE_CLOSE: E.ECONNRESET,
  ERR_SOCKET_CLOSED: E.EBADF,
  ERR_SOCKET_CLOSED_BEFORE_CONNECTION: E.ECONNABORTED,
  ERR_SOCKET_CONNECTION_TIMEOUT: E.ETIMEDOUT,
  ERR_SOCKET_DGRAM_NOT_RUNNING: E.EBADF,
  ERR_SOCKET_DGRAM_NOT_CONNECTED: E.ENOTCONN,
  ERR_SOCKET_DGRAM_IS_CONNECTED: E.EISCONN,
  ERR_SOCKET_BAD_PORT: E.EINVAL,
  ERR_SOCKET_ALREADY_BOUND: E.EINVAL,
  ERR_SERVER_ALREADY_LISTEN: E.EINVAL,
  ERR_SERVER_NOT_RUNNING: E.EBADF,
  ERR_INVALID_ADDRESS_FAMILY: E.EAFNOSUPPORT,
  ERR_INVALID_IP_ADDRESS: E.EINVAL,
  ERR_INVALID_ARG_TYPE: E.EINVAL,
  ERR_INVALID_ARG_VALUE: E.EINVAL,
  ERR_OUT_OF_RANGE: E.EINVAL,
};

/**
 * Resolver failures. Zephyr's `getaddrinfo()` reports them as `DNS_EAI_*` codes; the socket
 * layer gets an errno from `resolve()` and translates: -ENOENT means "no such name"
 * (EAI_NONAME), -EAGAIN a temporary failure (EAI_AGAIN), -EIO a server failure (EAI_FAIL).
 * `ENODATA` here is c-ares' "name exists but has no address of that family", not the errno.
 */
const DNS_CODES: Readonly<Record<string, number>> = {
  ENOTFOUND: E.ENOENT, EAI_NONAME: E.ENOENT, ENODATA: E.ENOENT, EAI_NODATA: E.ENOENT,
  NXDOMAIN: E.ENOENT, EAI_ADDRFAMILY: E.ENOENT,
  EAI_AGAIN: E.EAGAIN, ETIMEOUT: E.EAGAIN, ECONNREFUSED: E.EAGAIN, EAI_SYSTEM: E.EAGAIN,
  ESERVFAIL: E.EIO, EAI_FAIL: E.EIO, EREFUSED: E.EIO, EBADRESP: E.EIO, EFORMERR: E.EIO,
  EAI_FAMILY: E.EAFNOSUPPORT, EAI_MEMORY: E.ENOMEM, EBADNAME: E.EINVAL, EAI_BADFLAGS: E.EINVAL,
  ECANCELLED: E.ECANCELED, EAI_CANCELED: E.ECANCELED,
};

/** A TLS failure (handshake, certificate): Zephyr's TLS sockets report them as -ECONNABORTED. */
function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_OSSL_') ||
    /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME_MISMATCH/.test(code)
  );
}

function codeOf(err: unknown): string {
  if (err !== null && typeof err === 'object' && 'code' in err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return '';
}

/**
 * The negative Zephyr errno for a Node socket error (`-ECONNREFUSED` is -61 whatever the host
 * OS says). Unknown errors become -EIO.
 */
export function zephyrErrno(err: unknown): number {
  const code = codeOf(err);
  const v = SAME_NAME[code] ?? NODE_CODES[code];
  if (v !== undefined) return -v;
  if (isTlsCode(code)) return -E.ECONNABORTED;
  return -E.EIO;
}

/** The negative Zephyr errno for a failed `dns.lookup` (see the table above for the meanings). */
export function zephyrDnsErrno(err: unknown): number {
  const code = codeOf(err);
  const v = DNS_CODES[code];
  if (v !== undefined) return -v;
  return zephyrErrno(err);
}
