/**
 * `zsim/lwip/mqtt`: lwIP's MQTT client API (`lwip/apps/mqtt.h`, MQTT 3.1.1), with lwIP's names,
 * `err_t` results and callbacks, on zsim's sockets.
 *
 * As in lwIP the calls do not block: they queue packets in the client's output ring buffer and
 * return `err_t` at once, and results come back through callbacks, which run in the board's
 * tcpip thread (`tcpip.ts`). lwIP expects its API to be called from that thread (callbacks) or
 * with the core lock held; in zsim any thread of the board may call it.
 *
 * Limits are lwIP's options, set with Kconfig: `CONFIG_LWIP_MQTT_OUTPUT_RINGBUF_SIZE` is lwIP's
 * `MQTT_OUTPUT_RINGBUF_SIZE`, and so on (see `mqtt_opts.ts`, `kconfig/Kconfig.lwip`).
 */
import { ENETDOWN, ENFILE, ENOMEM, errno } from '../libc/errno.ts';
import { currentKernel } from '../kernel/sched.ts';
import {
  AF_INET, F_SETFL, IPPROTO_TCP, O_NONBLOCK, SOCK_STREAM, htons, sockaddr_in_new, zsock_fcntl, zsock_socket,
} from '../net/socket.ts';
import type { mqtt_qos } from '../net/mqtt/index.ts';
import { ERR_ARG, ERR_CONN, ERR_IF, ERR_ISCONN, ERR_MEM, ERR_OK, ERR_VAL, type err_t } from './err.ts';
import { ip4_addr_bytes, type ip_addr_t } from './ip_addr.ts';
import { mqtt_client_t, mqtt_close, msg_generate_packet_id } from './mqtt_client.ts';
import {
  MQTT_CONNECTED, TCP_CONNECTING, TCP_DISCONNECTED, type mqtt_connect_client_info_t, type mqtt_connection_cb_t,
  type mqtt_incoming_data_cb_t, type mqtt_incoming_publish_cb_t, type mqtt_request_cb_t,
} from './mqtt_defs.ts';
import { mqtt_output_connect, mqtt_output_publish, mqtt_output_sub_unsub } from './mqtt_output.ts';
import { tcpip_stack_of } from './tcpip.ts';

export * from './err.ts';
export * from './ip_addr.ts';
export {
  MQTT_CONNECT_ACCEPTED, MQTT_CONNECT_DISCONNECTED, MQTT_CONNECT_REFUSED_IDENTIFIER,
  MQTT_CONNECT_REFUSED_NOT_AUTHORIZED_, MQTT_CONNECT_REFUSED_PROTOCOL_VERSION, MQTT_CONNECT_REFUSED_SERVER,
  MQTT_CONNECT_REFUSED_USERNAME_PASS, MQTT_CONNECT_TIMEOUT, MQTT_DATA_FLAG_LAST, type mqtt_connect_client_info_t,
  type mqtt_connection_cb_t, type mqtt_connection_status_t, type mqtt_incoming_data_cb_t,
  type mqtt_incoming_publish_cb_t, type mqtt_request_cb_t,
} from './mqtt_defs.ts';
export { mqtt_client_t } from './mqtt_client.ts';
export { LWIP_MQTT_DEFAULTS, type mqtt_opts } from './mqtt_opts.ts';

const utf8 = new TextEncoder();

/** `mqtt_client_new()`: a new client on the calling board (lwIP: `mem_calloc`). */
export function mqtt_client_new(): mqtt_client_t | null {
  const stack = tcpip_stack_of(currentKernel('mqtt_client_new'));
  return new mqtt_client_t(stack.opts, stack);
}

/**
 * `mqtt_client_free(client)`. lwIP only frees the memory; zsim first disconnects a client that is
 * still connected, so its socket does not outlive it.
 */
export function mqtt_client_free(client: mqtt_client_t | null): void {
  if (client) mqtt_disconnect(client);
}

/** Why a socket could not be made, as lwIP would say it. */
function socket_err(e: number): err_t {
  if (e === ENOMEM || e === ENFILE) return ERR_MEM;
  if (e === ENETDOWN) return ERR_IF;
  return ERR_VAL;
}

/**
 * `mqtt_client_connect(client, ip_addr, port, cb, arg, client_info)`: starts connecting to the
 * server; `cb` learns the outcome. Returns `ERR_OK`, `ERR_ISCONN` when the client is not
 * disconnected, `ERR_VAL` for a bad client info field (empty user or password, will topic or
 * message over 255 bytes...), `ERR_MEM` when CONNECT does not fit the output buffer or no socket
 * is free, `ERR_ARG` without an address or client info.
 */
