/**
 * coreMQTT's transport interface (`transport_interface.h`): the three function pointers through
 * which the library reaches the network, plus the opaque network context they share.
 *
 * As everywhere in zsim, a call that may wait for the network is async (docs/architecture.md, "Why
 * some calls are async"), so `send`, `recv` and `writev` return promises that the library awaits.
 * Their results keep the C contract: the number of bytes transferred (0 when nothing could be
 * transferred right now, which is not an error) or a negative value on a network error.
 */

/**
 * The transport's own state (`struct NetworkContext`): C leaves the type incomplete so that each
 * transport defines it; here it is any object, and a transport's functions name their own type
 * (see `PlaintextParams_t` in `transport_zsock.ts`).
 */
export type NetworkContext_t = object;

/** One buffer of a gathered write (`TransportOutVector_t`, an `iovec`). */
export interface TransportOutVector_t {
  /** The bytes to send; only the first `iov_len` are. */
  iov_base: Uint8Array;
  /** How many bytes of `iov_base` to send. */
  iov_len: number;
}

/** `TransportRecv_t`: read at most `bytesToRecv` bytes into the start of `pBuffer`. */
export type TransportRecv_t<N extends NetworkContext_t = NetworkContext_t> = (
  pNetworkContext: N,
  pBuffer: Uint8Array,
  bytesToRecv: number,
) => Promise<number>;

/** `TransportSend_t`: write at most `bytesToSend` bytes from the start of `pBuffer`. */
export type TransportSend_t<N extends NetworkContext_t = NetworkContext_t> = (
  pNetworkContext: N,
  pBuffer: Uint8Array,
  bytesToSend: number,
) => Promise<number>;

/** `TransportWritev_t`: write the first `ioVecCount` vectors of `pIoVec` as one stream, in order. */
export type TransportWritev_t<N extends NetworkContext_t = NetworkContext_t> = (
  pNetworkContext: N,
  pIoVec: readonly TransportOutVector_t[],
  ioVecCount: number,
) => Promise<number>;

/**
 * `TransportInterface_t`. The functions are declared as methods on purpose: method parameters are
 * checked bivariantly, so a transport written for its own context type (`PlaintextParams_t`) fits
 * an interface over the opaque `NetworkContext_t`, exactly as C casts `struct NetworkContext *`.
 */
export interface TransportInterface_t<N extends NetworkContext_t = NetworkContext_t> {
  /** Passed back unchanged as the first argument of every call. */
  pNetworkContext: N;
  recv(pNetworkContext: N, pBuffer: Uint8Array, bytesToRecv: number): Promise<number>;
  send(pNetworkContext: N, pBuffer: Uint8Array, bytesToSend: number): Promise<number>;
  /** Optional: when present the library sends a packet made of several buffers in one call. */
  writev?(pNetworkContext: N, pIoVec: readonly TransportOutVector_t[], ioVecCount: number): Promise<number>;
}
