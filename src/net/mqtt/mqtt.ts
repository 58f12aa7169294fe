/**
 * `zsim/net/mqtt`: Zephyr's MQTT client API (`<zephyr/net/mqtt.h>`, `subsys/net/lib/mqtt/mqtt.c`,
 * log module `net_mqtt`) over zsim's sockets.
 *
 * Same calls, return codes, events and log lines as Zephyr. Every call that may wait for the
 * network or for the client mutex is async and must be awaited (docs/architecture.md, "Why some
 * calls are async"); `mqtt_client_init` and `mqtt_keepalive_time_left` are synchronous.
 *
 *     const client = new mqtt_client();
 *     mqtt_client_init(client);
 *     client.broker = broker; client.evt_cb = handler; client.client_id = MQTT_UTF8_LITERAL('zephyr');
 *     client.rx_buf = new Uint8Array(256); client.rx_buf_size = 256; // same for tx_buf
 *     await mqtt_connect(client);                       // sends CONNECT only
 *     await zsock_poll([new zsock_pollfd(client.transport.tcp.sock, ZSOCK_POLLIN)], 1, 5000);
 *     await mqtt_input(client);                         // CONNACK -> MQTT_EVT_CONNACK
 */
import { ECONNABORTED, EINVAL, EIO, ENOMEM, ENOTCONN, ENOTSUP, EAGAIN, EBUSY } from '../../libc/errno.ts';
import type { msghdr } from '../socket.ts';
import type { sockaddr, socklen_t } from '../net_ip.ts';
import {
  MQTT_HAS_STATE, MQTT_SET_STATE, MQTT_STATE_CONNECTED, MQTT_STATE_IDLE, MQTT_STATE_TCP_CONNECTED, client_reset,
  connect_param, mqtt_client, mqtt_client_disconnect, mqtt_is_version_5_0,
} from './mqtt_client.ts';
import {
  auth_encode, connect_request_encode, disconnect_encode, ping_request_encode, publish_ack_encode,
  publish_complete_encode, publish_encode, publish_receive_encode, publish_release_encode, subscribe_encode,
  unsubscribe_encode,
} from './mqtt_encoder.ts';
import {
  NET_LOG_REGISTER, mqtt_cfg_int, mqtt_elapsed_time_in_ms_get, mqtt_enabled, mqtt_mutex_init, mqtt_mutex_lock,
  mqtt_mutex_unlock, mqtt_ptr, mqtt_sys_tick_in_ms_get, andThen, type maybe,
} from './mqtt_os.ts';
import { resolved } from '../../kernel/sched.ts';
import { MQTT_VERSION_3_1_1, MQTT_VERSION_5_0 } from './mqtt_reason_codes.ts';
import { mqtt_handle_rx } from './mqtt_rx.ts';
import { mqtt_transport_connect, mqtt_transport_read, mqtt_transport_write, mqtt_transport_write_msg } from './mqtt_transport.ts';
import type {
  mqtt_auth_param, mqtt_disconnect_param, mqtt_puback_param, mqtt_pubcomp_param, mqtt_publish_param, mqtt_pubrec_param,
  mqtt_pubrel_param, mqtt_subscription_list,
} from './mqtt_types.ts';

export * from './mqtt_client.ts';
export * from './mqtt_reason_codes.ts';
export type * from './mqtt_types.ts';
export { MQTT_BINSTR, MQTT_UTF8_LITERAL, mqtt_utf8_to_string } from './mqtt_utf8.ts';
export { TLS_CERT_NOCOPY_NONE, TLS_CERT_NOCOPY_OPTIONAL } from './mqtt_transport_socket_tls.ts';

const { NET_DBG, NET_ERR, NET_INFO, NET_WARN } = NET_LOG_REGISTER('net_mqtt');
const INT8_MAX = 127;

/** The encoders' version argument: 5.0 only when this build and client both speak it. */
function codec_version(client: mqtt_client): number {
  return mqtt_is_version_5_0(client) ? MQTT_VERSION_5_0 : client.protocol_version;
}

/** `tx_buf_init`: the zeroed transmit buffer, `tx_buf_size` bytes long. */
function tx_buf_init(client: mqtt_client): Uint8Array {
  const buf = client.tx_buf!.subarray(0, client.tx_buf_size);
  buf.fill(0);
  return buf;
}

