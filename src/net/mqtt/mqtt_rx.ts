/**
 * Received data handling, Zephyr's `mqtt_rx.c` (log module `net_mqtt_rx`).
 *
 * `mqtt_handle_rx` reads one packet into `rx_buf` without blocking: the fixed header, then the
 * rest, or for PUBLISH only the variable header (the payload stays in the transport for
 * `mqtt_read_publish_payload`). What arrived of an incomplete packet stays in `rx_buf`
 * (`internal.rx_buf_datalen`) for the next call. A complete packet is decoded by the codec and
 * reported to the application as an event.
 */
import { EAGAIN, ECONNREFUSED, ENOMEM, ENOTCONN, ENOTSUP, EBADMSG } from '../../libc/errno.ts';
import {
  auth_decode, connect_ack_decode, disconnect_decode, publish_ack_decode, publish_complete_decode, publish_decode,
  publish_receive_decode, publish_release_decode, subscribe_ack_decode, unsubscribe_ack_decode,
} from './mqtt_decoder.ts';
import {
  MQTT_FIXED_HEADER_MIN_SIZE, MQTT_HEADER_QOS_MASK, MQTT_PKT_TYPE_AUTH, MQTT_PKT_TYPE_CONNACK, MQTT_PKT_TYPE_DISCONNECT,
  MQTT_PKT_TYPE_PINGRSP, MQTT_PKT_TYPE_PUBACK, MQTT_PKT_TYPE_PUBCOMP, MQTT_PKT_TYPE_PUBLISH, MQTT_PKT_TYPE_PUBREC,
  MQTT_PKT_TYPE_PUBREL, MQTT_PKT_TYPE_SUBACK, MQTT_PKT_TYPE_UNSUBACK, type buf_ctx, type mqtt_fixed_header,
} from './mqtt_internal.ts';
import {
  EMPTY, MQTT_EVT_AUTH, MQTT_EVT_CONNACK, MQTT_EVT_DISCONNECT, MQTT_EVT_PINGRESP, MQTT_EVT_PUBACK, MQTT_EVT_PUBCOMP,
  MQTT_EVT_PUBLISH, MQTT_EVT_PUBREC, MQTT_EVT_PUBREL, MQTT_EVT_SUBACK, MQTT_EVT_UNSUBACK, MQTT_SET_STATE,
  MQTT_STATE_CONNECTED, empty_binstr, event_notify, mqtt_client_disconnect, mqtt_is_version_5_0, type mqtt_client,
  type mqtt_evt,
} from './mqtt_client.ts';
import { NET_LOG_REGISTER, mqtt_cfg_int, mqtt_enabled, mqtt_ptr, andThen, type maybe } from './mqtt_os.ts';
import {
  MQTT_CONNECTION_ACCEPTED, MQTT_DISCONNECT_IMPL_SPECIFIC_ERROR, MQTT_DISCONNECT_TOPIC_ALIAS_INVALID,
  MQTT_QOS_0_AT_MOST_ONCE,
} from './mqtt_reason_codes.ts';
import { mqtt_transport_read } from './mqtt_transport.ts';
import type { mqtt_publish_param } from './mqtt_types.ts';
import { fixed_header_decode, unpack_variable_int } from './mqtt_unpack.ts';

const { NET_DBG, NET_ERR, NET_WARN } = NET_LOG_REGISTER('net_mqtt_rx');

/** A decoder's result as Zephyr's pair (err_code, param): the param, or `zero` on failure. */
function split<T>(r: T | number, zero: T): [number, T] {
  return typeof r === 'number' ? [r, zero] : [0, r];
}

function zero_publish(): mqtt_publish_param {
  return {
    message: { topic: { topic: { utf8: EMPTY, size: 0 }, qos: MQTT_QOS_0_AT_MOST_ONCE }, payload: empty_binstr() },
    message_id: 0,
    dup_flag: false,
    retain_flag: false,
  };
}

/**
 * 5.0 topic aliases the server sets up (`publish_topic_alias_check` of Zephyr's decoder): a
 * PUBLISH with a topic and an alias stores the topic, one without a topic uses the stored one.
 */