export function mqtt_client_connect(
  client: mqtt_client_t,
  ip_addr: ip_addr_t | null,
  port: number,
  cb: mqtt_connection_cb_t | null,
  arg: unknown,
  client_info: mqtt_connect_client_info_t | null,
): err_t {
  if (!ip_addr || !client_info || typeof client_info.client_id !== 'string') return ERR_ARG;
  if (client.conn_state !== TCP_DISCONNECTED) return ERR_ISCONN;
  client.wipe();
  client.connect_arg = arg;
  client.connect_cb = cb;
  client.keep_alive = (client_info.keep_alive ?? 0) & 0xffff;

  // lwIP's limits: will topic and message fit a byte, user and password must not be empty.
  let remaining = 2 + 4 + 1 + 1 + 2;
  const will = client_info.will_topic != null && client_info.will_msg != null;
  const will_topic = will ? utf8.encode(client_info.will_topic!) : null;
  const will_msg = will ? utf8.encode(client_info.will_msg!) : null;
  if (will_topic && will_msg) {
    if (will_topic.length > 0xff || will_topic.length === 0 || will_msg.length > 0xff) return ERR_VAL;
    remaining += 2 + will_topic.length + 2 + will_msg.length;
  }
  const user = client_info.client_user != null ? utf8.encode(client_info.client_user) : null;
  const pass = client_info.client_pass != null ? utf8.encode(client_info.client_pass) : null;
  for (const s of [user, pass]) {
    if (s === null) continue;
    if (s.length > 0xffff || s.length === 0) return ERR_VAL;
    remaining += 2 + s.length;
  }
  const id = utf8.encode(client_info.client_id);
  if (id.length > 0xffff) return ERR_VAL;
  remaining += 2 + id.length;
  if (remaining > 0xffff) return ERR_VAL;

  const rc = mqtt_output_connect(client.output, {
    client_id: { utf8: id, size: id.length },
    keepalive: client.keep_alive,
    will_topic: will_topic ? { topic: { utf8: will_topic, size: will_topic.length }, qos: (client_info.will_qos ?? 0) as mqtt_qos } : undefined,
    will_message: will_msg ? { utf8: will_msg, size: will_msg.length } : undefined,
    will_retain: will && !!client_info.will_retain,
    user_name: user ? { utf8: user, size: user.length } : undefined,
    password: pass ? { utf8: pass, size: pass.length } : undefined,
  });
  if (rc !== ERR_OK) return rc;

  const fd = zsock_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (fd < 0) {
    client.output.reset();
    return socket_err(errno);
  }
  // lwIP's raw TCP never blocks: the tcpip thread drives the socket without waiting on it.
  zsock_fcntl(fd, F_SETFL, O_NONBLOCK);
  const remote = sockaddr_in_new();
  remote.sin_family = AF_INET;
  remote.sin_port = htons(port & 0xffff);
  remote.sin_addr.s4_addr.set(ip4_addr_bytes(ip_addr));
  client.remote = remote;
  client.conn = fd;
  client.gen++;
  client.conn_state = TCP_CONNECTING;
  client.stack.attach(client);
  return ERR_OK;
}

/**
 * `mqtt_disconnect(client)`: closes the connection. The connection callback is not called, and
 * pending requests are dropped without their callbacks, as in lwIP. lwIP sends no DISCONNECT
 * packet: the server sees the TCP connection close (and publishes the will, if any).
 */
export function mqtt_disconnect(client: mqtt_client_t): void {
  if (client.conn_state === TCP_DISCONNECTED) return;
  const never_connected = client.conn_state === TCP_CONNECTING;
  // Set first so that mqtt_close does not call the connection callback.
  client.conn_state = TCP_DISCONNECTED;
  mqtt_close(client, 0, never_connected);
}

/** `mqtt_client_is_connected(client)`: 1 once CONNACK accepted the connection, else 0. */
export function mqtt_client_is_connected(client: mqtt_client_t): number {
  return client.conn_state === MQTT_CONNECTED ? 1 : 0;
}

/**
 * `mqtt_set_inpub_callback(client, pub_cb, data_cb, arg)`: the callbacks for incoming publishes.
 * `mqtt_client_connect` clears them (lwIP wipes the client), so set them once connected.
 */
export function mqtt_set_inpub_callback(
  client: mqtt_client_t,
  pub_cb: mqtt_incoming_publish_cb_t | null,
  data_cb: mqtt_incoming_data_cb_t | null,
  arg: unknown,
): void {
  client.pub_cb = pub_cb;
  client.data_cb = data_cb;
  client.inpub_arg = arg;
}

