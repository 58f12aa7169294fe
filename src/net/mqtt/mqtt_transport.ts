/**
 * Transport dispatch, Zephyr's `mqtt_transport.c`: each call goes to the procedures of
 * `client.transport.type`. A type whose Kconfig option is off (`CONFIG_MQTT_LIB_TLS`,
 * `CONFIG_MQTT_LIB_WEBSOCKET`, `CONFIG_MQTT_LIB_CUSTOM_TRANSPORT`) does not exist in a Zephyr
 * build; here its calls fail with -ENOTSUP and an error log naming the option.
 */
import { ENOTSUP } from '../../libc/errno.ts';
import type { msghdr } from '../socket.ts';
import {
  MQTT_TRANSPORT_CUSTOM, MQTT_TRANSPORT_NON_SECURE, MQTT_TRANSPORT_NON_SECURE_WEBSOCKET, MQTT_TRANSPORT_SECURE,
  MQTT_TRANSPORT_SECURE_WEBSOCKET, type mqtt_client,
} from './mqtt_client.ts';
import { NET_LOG_REGISTER, mqtt_enabled } from './mqtt_os.ts';
import {
  mqtt_client_custom_transport_connect, mqtt_client_custom_transport_disconnect, mqtt_client_custom_transport_read,
  mqtt_client_custom_transport_write, mqtt_client_custom_transport_write_msg,
} from './mqtt_transport_custom.ts';
import {
  mqtt_client_tcp_connect, mqtt_client_tcp_disconnect, mqtt_client_tcp_read, mqtt_client_tcp_write,
  mqtt_client_tcp_write_msg,
} from './mqtt_transport_socket_tcp.ts';
import {
  mqtt_client_tls_connect, mqtt_client_tls_disconnect, mqtt_client_tls_read, mqtt_client_tls_write,
  mqtt_client_tls_write_msg,
} from './mqtt_transport_socket_tls.ts';
import {
  mqtt_client_websocket_connect, mqtt_client_websocket_disconnect, mqtt_client_websocket_read,
  mqtt_client_websocket_write, mqtt_client_websocket_write_msg,
} from './mqtt_transport_websocket.ts';

const { NET_ERR } = NET_LOG_REGISTER('net_mqtt');

type result = number | Promise<number>;

/** `struct transport_procedure`. */
interface transport_procedure {
  connect(client: mqtt_client): result;
  write(client: mqtt_client, data: Uint8Array, datalen: number): result;
  write_msg(client: mqtt_client, message: msghdr): result;
  read(client: mqtt_client, data: Uint8Array, buflen: number, shall_block: boolean): result;
  disconnect(client: mqtt_client): result;
}

interface transport_entry {
  fn: transport_procedure;
  requires: readonly string[];
}

let table: Readonly<Record<number, transport_entry>> | null = null;

/**
 * `transport_fn[]` with the Kconfig options each entry needs. Built on first use: the transport
 * modules and this one import each other, so their bindings are not there at load time.
 */
function transport_fn(): Readonly<Record<number, transport_entry>> {
  if (table !== null) return table;
  const TCP: transport_procedure = {
    connect: mqtt_client_tcp_connect,
    write: mqtt_client_tcp_write,
    write_msg: mqtt_client_tcp_write_msg,
    read: mqtt_client_tcp_read,
    disconnect: mqtt_client_tcp_disconnect,
  };
  const TLS: transport_procedure = {
    connect: mqtt_client_tls_connect,
    write: mqtt_client_tls_write,
    write_msg: mqtt_client_tls_write_msg,
    read: mqtt_client_tls_read,
    disconnect: mqtt_client_tls_disconnect,
  };
  const WEBSOCKET: transport_procedure = {
    connect: mqtt_client_websocket_connect,
    write: mqtt_client_websocket_write,
    write_msg: mqtt_client_websocket_write_msg,
    read: mqtt_client_websocket_read,
    disconnect: mqtt_client_websocket_disconnect,
  };
  const CUSTOM: transport_procedure = {
    connect: mqtt_client_custom_transport_connect,
    write: mqtt_client_custom_transport_write,
    write_msg: mqtt_client_custom_transport_write_msg,
    read: mqtt_client_custom_transport_read,
    disconnect: mqtt_client_custom_transport_disconnect,
  };
  table = {
    [MQTT_TRANSPORT_NON_SECURE]: { fn: TCP, requires: [] },
    [MQTT_TRANSPORT_SECURE]: { fn: TLS, requires: ['MQTT_LIB_TLS'] },
    [MQTT_TRANSPORT_NON_SECURE_WEBSOCKET]: { fn: WEBSOCKET, requires: ['MQTT_LIB_WEBSOCKET'] },
    [MQTT_TRANSPORT_SECURE_WEBSOCKET]: { fn: WEBSOCKET, requires: ['MQTT_LIB_WEBSOCKET', 'MQTT_LIB_TLS'] },
    [MQTT_TRANSPORT_CUSTOM]: { fn: CUSTOM, requires: ['MQTT_LIB_CUSTOM_TRANSPORT'] },
  };
  return table;
}

function procedures(client: mqtt_client): transport_procedure | null {
  const entry = transport_fn()[client.transport.type];
  if (entry === undefined) {
    NET_ERR('Invalid transport type %d', client.transport.type);
    return null;
  }
  const missing = entry.requires.find((s) => !mqtt_enabled(s));
  if (missing !== undefined) {
    NET_ERR('Transport type %d needs CONFIG_%s=y', client.transport.type, missing);
    return null;
  }
  return entry.fn;
}

// Not `async`: each hands on what its transport returned (a number or a promise of one, to be
// awaited), as C passes the return value up, instead of wrapping it in a promise of its own,
// which costs the caller extra turns of the microtask queue on every packet.

/** `mqtt_transport_connect`. */
export function mqtt_transport_connect(client: mqtt_client): result {
  const p = procedures(client);
  return p === null ? -ENOTSUP : p.connect(client);
}

/** `mqtt_transport_write`: 0 when all of `data[0, datalen)` went out. */
export function mqtt_transport_write(client: mqtt_client, data: Uint8Array, datalen: number): result {
  const p = procedures(client);
  return p === null ? -ENOTSUP : p.write(client, data, datalen);
}

/** `mqtt_transport_write_msg`: sends the iovecs of `message`. */
export function mqtt_transport_write_msg(client: mqtt_client, message: msghdr): result {
  const p = procedures(client);
  return p === null ? -ENOTSUP : p.write_msg(client, message);
}

/** `mqtt_transport_read`: bytes read, 0 when the peer closed, or a negative errno (-EAGAIN). */
export function mqtt_transport_read(
  client: mqtt_client,
  data: Uint8Array,
  buflen: number,
  shall_block: boolean,
): result {
  const p = procedures(client);
  return p === null ? -ENOTSUP : p.read(client, data, buflen, shall_block);
}

/** `mqtt_transport_disconnect`. */
export function mqtt_transport_disconnect(client: mqtt_client): result {
  const p = procedures(client);
  return p === null ? -ENOTSUP : p.disconnect(client);
}