function publish_topic_alias_check(client: mqtt_client, param: mqtt_publish_param): number {
  const alias = param.prop?.topic_alias ?? 0;
  const topic = param.message.topic.topic;
  if (alias > mqtt_cfg_int('MQTT_TOPIC_ALIAS_MAX', 5)) {
    client.internal.disconnect_reason = MQTT_DISCONNECT_TOPIC_ALIAS_INVALID;
    return -EBADMSG;
  }
  const aliases = client.internal.topic_aliases;
  if (topic.size === 0) {
    const stored = alias === 0 ? undefined : aliases[alias - 1];
    if (stored === undefined || stored === null) return -EBADMSG;
    param.message.topic.topic = { utf8: stored, size: stored.length };
    return 0;
  }
  if (alias > 0) {
    if (topic.size > mqtt_cfg_int('MQTT_TOPIC_ALIAS_STRING_MAX', 64)) {
      NET_ERR('Topic too long (%d bytes) to store, increase CONFIG_MQTT_TOPIC_ALIAS_STRING_MAX', topic.size);
      client.internal.disconnect_reason = MQTT_DISCONNECT_IMPL_SPECIFIC_ERROR;
      return -ENOMEM;
    }
    // The topic is a view into rx_buf, which the next packet overwrites: keep a copy.
    aliases[alias - 1] = topic.utf8.slice(0, topic.size);
  }
  return 0;
}

/** `mqtt_handle_packet`: decodes one complete packet and notifies the application. */
function mqtt_handle_packet(client: mqtt_client, type_and_flags: number, var_length: number, buf: buf_ctx): maybe<number> {
  const version = client.protocol_version;
  const cid = mqtt_ptr(client);
  let err_code = 0;
  let evt: mqtt_evt | null = null;

  switch (type_and_flags & 0xf0) {
    case MQTT_PKT_TYPE_CONNACK: {
      NET_DBG('mqtt_handle_packet', '[CID %p]: Received MQTT_PKT_TYPE_CONNACK!', cid);
      const [err, connack] = split(connect_ack_decode(version, buf), { session_present_flag: false, return_code: 0 });
      let result = err;
      err_code = err;
      if (err === 0) {
        NET_DBG('mqtt_handle_packet', '[CID %p]: return_code: %d', cid, connack.return_code);
        // MQTT_CONNACK_SUCCESS of 5.0 is 0 as well.
        if (connack.return_code === MQTT_CONNECTION_ACCEPTED) MQTT_SET_STATE(client, MQTT_STATE_CONNECTED);
        else err_code = -ECONNREFUSED;
        result = connack.return_code;
      }
      evt = { type: MQTT_EVT_CONNACK, result, param: { connack } };
      break;
    }
    case MQTT_PKT_TYPE_PUBLISH: {
      NET_DBG('mqtt_handle_packet', '[CID %p]: Received MQTT_PKT_TYPE_PUBLISH', cid);
      let [err, publish] = split(publish_decode(version, type_and_flags, var_length, buf), zero_publish());
      if (err === 0 && mqtt_is_version_5_0(client)) {
        err = publish_topic_alias_check(client, publish);
        if (err < 0) publish = zero_publish();
      }
      err_code = err;
      client.internal.remaining_payload = publish.message.payload.len;
      NET_DBG('mqtt_handle_packet', 'PUB QoS:%02x, message len %08x, topic len %08x', publish.message.topic.qos, publish.message.payload.len, publish.message.topic.topic.size);
      evt = { type: MQTT_EVT_PUBLISH, result: err, param: { publish } };
      break;
    }
    case MQTT_PKT_TYPE_PUBACK: {
      NET_DBG('mqtt_handle_packet', '[CID %p]: Received MQTT_PKT_TYPE_PUBACK!', cid);
      const [err, puback] = split(publish_ack_decode(version, buf), { message_id: 0 });
      err_code = err;
      evt = { type: MQTT_EVT_PUBACK, result: err, param: { puback } };
      break;
    }
    case MQTT_PKT_TYPE_PUBREC: {
      NET_DBG('mqtt_handle_packet', '[CID %p]: Received MQTT_PKT_TYPE_PUBREC!', cid);
      const [err, pubrec] = split(publish_receive_decode(version, buf), { message_id: 0 });
      err_code = err;
      evt = { type: MQTT_EVT_PUBREC, result: err, param: { pubrec } };
      break;
    }
    case MQTT_PKT_TYPE_PUBREL: {
      NET_DBG('mqtt_handle_packet', '[CID %p]: Received MQTT_PKT_TYPE_PUBREL!', cid);
      const [err, pubrel] = split(publish_release_decode(version, buf), { message_id: 0 });
      err_code = err;
      evt = { type: MQTT_EVT_PUBREL, result: err, param: { pubrel } };
      break;
    }
    case MQTT_PKT_TYPE_PUBCOMP: {
      NET_DBG('mqtt_handle_packet', '[CID %p]: Received MQTT_PKT_TYPE_PUBCOMP!', cid);
      const [err, pubcomp] = split(publish_complete_decode(version, buf), { message_id: 0 });
      err_code = err;
      evt = { type: MQTT_EVT_PUBCOMP, result: err, param: { pubcomp } };
      break;
    }
    case MQTT_PKT_TYPE_SUBACK: {
      NET_DBG('mqtt_handle_packet', '[CID %p]: Received MQTT_PKT_TYPE_SUBACK!', cid);
      const [err, suback] = split(subscribe_ack_decode(version, buf), { message_id: 0, return_codes: empty_binstr() });
      err_code = err;
      evt = { type: MQTT_EVT_SUBACK, result: err, param: { suback } };
      break;
    }
    case MQTT_PKT_TYPE_UNSUBACK: {
      NET_DBG('mqtt_handle_packet', '[CID %p]: Received MQTT_PKT_TYPE_UNSUBACK!', cid);
      const [err, unsuback] = split(unsubscribe_ack_decode(version, buf), { message_id: 0 });
      err_code = err;
      evt = { type: MQTT_EVT_UNSUBACK, result: err, param: { unsuback } };
      break;
    }
    case MQTT_PKT_TYPE_PINGRSP:
      NET_DBG('mqtt_handle_packet', '[CID %p]: Received MQTT_PKT_TYPE_PINGRSP!', cid);
      if (client.unacked_ping <= 0) {
        NET_WARN('Unexpected PINGRSP');
        client.unacked_ping = 0;
      } else {
        client.unacked_ping--;
      }
      evt = { type: MQTT_EVT_PINGRESP, result: 0, param: {} };
      break;
    case MQTT_PKT_TYPE_DISCONNECT: {
      // Only a CONFIG_MQTT_VERSION_5_0 build knows this packet; below 5.0 it is an error there.
      if (!mqtt_enabled('MQTT_VERSION_5_0')) break;
      const r = mqtt_is_version_5_0(client) ? disconnect_decode(version, buf) : -ENOTSUP;
      if (typeof r === 'number') {
        // The caller disconnects and reports the error.
        err_code = r;
        break;
      }
      const result = r.reason_code ?? 0;
      // Not notified there: the event carries the server's parameters.
      const disconnected: mqtt_evt = { type: MQTT_EVT_DISCONNECT, result, param: { disconnect: r } };
      return andThen(mqtt_client_disconnect(client, result, false), () => andThen(event_notify(client, disconnected), () => err_code));
    }
    case MQTT_PKT_TYPE_AUTH: {
      if (!mqtt_enabled('MQTT_VERSION_5_0')) break;
      const r = mqtt_is_version_5_0(client) ? auth_decode(version, buf) : -ENOTSUP;
      if (typeof r === 'number') {
        err_code = r;
        break;
      }
      evt = { type: MQTT_EVT_AUTH, result: r.reason_code, param: { auth: r } };
      break;
    }
    default:
      // Nothing to notify.
      break;
  }
  return evt === null ? err_code : andThen(event_notify(client, evt), () => err_code);
}