/** `client_connect`: transport up, CONNECT sent. The CONNACK comes through `mqtt_input`. */
async function client_connect(client: mqtt_client): Promise<number> {
  let err = await mqtt_transport_connect(client);
  if (err < 0) return err;
  const buf = tx_buf_init(client);
  MQTT_SET_STATE(client, MQTT_STATE_TCP_CONNECTED);
  const param = connect_param(client);
  err = typeof param === 'number' ? param : connect_request_encode(param, buf);
  if (err >= 0) err = await mqtt_transport_write(client, buf, err);
  if (err < 0) {
    await mqtt_client_disconnect(client, err, false);
    return err;
  }
  client.internal.last_activity = mqtt_sys_tick_in_ms_get();
  // A new connection has no unanswered ping.
  client.unacked_ping = 0;
  NET_INFO('Connect completed');
  return 0;
}

/** `client_read`: -EBUSY while a PUBLISH payload is unread; an rx error drops the connection. */
function client_read(client: mqtt_client): maybe<number> {
  if (client.internal.remaining_payload > 0) return -EBUSY;
  return andThen(mqtt_handle_rx(client), (err) => (err < 0 ? andThen(mqtt_client_disconnect(client, err, true), () => err) : err));
}

function client_write(client: mqtt_client, data: Uint8Array, datalen: number): maybe<number> {
  NET_DBG('client_write', '[%p]: Transport writing %d bytes.', mqtt_ptr(client), datalen);
  return andThen(mqtt_transport_write(client, data, datalen), (err) => client_write_done(client, 'client_write', err));
}

function client_write_msg(client: mqtt_client, message: msghdr): maybe<number> {
  NET_DBG('client_write_msg', '[%p]: Transport writing message.', mqtt_ptr(client));
  return andThen(mqtt_transport_write_msg(client, message), (err) => client_write_done(client, 'client_write_msg', err));
}

function client_write_done(client: mqtt_client, func: string, err: number): maybe<number> {
  if (err < 0) {
    NET_ERR('Transport write failed, err_code = %d, closing connection', err);
    return andThen(mqtt_client_disconnect(client, err, true), () => err);
  }
  NET_DBG(func, '[%p]: Transport write complete.', mqtt_ptr(client));
  client.internal.last_activity = mqtt_sys_tick_in_ms_get();
  return 0;
}

/**
 * Runs `body` with the client mutex held and releases it after: at once when the mutex is free
 * and `body` needs no wait, so a call that has nothing to wait for creates no promise of its own.
 */
function locked(client: mqtt_client, body: () => maybe<number>): Promise<number> {
  const l = mqtt_mutex_lock(client);
  const r = l === undefined ? body() : l.then(body);
  if (r instanceof Promise) return r.then((err) => unlock_with(client, err));
  return resolved(unlock_with(client, r));
}

function unlock_with(client: mqtt_client, err: number): number {
  mqtt_mutex_unlock(client);
  return err;
}

function verify_tx_state(client: mqtt_client): number {
  return MQTT_HAS_STATE(client, MQTT_STATE_CONNECTED) ? 0 : -ENOTCONN;
}

/**
 * `mqtt_client_init`: zeroes the client and sets Kconfig defaults: protocol 5.0 with
 * `CONFIG_MQTT_VERSION_5_0` else 3.1.1, `CONFIG_MQTT_CLEAN_SESSION`, `CONFIG_MQTT_KEEPALIVE` (60).
 */
export function mqtt_client_init(client: mqtt_client | null): void {
  if (client === null) return;
  Object.assign(client, new mqtt_client());
  mqtt_mutex_init(client);
  client.protocol_version = mqtt_enabled('MQTT_VERSION_5_0') ? MQTT_VERSION_5_0 : MQTT_VERSION_3_1_1;
  client.clean_session = mqtt_enabled('MQTT_CLEAN_SESSION') ? 1 : 0;
  client.keepalive = mqtt_cfg_int('MQTT_KEEPALIVE', 60);
}

