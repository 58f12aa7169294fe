/**
 * A ready-made coreMQTT transport over zsim's BSD sockets: the plaintext TCP transport of the
 * coreMQTT demos (`plaintext_posix.h`: `Plaintext_Connect`, `Plaintext_Disconnect`,
 * `Plaintext_Send`, `Plaintext_Recv`), on `zsock_*`.
 *
 *     const net: PlaintextParams_t = { socketDescriptor: -1 };
 *     await Plaintext_Connect(net, { pHostName: '192.0.2.2', hostNameLength: 9, port: 1883 }, 1000, 100);
 *     const transport = { pNetworkContext: net, send: Plaintext_Send, recv: Plaintext_Recv, writev: Plaintext_Writev };
 *
 * The receive timeout given to `Plaintext_Connect` is how long `Plaintext_Recv` waits for data
 * before it returns 0 ("nothing now"): it is what an idle `MQTT_ProcessLoop` iteration costs,
 * in virtual as in real time.
 */
import { EAGAIN, ENOMEM, errno, set_errno } from '../libc/errno.ts';
import { LOG_MODULE_REGISTER } from '../logging/log.ts';
import {
  AF_INET, IPPROTO_TCP, MSG_DONTWAIT, SOCK_STREAM, SOL_SOCKET, SO_RCVTIMEO, SO_SNDTIMEO, zsock_addrinfo, zsock_close, zsock_connect, zsock_getaddrinfo, zsock_recv, zsock_send, zsock_sendmsg,
  zsock_setsockopt, zsock_socket,
} from '../net/socket.ts';
import type { TransportOutVector_t } from './transport_interface.ts';

const { LOG_ERR, LOG_DBG } = LOG_MODULE_REGISTER('transport_zsock', 'COREMQTT_LOG_LEVEL');

export const SOCKETS_SUCCESS = 0;
export const SOCKETS_INVALID_PARAMETER = 1;
export const SOCKETS_NO_MEMORY = 2;
export const SOCKETS_API_ERROR = 3;
export const SOCKETS_DNS_FAILURE = 4;
export const SOCKETS_CONNECT_FAILURE = 5;
/** `SocketStatus_t`. */
export type SocketStatus_t =
  | typeof SOCKETS_SUCCESS
  | typeof SOCKETS_INVALID_PARAMETER
  | typeof SOCKETS_NO_MEMORY
  | typeof SOCKETS_API_ERROR
  | typeof SOCKETS_DNS_FAILURE
  | typeof SOCKETS_CONNECT_FAILURE;

/** `ServerInfo_t`: where to connect. */
export interface ServerInfo_t {
  /** A numeric IPv4 address or a name the board's resolver knows. */
  pHostName: string;
  hostNameLength: number;
  port: number;
}

/** `PlaintextParams_t`: the transport's network context, the socket (-1 when closed). */
export interface PlaintextParams_t {
  socketDescriptor: number;
  /** Whether receives must not wait (a 0 receive timeout). */
  nonBlockingRecv?: boolean;
}

/** A timeout in ms as the `struct timeval` of `SO_RCVTIMEO`/`SO_SNDTIMEO`. */
function timeval(ms: number): { tv_sec: number; tv_usec: number } {
  return { tv_sec: Math.floor(ms / 1000), tv_usec: (ms % 1000) * 1000 };
}

/**
 * `Plaintext_Connect`: resolves the host, connects a TCP socket and sets its send and receive
 * timeouts (0 for the receive timeout: receives never wait).
 */