/**
 * `mqtt_read_message_chunk`: makes `buf` hold `length` bytes from `buf.cur`, reading what is
 * missing without blocking. -EAGAIN when the transport had less, -ENOMEM past `rx_buf_size`,
 * -ENOTCONN when the peer closed.
 */
function mqtt_read_message_chunk(client: mqtt_client, buf: buf_ctx, length: number): maybe<number> {
  if (length <= buf.end - buf.cur) return 0;
  const remaining = length - (buf.end - buf.cur);
  if (buf.end + remaining > client.rx_buf_size) {
    NET_ERR('[CID %p]: Read would exceed RX buffer bounds.', mqtt_ptr(client));
    return -ENOMEM;
  }
  const len = mqtt_transport_read(client, buf.buf.subarray(buf.end, buf.end + remaining), remaining, false);
  return typeof len === 'number' ? chunk_read(client, buf, remaining, len) : len.then((n) => chunk_read(client, buf, remaining, n));
}

/** The end of `mqtt_read_message_chunk`, once the transport answered `len`. */
function chunk_read(client: mqtt_client, buf: buf_ctx, remaining: number, len: number): number {
  const cid = mqtt_ptr(client);
  if (len < 0) {
    if (len !== -EAGAIN) NET_ERR('[CID %p]: Transport read error: %d', cid, len);
    return len;
  }
  if (len === 0) {
    NET_ERR('[CID %p]: Connection closed.', cid);
    return -ENOTCONN;
  }
  client.internal.rx_buf_datalen += len;
  buf.end += len;
  if (len < remaining) {
    NET_ERR('[CID %p]: Message partially received.', cid);
    return -EAGAIN;
  }
  return 0;
}