/**
 * `mqtt_publish(client, topic, payload, payload_length, qos, retain, cb, arg)`: queues a
 * PUBLISH of the first `payload_length` bytes of `payload` (a string is sent as UTF-8). `cb` gets
 * `ERR_OK` once QoS 0 data is sent or the QoS 1 PUBACK / QoS 2 PUBCOMP arrives, or `ERR_TIMEOUT`.
 * Returns `ERR_OK`, `ERR_CONN` when disconnected, `ERR_MEM` when `MQTT_REQ_MAX_IN_FLIGHT`
 * requests are pending or the packet does not fit the output ring buffer, `ERR_ARG` for a topic
 * or packet over 65535 bytes, a QoS above 2, or a length beyond the payload.
 */
export function mqtt_publish(
  client: mqtt_client_t,
  topic: string,
  payload: Uint8Array | string | null,
  payload_length: number,
  qos: number,
  retain: number | boolean,
  cb: mqtt_request_cb_t | null,
  arg: unknown,
): err_t {
  if (client.conn_state === TCP_DISCONNECTED) return ERR_CONN;
  const t = utf8.encode(topic);
  if (t.length > 0xffff - 2) return ERR_ARG;
  const data = payload === null ? new Uint8Array(0) : typeof payload === 'string' ? utf8.encode(payload) : payload;
  if (!Number.isInteger(payload_length) || payload_length < 0 || payload_length > 0xffff || payload_length > data.length) return ERR_ARG;
  if (!Number.isInteger(qos) || qos < 0 || qos > 2) return ERR_ARG;
  let total = 2 + t.length + payload_length;
  let pkt_id = 0;
  if (qos > 0) {
    total += 2;
    pkt_id = msg_generate_packet_id(client);
  }
  if (total > 0xffff) return ERR_ARG;
  if (!client.pend_req_queue.has_free_slot()) return ERR_MEM;
  const rc = mqtt_output_publish(client.output, { utf8: t, size: t.length }, data.subarray(0, payload_length), qos, !!retain, pkt_id);
  if (rc !== ERR_OK) return rc === ERR_MEM ? ERR_MEM : ERR_ARG;
  // QoS 0 publishes wait under packet id 0 until their bytes are sent.
  client.pend_req_queue.append(pkt_id, cb, arg);
  client.stack.kick();
  return ERR_OK;
}

/**
 * `mqtt_sub_unsub(client, topic, qos, cb, arg, sub)`: SUBSCRIBE (`sub` 1) or UNSUBSCRIBE (`sub`
 * 0) one topic filter. `cb` gets `ERR_OK`, `ERR_ABRT` when the server refused the subscription,
 * or `ERR_TIMEOUT`. Returns `ERR_OK`, `ERR_CONN`, `ERR_MEM` (in flight or ring full) or `ERR_ARG`.
 */
export function mqtt_sub_unsub(
  client: mqtt_client_t,
  topic: string,
  qos: number,
  cb: mqtt_request_cb_t | null,
  arg: unknown,
  sub: number | boolean,
): err_t {
  const t = utf8.encode(topic);
  if (t.length > 0xffff - 2 || t.length + 4 + (sub ? 1 : 0) > 0xffff) return ERR_ARG;
  if (!Number.isInteger(qos) || qos < 0 || qos > 2) return ERR_ARG;
  if (client.conn_state === TCP_DISCONNECTED) return ERR_CONN;
  const pkt_id = msg_generate_packet_id(client);
  if (!client.pend_req_queue.has_free_slot()) return ERR_MEM;
  const rc = mqtt_output_sub_unsub(client.output, !!sub, { utf8: t, size: t.length }, qos, pkt_id);
  if (rc !== ERR_OK) return rc === ERR_MEM ? ERR_MEM : ERR_ARG;
  client.pend_req_queue.append(pkt_id, cb, arg);
  client.stack.kick();
  return ERR_OK;
}

/** `mqtt_subscribe(client, topic, qos, cb, arg)` (a macro in lwIP). */
export function mqtt_subscribe(client: mqtt_client_t, topic: string, qos: number, cb: mqtt_request_cb_t | null, arg: unknown): err_t {
  return mqtt_sub_unsub(client, topic, qos, cb, arg, 1);
}

/** `mqtt_unsubscribe(client, topic, cb, arg)` (a macro in lwIP). */
export function mqtt_unsubscribe(client: mqtt_client_t, topic: string, cb: mqtt_request_cb_t | null, arg: unknown): err_t {
  return mqtt_sub_unsub(client, topic, 0, cb, arg, 0);
}