/** `mqtt_client_set_proxy` (`CONFIG_SOCKS`): -ENOTSUP without it, -EINVAL for a null address. */
export function mqtt_client_set_proxy(client: mqtt_client | null, proxy_addr: sockaddr | null, addrlen: socklen_t): number {
  if (!mqtt_enabled('SOCKS')) return -ENOTSUP;
  if (client === null || proxy_addr === null) return -EINVAL;
  client.transport.proxy.addr = proxy_addr;
  client.transport.proxy.addrlen = addrlen;
  return 0;
}

/**
 * `mqtt_connect`: opens the transport and sends CONNECT. 0 does not mean connected: wait for
 * `MQTT_EVT_CONNACK` (poll the socket, then `mqtt_input`). -ENOMEM without rx/tx buffers or when
 * CONNECT does not fit `tx_buf`; -EINVAL without a client id; the transport's errors.
 */
export async function mqtt_connect(client: mqtt_client | null): Promise<number> {
  if (client === null || client.client_id.utf8 === null) return -EINVAL;
  await mqtt_mutex_lock(client);
  let err: number;
  if (client.tx_buf === null || client.rx_buf === null) err = -ENOMEM;
  else err = await client_connect(client);
  if (err < 0) client_reset(client);
  mqtt_mutex_unlock(client);
  return err;
}

/** Shared body of the calls that encode one packet into `tx_buf` and send it. */
function send_packet(
  client: mqtt_client,
  func: string,
  encode: (buf: Uint8Array) => number,
  after?: (err: number) => void,
): Promise<number> {
  return locked(client, () => {
    const buf = tx_buf_init(client);
    let err = verify_tx_state(client);
    if (err === 0) err = encode(buf);
    const sent = err >= 0 ? andThen(client_write(client, buf, err), (e) => (after?.(e), e)) : err;
    return andThen(sent, (e) => {
      if (func !== '') NET_DBG(func, '[CID %p]:[State 0x%02x]: << result 0x%08x', mqtt_ptr(client), client.internal.state, e);
      return e;
    });
  });
}

/**
 * `mqtt_publish`: the fixed header, topic, packet id and properties are encoded in `tx_buf`
 * (-ENOMEM if they do not fit); the payload is sent from where it is, as a second iovec.
 */
export function mqtt_publish(client: mqtt_client | null, param: mqtt_publish_param | null): Promise<number> {
  if (client === null || param === null) return resolved(-EINVAL);
  NET_DBG('mqtt_publish', '[CID %p]:[State 0x%02x]: >> Topic size 0x%08x, Data size 0x%08x', mqtt_ptr(client), client.internal.state,
    param.message.topic.topic.size, param.message.payload.len);
  return locked(client, () => {
    const buf = tx_buf_init(client);
    let err = verify_tx_state(client);
    if (err === 0) err = publish_encode(codec_version(client), param, buf);
    let sent: maybe<number> = err;
    if (err >= 0) {
      const payload = param.message.payload;
      const msg: msghdr = {
        msg_iov: [
          { iov_base: buf, iov_len: err },
          { iov_base: payload.data, iov_len: payload.len },
        ],
        msg_iovlen: 2,
      };
      sent = client_write_msg(client, msg);
    }
    return andThen(sent, (e) => {
      NET_DBG('mqtt_publish', '[CID %p]:[State 0x%02x]: << result 0x%08x', mqtt_ptr(client), client.internal.state, e);
      return e;
    });
  });
}

type ack_encoder = (version: number, param: mqtt_puback_param, buf: Uint8Array) => number;

async function send_ack(client: mqtt_client | null, param: mqtt_puback_param | null, func: string, enc: ack_encoder): Promise<number> {
  if (client === null || param === null) return -EINVAL;
  NET_DBG(func, '[CID %p]:[State 0x%02x]: >> Message id 0x%04x', mqtt_ptr(client), client.internal.state, param.message_id);
  return send_packet(client, func, (buf) => enc(codec_version(client), param, buf));
}

/** `mqtt_publish_qos1_ack`: PUBACK for a received QoS 1 PUBLISH (the app acks, not the library). */
export function mqtt_publish_qos1_ack(client: mqtt_client | null, param: mqtt_puback_param | null): Promise<number> {
  return send_ack(client, param, 'mqtt_publish_qos1_ack', publish_ack_encode);
}