export async function Plaintext_Connect(
  pNetworkContext: PlaintextParams_t | null,
  pServerInfo: ServerInfo_t | null,
  sendTimeoutMs: number,
  recvTimeoutMs: number,
): Promise<SocketStatus_t> {
  if (!pNetworkContext || !pServerInfo || !pServerInfo.pHostName || !(pServerInfo.hostNameLength > 0)) return SOCKETS_INVALID_PARAMETER;
  const host = pServerInfo.pHostName.slice(0, pServerInfo.hostNameLength);
  const res: { value: zsock_addrinfo | null } = { value: null };
  const rc = await zsock_getaddrinfo(host, String(pServerInfo.port), { ai_family: AF_INET, ai_socktype: SOCK_STREAM }, res);
  if (rc !== 0 || !res.value) {
    LOG_ERR('Failed to resolve DNS: Hostname=%s, ErrorCode=%d.', host, rc);
    return SOCKETS_DNS_FAILURE;
  }
  const fd = zsock_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (fd < 0) {
    LOG_ERR('Failed to create a socket: errno=%d.', errno);
    return errno === ENOMEM ? SOCKETS_NO_MEMORY : SOCKETS_API_ERROR;
  }
  if ((await zsock_connect(fd, res.value.ai_addr, res.value.ai_addrlen)) < 0) {
    LOG_ERR('Failed to connect to server: Hostname=%s, Port=%d, errno=%d.', host, pServerInfo.port, errno);
    zsock_close(fd);
    return SOCKETS_CONNECT_FAILURE;
  }
  // A zero timeval means "forever" to SO_*TIMEO: a zero receive timeout is MSG_DONTWAIT instead.
  if (sendTimeoutMs > 0) zsock_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, timeval(sendTimeoutMs), 8);
  if (recvTimeoutMs > 0) zsock_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval(recvTimeoutMs), 8);
  pNetworkContext.socketDescriptor = fd;
  pNetworkContext.nonBlockingRecv = recvTimeoutMs <= 0;
  LOG_DBG('Established TCP connection with %s:%d.', host, pServerInfo.port);
  return SOCKETS_SUCCESS;
}

/** `Plaintext_Disconnect`: closes the socket. */
export function Plaintext_Disconnect(pNetworkContext: PlaintextParams_t | null): SocketStatus_t {
  if (!pNetworkContext || pNetworkContext.socketDescriptor < 0) return SOCKETS_INVALID_PARAMETER;
  zsock_close(pNetworkContext.socketDescriptor);
  pNetworkContext.socketDescriptor = -1;
  return SOCKETS_SUCCESS;
}

/** A socket result as a transport result: EAGAIN is "nothing now" (0), other errors -1. */
function transportResult(n: number, what: string): number {
  if (n >= 0) return n;
  if (errno === EAGAIN) return 0;
  LOG_ERR('%s failed: errno=%d.', what, errno);
  return -1;
}

/**
 * `Plaintext_Recv`: up to `bytesToRecv` bytes, waiting at most the receive timeout; 0 when none
 * came, -1 on an error or when the peer closed the connection.
 */
export async function Plaintext_Recv(pNetworkContext: PlaintextParams_t, pBuffer: Uint8Array, bytesToRecv: number): Promise<number> {
  const fd = pNetworkContext.socketDescriptor;
  const n = await zsock_recv(fd, pBuffer, bytesToRecv, pNetworkContext.nonBlockingRecv ? MSG_DONTWAIT : 0);
  if (n === 0 && bytesToRecv > 0) {
    // End of stream: for MQTT the connection is gone.
    LOG_DBG('Connection closed by peer.');
    set_errno(0);
    return -1;
  }
  return transportResult(n, 'recv');
}

/** `Plaintext_Send`: up to `bytesToSend` bytes; 0 when the send window stays full, -1 on an error. */
export async function Plaintext_Send(pNetworkContext: PlaintextParams_t, pBuffer: Uint8Array, bytesToSend: number): Promise<number> {
  return transportResult(await zsock_send(pNetworkContext.socketDescriptor, pBuffer, bytesToSend, 0), 'send');
}

/** A `writev` for the transport interface: the vectors in one `zsock_sendmsg`. */
export async function Plaintext_Writev(pNetworkContext: PlaintextParams_t, pIoVec: readonly TransportOutVector_t[], ioVecCount: number): Promise<number> {
  const msg = { msg_iov: pIoVec.slice(0, ioVecCount).map((v) => ({ iov_base: v.iov_base, iov_len: v.iov_len })) };
  return transportResult(await zsock_sendmsg(pNetworkContext.socketDescriptor, msg, 0), 'sendmsg');
}