/** `mqtt_read_publish_var_header`: topic, packet id and (5.0) properties of a PUBLISH. */
function mqtt_read_publish_var_header(client: mqtt_client, type_and_flags: number, buf: buf_ctx): maybe<number> {
  const qos = (type_and_flags & MQTT_HEADER_QOS_MASK) >> 1;
  return andThen(mqtt_read_message_chunk(client, buf, 2), (err) => {
    if (err < 0) return err;
    let variable_header_length = ((buf.buf[buf.cur]! << 8) | buf.buf[buf.cur + 1]!) + 2;
    if (qos > MQTT_QOS_0_AT_MOST_ONCE) variable_header_length += 2;
    if (mqtt_is_version_5_0(client)) return read_publish_properties(client, buf, variable_header_length);
    return mqtt_read_message_chunk(client, buf, variable_header_length);
  });
}

/** 5.0: the property block after a PUBLISH's topic and packet id, whose length is a varint. */
async function read_publish_properties(client: mqtt_client, buf: buf_ctx, variable_header_length: number): Promise<number> {
  // The property length is a variable integer: read one more byte until it decodes.
  let var_len = 1;
  let prop_len: number;
  for (;;) {
    const err = await mqtt_read_message_chunk(client, buf, variable_header_length + var_len);
    if (err < 0) return err;
    const probe: buf_ctx = { buf: buf.buf, cur: buf.cur + variable_header_length, end: buf.end };
    prop_len = unpack_variable_int(probe);
    if (prop_len >= 0) break;
    if (prop_len !== -EAGAIN) return prop_len;
    var_len++;
  }
  return mqtt_read_message_chunk(client, buf, variable_header_length + var_len + prop_len);
}

/** `mqtt_read_and_parse_fixed_header`. */
function mqtt_read_and_parse_fixed_header(client: mqtt_client, hdr: mqtt_fixed_header, buf: buf_ctx): maybe<number> {
  let chunk_size = MQTT_FIXED_HEADER_MIN_SIZE;
  for (;;) {
    const r = mqtt_read_message_chunk(client, buf, chunk_size);
    if (r instanceof Promise) {
      return r.then((err) => {
        const e = fixed_header_step(hdr, buf, err);
        return e === MORE ? mqtt_read_and_parse_fixed_header_more(client, hdr, buf) : e;
      });
    }
    const e = fixed_header_step(hdr, buf, r);
    if (e !== MORE) return e;
    chunk_size = 1;
  }
}

function mqtt_read_and_parse_fixed_header_more(client: mqtt_client, hdr: mqtt_fixed_header, buf: buf_ctx): maybe<number> {
  return andThen(mqtt_read_message_chunk(client, buf, 1), (err) => {
    const e = fixed_header_step(hdr, buf, err);
    return e === MORE ? mqtt_read_and_parse_fixed_header_more(client, hdr, buf) : e;
  });
}

/** The fixed header needs another byte (not an errno: read errors, -EAGAIN included, end the read). */
const MORE = 1;

/** Decodes the fixed header after a chunk was read with result `err`. */
function fixed_header_step(hdr: mqtt_fixed_header, buf: buf_ctx, err: number): number {
  if (err < 0) return err;
  // Back to the start of the frame.
  buf.cur = 0;
  err = fixed_header_decode(buf, hdr);
  if (err !== -EAGAIN) return err;
  // Zephyr's decoder leaves its cursor at the end of what it read: the next chunk is one more.
  buf.cur = buf.end;
  return MORE;
}

/**
 * `mqtt_handle_rx`: reads and handles at most one packet. 0 when a packet was handled or more
 * bytes are needed; a negative errno the caller answers by disconnecting.
 */
export function mqtt_handle_rx(client: mqtt_client): maybe<number> {
  const rx = client.rx_buf!;
  const buf: buf_ctx = { buf: rx, cur: 0, end: client.internal.rx_buf_datalen };
  const hdr: mqtt_fixed_header = { type_and_flags: 0, length: 0 };
  return andThen(mqtt_read_and_parse_fixed_header(client, hdr, buf), (err) => {
    if (err < 0) return err === -EAGAIN ? 0 : err;
    const body = (hdr.type_and_flags & 0xf0) === MQTT_PKT_TYPE_PUBLISH
      ? mqtt_read_publish_var_header(client, hdr.type_and_flags, buf)
      : mqtt_read_message_chunk(client, buf, hdr.length);
    return andThen(body, (e) => {
      if (e < 0) return e === -EAGAIN ? 0 : e;
      // The packet is complete: hand it to the application.
      return andThen(mqtt_handle_packet(client, hdr.type_and_flags, hdr.length, buf), (e2) => {
        if (e2 < 0) return e2;
        client.internal.rx_buf_datalen = 0;
        return 0;
      });
    });
  });
}