/** `mqtt_publish_qos2_receive`: PUBREC for a received QoS 2 PUBLISH. */
export function mqtt_publish_qos2_receive(client: mqtt_client | null, param: mqtt_pubrec_param | null): Promise<number> {
  return send_ack(client, param, 'mqtt_publish_qos2_receive', publish_receive_encode);
}

/** `mqtt_publish_qos2_release`: PUBREL, on `MQTT_EVT_PUBREC`. */
export function mqtt_publish_qos2_release(client: mqtt_client | null, param: mqtt_pubrel_param | null): Promise<number> {
  return send_ack(client, param, 'mqtt_publish_qos2_release', publish_release_encode);
}

/** `mqtt_publish_qos2_complete`: PUBCOMP, on `MQTT_EVT_PUBREL`. */
export function mqtt_publish_qos2_complete(client: mqtt_client | null, param: mqtt_pubcomp_param | null): Promise<number> {
  return send_ack(client, param, 'mqtt_publish_qos2_complete', publish_complete_encode);
}

/**
 * `mqtt_disconnect`: sends DISCONNECT (with `param`'s reason and properties in 5.0; `param` is
 * ignored below 5.0 and may be null), closes the transport and reports `MQTT_EVT_DISCONNECT` (0).
 */
export async function mqtt_disconnect(client: mqtt_client | null, param: mqtt_disconnect_param | null = null): Promise<number> {
  if (client === null) return -EINVAL;
  await mqtt_mutex_lock(client);
  const buf = tx_buf_init(client);
  let err = verify_tx_state(client);
  if (err === 0) err = disconnect_encode(codec_version(client), param ?? undefined, buf);
  if (err >= 0) err = await client_write(client, buf, err);
  if (err === 0) await mqtt_client_disconnect(client, 0, true);
  mqtt_mutex_unlock(client);
  return err;
}

/** `mqtt_subscribe`. The SUBACK comes as `MQTT_EVT_SUBACK`. */
export async function mqtt_subscribe(client: mqtt_client | null, param: mqtt_subscription_list | null): Promise<number> {
  if (client === null || param === null) return -EINVAL;
  NET_DBG('mqtt_subscribe', '[CID %p]:[State 0x%02x]: >> message id 0x%04x topic count 0x%04x', mqtt_ptr(client),
    client.internal.state, param.message_id, param.list_count);
  return send_packet(client, 'mqtt_subscribe', (buf) => subscribe_encode(codec_version(client), param, buf));
}

/** `mqtt_unsubscribe` (topic QoS is not used). The UNSUBACK comes as `MQTT_EVT_UNSUBACK`. */
export async function mqtt_unsubscribe(client: mqtt_client | null, param: mqtt_subscription_list | null): Promise<number> {
  if (client === null || param === null) return -EINVAL;
  return send_packet(client, '', (buf) => unsubscribe_encode(codec_version(client), param, buf));
}

/** `mqtt_ping`: PINGREQ; counts it in `unacked_ping` (a PINGRESP takes one off). */
export async function mqtt_ping(client: mqtt_client | null): Promise<number> {
  if (client === null) return -EINVAL;
  return send_packet(client, '', (buf) => ping_request_encode(buf), () => {
    if (client.unacked_ping >= INT8_MAX) NET_WARN('PING count overflow!');
    else client.unacked_ping++;
  });
}

/** `mqtt_auth` (5.0, `CONFIG_MQTT_VERSION_5_0`): sends AUTH, also before CONNACK (enhanced auth). */
export async function mqtt_auth(client: mqtt_client | null, param: mqtt_auth_param | null): Promise<number> {
  if (client === null || param === null) return -EINVAL;
  if (!mqtt_enabled('MQTT_VERSION_5_0')) return -ENOTSUP;
  await mqtt_mutex_lock(client);
  const buf = tx_buf_init(client);
  let err = MQTT_HAS_STATE(client, MQTT_STATE_TCP_CONNECTED) ? 0 : -ENOTCONN;
  if (err === 0) err = auth_encode(codec_version(client), param, buf);
  if (err >= 0) err = await client_write(client, buf, err);
  mqtt_mutex_unlock(client);
  return err;
}

