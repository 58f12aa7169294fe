/**
 * MQTT over a TCP socket, Zephyr's `mqtt_transport_socket_tcp.c` (log module `net_mqtt_sock_tcp`).
 *
 * Every function returns 0 (or a byte count for reads) or a negative errno taken from the socket
 * call's `errno`, as Zephyr's do.
 */
import { EINVAL, errno } from '../../libc/errno.ts';
import { AF_INET, IPPROTO_TCP, SOCK_STREAM, sa_family } from '../net_ip.ts';
import { SOL_SOCKET } from '../socket_consts.ts';
import {
  zsock_close, zsock_connect, zsock_recv, zsock_send, zsock_sendmsg, zsock_setsockopt, zsock_socket, type msghdr,
} from '../socket.ts';
import { zsock_recv_nowait, zsock_sendmsg_now, zsock_sendto_now } from '../socket_io.ts';
import type { mqtt_client } from './mqtt_client.ts';
import { NET_LOG_REGISTER, mqtt_enabled, type maybe } from './mqtt_os.ts';

const { NET_DBG, NET_INFO } = NET_LOG_REGISTER('net_mqtt_sock_tcp');

/** `SO_SOCKS5` (`<zephyr/net/socket.h>`): route a socket through the SOCKS5 proxy (`CONFIG_SOCKS`). */
export const SO_SOCKS5 = 60;

/** `sizeof(struct sockaddr_in)` / `sizeof(struct sockaddr_in6)`, what Zephyr passes as addrlen. */
export function peer_addr_size(family: number): number {
  return family === AF_INET ? 8 : 24;
}

/** The SOCKS5 option both socket transports set when a proxy is configured (`CONFIG_SOCKS`). */
export function mqtt_client_socks_setup(client: mqtt_client, sock: number): number {
  const proxy = client.transport.proxy;
  if (!mqtt_enabled('SOCKS') || proxy.addrlen === 0) return 0;
  return zsock_setsockopt(sock, SOL_SOCKET, SO_SOCKS5, proxy.addr, proxy.addrlen);
}


/** `mqtt_client_tcp_connect`: a socket connected to `client.broker`. */
export async function mqtt_client_tcp_connect(client: mqtt_client): Promise<number> {
  const broker = client.broker;
  // C would dereference NULL here; a clear error is the useful equivalent.
  if (broker === null) return -EINVAL;
  const family = sa_family(broker);
  const sock = zsock_socket(family, SOCK_STREAM, IPPROTO_TCP);
  client.transport.tcp.sock = sock;
  if (sock < 0) return -errno;
  // Zephyr returns without closing the socket here; so does this.
  if (mqtt_client_socks_setup(client, sock) < 0) return -errno;
  NET_DBG('mqtt_client_tcp_connect', 'Created socket %d', sock);
  const ret = await zsock_connect(sock, broker, peer_addr_size(family));
  if (ret < 0) {
    const err = errno;
    zsock_close(sock);
    return -err;
  }
  NET_DBG('mqtt_client_tcp_connect', 'Connect completed');
  return 0;
}

/** Sends all of `data[0, datalen)`, looping over partial sends. */
export function socket_write(sock: number, data: Uint8Array, datalen: number): maybe<number> {
  if (datalen <= 0) return 0;
  const first = zsock_sendto_now(sock, data.subarray(0, datalen), datalen, 0, null, 0);
  if (typeof first === 'number') {
    if (first < 0) return -errno;
    if (first >= datalen) return 0;
  }
  return socket_write_rest(sock, data, datalen, first);
}

async function socket_write_rest(sock: number, data: Uint8Array, datalen: number, first: maybe<number>): Promise<number> {
  let ret = await first;
  if (ret < 0) return -errno;
  let offset = ret;
  while (offset < datalen) {
    ret = await zsock_send(sock, data.subarray(offset, datalen), datalen - offset, 0);
    if (ret < 0) return -errno;
    offset += ret;
  }
  return 0;
}

/**
 * Sends every iovec of `message`, resending what a partial `zsock_sendmsg` left (the iovecs are
 * advanced in place, as Zephyr's loop does).
 */
export function socket_write_msg(sock: number, message: msghdr): maybe<number> {
  const count = message.msg_iovlen ?? message.msg_iov.length;
  let total = 0;
  for (let i = 0; i < count; i++) total += message.msg_iov[i]!.iov_len;
  // Usually all of it goes at once, without waiting.
  const first = zsock_sendmsg_now(sock, message, 0);
  if (typeof first === 'number') {
    if (first < 0) return -errno;
    if (first >= total) return 0;
  }
  return socket_write_msg_rest(sock, message, count, total, first);
}

async function socket_write_msg_rest(sock: number, message: msghdr, count: number, total: number, first: maybe<number>): Promise<number> {
  // The caller's iovec is copied only to be advanced.
  let ret = await first;
  if (ret < 0) return -errno;
  if (ret >= total) return 0;
  const iov = message.msg_iov.slice(0, count).map((v) => ({ ...v }));
  const msg: msghdr = { ...message, msg_iov: iov, msg_iovlen: iov.length };
  let offset = 0;
  for (let first = true; offset < total; first = false) {
    if (!first) {
      ret = await zsock_sendmsg(sock, msg, 0);
      if (ret < 0) return -errno;
    }
    offset += ret;
    if (offset >= total) break;
    for (const v of iov) {
      if (ret < v.iov_len) {
        v.iov_len -= ret;
        v.iov_base = v.iov_base.subarray(ret);
        break;
      }
      ret -= v.iov_len;
      v.iov_len = 0;
    }
  }
  return 0;
}

/** Reads up to `buflen` bytes; `MSG_DONTWAIT` unless `shall_block`. 0 means the peer closed. */
export function socket_read(sock: number, data: Uint8Array, buflen: number, shall_block: boolean): number | Promise<number> {
  if (!shall_block) {
    // A read that does not wait is answered at once, without a promise: the library reads this
    // way for every packet it receives.
    const ret = zsock_recv_nowait(sock, data, buflen);
    return ret < 0 ? -errno : ret;
  }
  return zsock_recv(sock, data, buflen, 0).then((ret) => (ret < 0 ? -errno : ret));
}

/** `mqtt_client_tcp_write`. */
export function mqtt_client_tcp_write(client: mqtt_client, data: Uint8Array, datalen: number): maybe<number> {
  return socket_write(client.transport.tcp.sock, data, datalen);
}

/** `mqtt_client_tcp_write_msg`. */
export function mqtt_client_tcp_write_msg(client: mqtt_client, message: msghdr): maybe<number> {
  return socket_write_msg(client.transport.tcp.sock, message);
}

/** `mqtt_client_tcp_read`. */
export function mqtt_client_tcp_read(client: mqtt_client, data: Uint8Array, buflen: number, shall_block: boolean): number | Promise<number> {
  return socket_read(client.transport.tcp.sock, data, buflen, shall_block);
}

/** `mqtt_client_tcp_disconnect`. */
export function mqtt_client_tcp_disconnect(client: mqtt_client): number {
  NET_INFO('Closing socket %d', client.transport.tcp.sock);
  return zsock_close(client.transport.tcp.sock) < 0 ? -errno : 0;
}
