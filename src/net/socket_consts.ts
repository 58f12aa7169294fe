/** Socket-level constants of `<zephyr/net/socket.h>` and `<zephyr/posix/fcntl.h>`, Zephyr's values. */

export const ZSOCK_POLLIN = 1;
export const ZSOCK_POLLPRI = 2;
export const ZSOCK_POLLOUT = 4;
export const ZSOCK_POLLERR = 8;
export const ZSOCK_POLLHUP = 0x10;
export const ZSOCK_POLLNVAL = 0x20;
export const POLLIN = ZSOCK_POLLIN;
export const POLLPRI = ZSOCK_POLLPRI;
export const POLLOUT = ZSOCK_POLLOUT;
export const POLLERR = ZSOCK_POLLERR;
export const POLLHUP = ZSOCK_POLLHUP;
export const POLLNVAL = ZSOCK_POLLNVAL;

export const ZSOCK_MSG_PEEK = 0x02;
export const ZSOCK_MSG_CTRUNC = 0x08;
export const ZSOCK_MSG_TRUNC = 0x20;
export const ZSOCK_MSG_DONTWAIT = 0x40;
export const ZSOCK_MSG_WAITALL = 0x100;
export const MSG_PEEK = ZSOCK_MSG_PEEK;
export const MSG_CTRUNC = ZSOCK_MSG_CTRUNC;
export const MSG_TRUNC = ZSOCK_MSG_TRUNC;
export const MSG_DONTWAIT = ZSOCK_MSG_DONTWAIT;
export const MSG_WAITALL = ZSOCK_MSG_WAITALL;

export const ZSOCK_SHUT_RD = 0;
export const ZSOCK_SHUT_WR = 1;
export const ZSOCK_SHUT_RDWR = 2;
export const SHUT_RD = ZSOCK_SHUT_RD;
export const SHUT_WR = ZSOCK_SHUT_WR;
export const SHUT_RDWR = ZSOCK_SHUT_RDWR;

export const SOL_SOCKET = 1;
export const SO_DEBUG = 1;
export const SO_REUSEADDR = 2;
export const SO_TYPE = 3;
export const SO_ERROR = 4;
export const SO_DONTROUTE = 5;
export const SO_BROADCAST = 6;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_KEEPALIVE = 9;
export const SO_OOBINLINE = 10;
export const SO_PRIORITY = 12;
export const SO_LINGER = 13;
export const SO_REUSEPORT = 15;
export const SO_RCVLOWAT = 18;
export const SO_SNDLOWAT = 19;
export const SO_RCVTIMEO = 20;
export const SO_SNDTIMEO = 21;
export const SO_BINDTODEVICE = 25;
export const SO_ACCEPTCONN = 30;
export const SO_TIMESTAMPING = 37;
export const SO_PROTOCOL = 38;
export const SO_DOMAIN = 39;
export const SOMAXCONN = 128;

export const TCP_NODELAY = 1;
export const IP_TOS = 1;
export const IP_TTL = 2;
export const IPV6_V6ONLY = 26;

/** TLS socket options (level `SOL_TLS`). */
export const SOL_TLS = 282;
export const TLS_SEC_TAG_LIST = 1;
export const TLS_HOSTNAME = 2;
export const TLS_CIPHERSUITE_LIST = 3;
export const TLS_CIPHERSUITE_USED = 4;
export const TLS_PEER_VERIFY = 5;
export const TLS_DTLS_ROLE = 6;
export const TLS_ALPN_LIST = 7;
export const TLS_DTLS_HANDSHAKE_TIMEOUT_MIN = 8;
export const TLS_DTLS_HANDSHAKE_TIMEOUT_MAX = 9;
export const TLS_CERT_NOCOPY = 10;
export const TLS_NATIVE = 11;
export const TLS_SESSION_CACHE = 12;
export const TLS_SESSION_CACHE_PURGE = 13;
export const TLS_PEER_VERIFY_NONE = 0;
export const TLS_PEER_VERIFY_OPTIONAL = 1;
export const TLS_PEER_VERIFY_REQUIRED = 2;
export const TLS_DTLS_ROLE_CLIENT = 0;
export const TLS_DTLS_ROLE_SERVER = 1;
export const TLS_SESSION_CACHE_DISABLED = 0;
export const TLS_SESSION_CACHE_ENABLED = 1;

/** `fcntl` commands and flags. */
export const F_DUPFD = 0;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const O_RDWR = 2;
export const O_NONBLOCK = 0x4000;

/** `getaddrinfo` flags and errors (`DNS_EAI_*`). */
export const AI_PASSIVE = 0x1;
export const AI_CANONNAME = 0x2;
export const AI_NUMERICHOST = 0x4;
export const AI_V4MAPPED = 0x8;
export const AI_ALL = 0x10;
export const AI_ADDRCONFIG = 0x20;
export const AI_NUMERICSERV = 0x400;
export const DNS_EAI_BADFLAGS = -1;
export const DNS_EAI_NONAME = -2;
export const DNS_EAI_AGAIN = -3;
export const DNS_EAI_FAIL = -4;
export const DNS_EAI_NODATA = -5;
export const DNS_EAI_FAMILY = -6;
export const DNS_EAI_SOCKTYPE = -7;
export const DNS_EAI_SERVICE = -8;
export const DNS_EAI_ADDRFAMILY = -9;
export const DNS_EAI_MEMORY = -10;
export const DNS_EAI_SYSTEM = -11;
export const DNS_EAI_OVERFLOW = -12;
export const EAI_BADFLAGS = DNS_EAI_BADFLAGS;
export const EAI_NONAME = DNS_EAI_NONAME;
export const EAI_AGAIN = DNS_EAI_AGAIN;
export const EAI_FAIL = DNS_EAI_FAIL;
export const EAI_NODATA = DNS_EAI_NODATA;
export const EAI_FAMILY = DNS_EAI_FAMILY;
export const EAI_SOCKTYPE = DNS_EAI_SOCKTYPE;
export const EAI_SERVICE = DNS_EAI_SERVICE;
export const EAI_MEMORY = DNS_EAI_MEMORY;
export const EAI_SYSTEM = DNS_EAI_SYSTEM;