/** `mqtt_abort`: closes the transport without DISCONNECT; `MQTT_EVT_DISCONNECT` (-ECONNABORTED). */
export async function mqtt_abort(client: mqtt_client | null): Promise<number> {
  if (client === null) return -EINVAL;
  await mqtt_mutex_lock(client);
  if (client.internal.state !== MQTT_STATE_IDLE) await mqtt_client_disconnect(client, -ECONNABORTED, true);
  mqtt_mutex_unlock(client);
  return 0;
}

/**
 * `mqtt_live`: sends PINGREQ when `keepalive` seconds passed since the last packet sent; its
 * result then, else -EAGAIN. Nothing is done about unanswered pings (see `unacked_ping`).
 */
export function mqtt_live(client: mqtt_client | null): Promise<number> {
  if (client === null) return resolved(-EINVAL);
  return locked(client, () => {
    const elapsed = mqtt_elapsed_time_in_ms_get(client.internal.last_activity);
    return client.keepalive > 0 && elapsed >= client.keepalive * 1000 ? mqtt_ping(client) : -EAGAIN;
  });
}

/** `mqtt_keepalive_time_left`: ms until `mqtt_live` should ping (0 when due), -1 without keep-alive. */
export function mqtt_keepalive_time_left(client: mqtt_client): number {
  const elapsed = mqtt_elapsed_time_in_ms_get(client.internal.last_activity);
  const keepalive_ms = 1000 * client.keepalive;
  if (client.keepalive === 0) return -1;
  return keepalive_ms <= elapsed ? 0 : keepalive_ms - elapsed;
}

/**
 * `mqtt_input`: handles what arrived, without blocking (call it when poll says the socket is
 * readable): at most one packet, reported through `evt_cb`. -ENOTCONN before `mqtt_connect`,
 * -EBUSY while a PUBLISH payload is unread; an rx error closes the connection and is returned.
 */
export function mqtt_input(client: mqtt_client | null): Promise<number> {
  if (client === null) return resolved(-EINVAL);
  return locked(client, () => {
    NET_DBG('mqtt_input', 'state:0x%08x', client.internal.state);
    return MQTT_HAS_STATE(client, MQTT_STATE_TCP_CONNECTED) ? client_read(client) : -ENOTCONN;
  });
}

async function read_publish_payload(client: mqtt_client | null, buffer: Uint8Array, length: number, shall_block: boolean): Promise<number> {
  if (client === null) return -EINVAL;
  await mqtt_mutex_lock(client);
  let ret = 0;
  if (client.internal.remaining_payload > 0) {
    length = Math.min(length, client.internal.remaining_payload);
    ret = await mqtt_transport_read(client, buffer, length, shall_block);
    if (!(shall_block === false && ret === -EAGAIN)) {
      if (ret <= 0) {
        if (ret === 0) ret = -ENOTCONN;
        await mqtt_client_disconnect(client, ret, true);
      } else {
        client.internal.remaining_payload -= ret;
      }
    }
  }
  mqtt_mutex_unlock(client);
  return ret;
}

/** `mqtt_read_publish_payload`: payload bytes read without blocking (-EAGAIN if none yet). */
export function mqtt_read_publish_payload(client: mqtt_client | null, buffer: Uint8Array, length: number): Promise<number> {
  return read_publish_payload(client, buffer, length, false);
}

/** `mqtt_read_publish_payload_blocking`. */
export function mqtt_read_publish_payload_blocking(client: mqtt_client | null, buffer: Uint8Array, length: number): Promise<number> {
  return read_publish_payload(client, buffer, length, true);
}

/** `mqtt_readall_publish_payload`: exactly `length` bytes into `buffer`; 0, or -EIO if fewer remain. */
export async function mqtt_readall_publish_payload(client: mqtt_client | null, buffer: Uint8Array, length: number): Promise<number> {
  let off = 0;
  while (off < length) {
    const ret = await mqtt_read_publish_payload_blocking(client, buffer.subarray(off), length - off);
    if (ret < 0) return ret;
    if (ret === 0) return -EIO;
    off += ret;
  }
  return 0;
}
