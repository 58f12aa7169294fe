/**
 * Error numbers with the values of Zephyr's minimal libc (`lib/libc/minimal/include/errno.h`).
 *
 * Kernel and network calls return them negated (`-EAGAIN`), as Zephyr does; the socket layer
 * returns -1 and sets the per-thread `errno` instead, as POSIX does.
 */
/**
 * The running thread's `errno`, as a live binding: `import { errno } from 'zsim/errno'` always
 * reads the current thread's value. The kernel saves it into the thread when the thread blocks and
 * restores it when the thread runs again, so each thread has its own, as in Zephyr.
 */
export let errno = 0;

/** Sets the running thread's `errno` (what C code does with `errno = ENOMEM`). */
export function set_errno(value: number): void {
  errno = value;
}

export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
export const EIO = 5;
export const ENXIO = 6;
export const E2BIG = 7;
export const ENOEXEC = 8;
export const EBADF = 9;
export const ECHILD = 10;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const EXDEV = 18;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const ENFILE = 23;
export const EMFILE = 24;
export const ENOTTY = 25;
export const ENAMETOOLONG = 26;
export const EFBIG = 27;
export const ENOSPC = 28;
export const ESPIPE = 29;
export const EROFS = 30;
export const EMLINK = 31;
export const EPIPE = 32;
export const EDEADLK = 33;
export const ENOLCK = 34;
export const ENOTSUP = 35;
export const EMSGSIZE = 36;
export const EDOM = 37;
export const ERANGE = 38;
export const EDESTADDRREQ = 40;
export const EPROTOTYPE = 41;
export const ENOPROTOOPT = 42;
export const EPROTONOSUPPORT = 43;
export const ESOCKTNOSUPPORT = 44;
export const EOPNOTSUPP = 45;
export const EPFNOSUPPORT = 46;
export const EAFNOSUPPORT = 47;
export const EADDRINUSE = 48;
export const EADDRNOTAVAIL = 49;
export const ENOTSOCK = 50;
export const ENETUNREACH = 51;
export const ENETRESET = 52;
export const ECONNABORTED = 53;
export const ECONNRESET = 54;
export const ENOBUFS = 55;
export const EISCONN = 56;
export const ENOTCONN = 57;
export const ESHUTDOWN = 58;
export const ETOOMANYREFS = 59;
export const ETIMEDOUT = 60;
export const ECONNREFUSED = 61;
export const ENETDOWN = 62;
export const ETXTBSY = 63;
export const ELOOP = 64;
export const EHOSTUNREACH = 65;
export const ENOTBLK = 66;
export const EHOSTDOWN = 67;
export const EINPROGRESS = 68;
export const EALREADY = 69;
export const EWOULDBLOCK = EAGAIN;
export const ENOSYS = 71;
export const ECANCELED = 72;
export const ENOSR = 74;
export const ENOSTR = 75;
export const EPROTO = 76;
export const EBADMSG = 77;
export const ENODATA = 78;
export const ETIME = 79;
export const ENOMSG = 80;
export const EILSEQ = 138;

const NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries({
    EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG, ENOEXEC, EBADF, ECHILD, EAGAIN, ENOMEM, EACCES,
    EFAULT, EBUSY, EEXIST, EXDEV, ENODEV, ENOTDIR, EISDIR, EINVAL, ENFILE, EMFILE, ENOTTY,
    ENAMETOOLONG, EFBIG, ENOSPC, ESPIPE, EROFS, EMLINK, EPIPE, EDEADLK, ENOLCK, ENOTSUP, EMSGSIZE,
    EDOM, ERANGE, EDESTADDRREQ, EPROTOTYPE, ENOPROTOOPT, EPROTONOSUPPORT, ESOCKTNOSUPPORT,
    EOPNOTSUPP, EPFNOSUPPORT, EAFNOSUPPORT, EADDRINUSE, EADDRNOTAVAIL, ENOTSOCK, ENETUNREACH,
    ENETRESET, ECONNABORTED, ECONNRESET, ENOBUFS, EISCONN, ENOTCONN, ESHUTDOWN, ETOOMANYREFS,
    ETIMEDOUT, ECONNREFUSED, ENETDOWN, ETXTBSY, ELOOP, EHOSTUNREACH, ENOTBLK, EHOSTDOWN,
    EINPROGRESS, EALREADY, ENOSYS, ECANCELED, ENOSR, ENOSTR, EPROTO, EBADMSG, ENODATA, ETIME,
    ENOMSG, EILSEQ,
  }).map(([name, value]) => [value, name]),
);

/** The symbolic name of an errno value, negative or not: `errnoName(-11)` is `"EAGAIN"`. */
export function errnoName(err: number): string {
  return NAMES.get(Math.abs(err)) ?? `errno ${Math.abs(err)}`;
}

const STRINGS: Readonly<Record<string, string>> = {
  EPERM: 'Not owner', ENOENT: 'No such file or directory', EINTR: 'Interrupted system call',
  EIO: 'I/O error', EBADF: 'Bad file number', EAGAIN: 'No more contexts', ENOMEM: 'Not enough core',
  EACCES: 'Permission denied', EFAULT: 'Bad address', EBUSY: 'Mount device busy',
  EEXIST: 'File exists', ENODEV: 'No such device', EINVAL: 'Invalid argument',
  EMFILE: 'Too many open files', EFBIG: 'File too large', ENOSPC: 'No space left on device',
  EPIPE: 'Broken pipe', EDEADLK: 'Resource deadlock avoided', ENOTSUP: 'Unsupported value',
  EMSGSIZE: 'Message size', ENOPROTOOPT: 'Protocol not available',
  EPROTONOSUPPORT: 'Protocol not supported', EOPNOTSUPP: 'Operation not supported on socket',
  EAFNOSUPPORT: 'Addr family not supported', EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: "Can't assign requested address", ENOTSOCK: 'Socket operation on non-socket',
  ENETUNREACH: 'Network is unreachable', ECONNABORTED: 'Software caused connection abort',
  ECONNRESET: 'Connection reset by peer', ENOBUFS: 'No buffer space available',
  EISCONN: 'Socket is already connected', ENOTCONN: 'Socket is not connected',
  ETIMEDOUT: 'Connection timed out', ECONNREFUSED: 'Connection refused', ENETDOWN: 'Network is down',
  EHOSTUNREACH: 'No route to host', EINPROGRESS: 'Operation now in progress',
  EALREADY: 'Operation already in progress', ENOSYS: 'Function not implemented',
  ECANCELED: 'Operation canceled', EPROTO: 'Generic STREAMS error', EBADMSG: 'Invalid STREAMS message',
  ENODATA: 'Missing expected message data', ENOMSG: 'Unexpected message type',
};

/** Zephyr's `strerror()` text for an errno value (sign ignored). */
export function strerror(err: number): string {
  const name = errnoName(err);
  return STRINGS[name] ?? name;
}
