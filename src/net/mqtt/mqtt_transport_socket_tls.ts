/**
 * MQTT over a TLS socket, Zephyr's `mqtt_transport_socket_tls.c` (log module `net_mqtt_sock_tls`):
 * an `IPPROTO_TLS_1_2` stream socket whose `SOL_TLS` options come from `transport.tls.config`, in
 * Zephyr's order, before `zsock_connect` runs the handshake. Any failing option or connect closes
 * the socket and returns -errno.
 */
import { EINVAL, errno } from '../../libc/errno.ts';
import { IPPROTO_TLS_1_2, SOCK_STREAM, sa_family } from '../net_ip.ts';
import {
  SOL_TLS, TLS_ALPN_LIST, TLS_CERT_NOCOPY, TLS_CIPHERSUITE_LIST, TLS_HOSTNAME, TLS_PEER_VERIFY, TLS_SEC_TAG_LIST,
  TLS_SESSION_CACHE, TLS_SESSION_CACHE_ENABLED,
} from '../socket_consts.ts';
import { zsock_close, zsock_connect, zsock_setsockopt, zsock_socket, type msghdr } from '../socket.ts';
import type { mqtt_client } from './mqtt_client.ts';
import { NET_LOG_REGISTER, mqtt_enabled, type maybe } from './mqtt_os.ts';
import {
  mqtt_client_socks_setup, peer_addr_size, socket_read, socket_write, socket_write_msg,
} from './mqtt_transport_socket_tcp.ts';

const { NET_DBG, NET_INFO } = NET_LOG_REGISTER('net_mqtt_sock_tls');

/** `SOCK_NATIVE_TLS` (`<zephyr/net/socket.h>`): ask for the platform's TLS instead of mbed TLS. */
export const SOCK_NATIVE_TLS = 0x40000000;
/** `TLS_CERT_NOCOPY_NONE`: certificates are copied (the default). */
export const TLS_CERT_NOCOPY_NONE = 0;
/** `TLS_CERT_NOCOPY_OPTIONAL`. */
export const TLS_CERT_NOCOPY_OPTIONAL = 1;

/** Sets the socket options of `config` in Zephyr's order; 0 or -1 with errno. */
function set_tls_options(client: mqtt_client, sock: number): number {
  const tls_config = client.transport.tls.config;
  if (mqtt_client_socks_setup(client, sock) < 0) return -1;
  if (zsock_setsockopt(sock, SOL_TLS, TLS_PEER_VERIFY, tls_config.peer_verify, 4) < 0) return -1;
  if (tls_config.cipher_list !== null && tls_config.cipher_count > 0) {
    const list = tls_config.cipher_list.slice(0, tls_config.cipher_count);
    if (zsock_setsockopt(sock, SOL_TLS, TLS_CIPHERSUITE_LIST, list, 4 * tls_config.cipher_count) < 0) return -1;
  }
  if (tls_config.sec_tag_list !== null && tls_config.sec_tag_count > 0) {
    const list = tls_config.sec_tag_list.slice(0, tls_config.sec_tag_count);
    if (zsock_setsockopt(sock, SOL_TLS, TLS_SEC_TAG_LIST, list, 4 * tls_config.sec_tag_count) < 0) return -1;
  }
  if (
    mqtt_enabled('MQTT_LIB_TLS_USE_ALPN') &&
    tls_config.alpn_protocol_name_list !== null &&
    tls_config.alpn_protocol_name_count > 0
  ) {
    const list = tls_config.alpn_protocol_name_list.slice(0, tls_config.alpn_protocol_name_count);
    if (zsock_setsockopt(sock, SOL_TLS, TLS_ALPN_LIST, list, 4 * tls_config.alpn_protocol_name_count) < 0) return -1;
  }
  if (tls_config.hostname !== null) {
    const name = tls_config.hostname;
    if (zsock_setsockopt(sock, SOL_TLS, TLS_HOSTNAME, name, new TextEncoder().encode(name).length) < 0) return -1;
  }
  if (tls_config.session_cache === TLS_SESSION_CACHE_ENABLED) {
    if (zsock_setsockopt(sock, SOL_TLS, TLS_SESSION_CACHE, tls_config.session_cache, 4) < 0) return -1;
  }
  if (tls_config.cert_nocopy !== TLS_CERT_NOCOPY_NONE) {
    if (zsock_setsockopt(sock, SOL_TLS, TLS_CERT_NOCOPY, tls_config.cert_nocopy, 4) < 0) return -1;
  }
  return 0;
}

/** `mqtt_client_tls_connect`: a TLS socket connected (handshake done) to `client.broker`. */
export async function mqtt_client_tls_connect(client: mqtt_client): Promise<number> {
  const broker = client.broker;
  // C would dereference NULL here; a clear error is the useful equivalent.
  if (broker === null) return -EINVAL;
  const family = sa_family(broker);
  const type = client.transport.tls.config.set_native_tls ? SOCK_STREAM | SOCK_NATIVE_TLS : SOCK_STREAM;
  const sock = zsock_socket(family, type, IPPROTO_TLS_1_2);
  client.transport.tls.sock = sock;
  if (sock < 0) return -errno;
  NET_DBG('mqtt_client_tls_connect', 'Created socket %d', sock);
  if (set_tls_options(client, sock) < 0 || (await zsock_connect(sock, broker, peer_addr_size(family))) < 0) {
    const err = errno;
    zsock_close(sock);
    return -err;
  }
  NET_DBG('mqtt_client_tls_connect', 'Connect completed');
  return 0;
}

/** `mqtt_client_tls_write`. */
export function mqtt_client_tls_write(client: mqtt_client, data: Uint8Array, datalen: number): maybe<number> {
  return socket_write(client.transport.tls.sock, data, datalen);
}

/** `mqtt_client_tls_write_msg`. */
export function mqtt_client_tls_write_msg(client: mqtt_client, message: msghdr): maybe<number> {
  return socket_write_msg(client.transport.tls.sock, message);
}

/** `mqtt_client_tls_read`. */
export function mqtt_client_tls_read(client: mqtt_client, data: Uint8Array, buflen: number, shall_block: boolean): number | Promise<number> {
  return socket_read(client.transport.tls.sock, data, buflen, shall_block);
}

/** `mqtt_client_tls_disconnect`. */
export function mqtt_client_tls_disconnect(client: mqtt_client): number {
  NET_INFO('Closing socket %d', client.transport.tls.sock);
  return zsock_close(client.transport.tls.sock) < 0 ? -errno : 0;
}
