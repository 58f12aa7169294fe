/**
 * What the client does with each received message (lwIP's `mqtt_message_received`), decoding
 * with zsim's codec: CONNACK ends the connect attempt, SUBACK / UNSUBACK / PUBACK / PUBCOMP
 * complete requests, PUBREC and PUBREL are answered, and PUBLISH goes to the application's
 * publish and data callbacks, then is acknowledged as its QoS requires.
 */
import {
  MQTT_PKT_TYPE_CONNACK, MQTT_PKT_TYPE_PINGRSP, MQTT_PKT_TYPE_PUBACK, MQTT_PKT_TYPE_PUBCOMP, MQTT_PKT_TYPE_PUBLISH,
  MQTT_PKT_TYPE_PUBREC, MQTT_PKT_TYPE_PUBREL, MQTT_PKT_TYPE_SUBACK, MQTT_PKT_TYPE_UNSUBACK, MQTT_VERSION_3_1_1,
  buf_ctx_init, connect_ack_decode, mqtt_utf8_to_string, publish_ack_decode, publish_complete_decode, publish_decode,
  publish_receive_decode, publish_release_decode, subscribe_ack_decode, unsubscribe_ack_decode, type buf_ctx,
  type mqtt_fixed_header,
} from '../net/mqtt/index.ts';
import { ERR_ABRT, ERR_OK } from './err.ts';
import type { mqtt_client_t } from './mqtt_client.ts';
import {
  MQTT_CONNECTED, MQTT_CONNECTING, MQTT_CONNECT_ACCEPTED, MQTT_CONNECT_DISCONNECTED, MQTT_DATA_FLAG_LAST,
  type mqtt_connection_status_t,
} from './mqtt_defs.ts';
import { mqtt_output_ack } from './mqtt_output.ts';

const V = MQTT_VERSION_3_1_1;

/**
 * One message, or one piece of a publish too large for the receive buffer (see `mqtt_rx.ts`).
 * Returns `MQTT_CONNECT_ACCEPTED`, a CONNACK's refusal code, or `MQTT_CONNECT_DISCONNECTED` for
 * anything malformed or unexpected.
 */
export function mqtt_message_received(
  client: mqtt_client_t,
  buf: Uint8Array,
  hdr: mqtt_fixed_header,
  hdr_len: number,
  length: number,
  remaining: number,
  first: boolean,
): mqtt_connection_status_t {
  const type = hdr.type_and_flags & 0xf0;
  const ctx = buf_ctx_init(buf, hdr_len, hdr_len + length);
  if (type === MQTT_PKT_TYPE_PUBLISH) return incoming_publish(client, buf, hdr, ctx, remaining, first);
  // Only publishes may exceed the receive buffer: the other messages are a few bytes long.
  if (remaining > 0) return MQTT_CONNECT_DISCONNECTED;
  switch (type) {
    case MQTT_PKT_TYPE_CONNACK: {
      // lwIP ignores a CONNACK once connected.
      if (client.conn_state !== MQTT_CONNECTING) return MQTT_CONNECT_ACCEPTED;
      const ack = connect_ack_decode(V, ctx);
      if (typeof ack === 'number') return MQTT_CONNECT_DISCONNECTED;
      const res = ack.return_code;
      if (res === MQTT_CONNECT_ACCEPTED) {
        client.cyclic_tick = 0;
        client.conn_state = MQTT_CONNECTED;
        client.connect_cb?.(client, client.connect_arg, res);
      }
      // A refusal closes the connection with the server's code as the status.
      return res;
    }
    case MQTT_PKT_TYPE_PINGRSP:
      return MQTT_CONNECT_ACCEPTED;
    case MQTT_PKT_TYPE_PUBREC: {
      const ack = publish_receive_decode(V, ctx);
      if (typeof ack === 'number') return MQTT_CONNECT_DISCONNECTED;
      respond(client, MQTT_PKT_TYPE_PUBREL, ack.message_id);
      return MQTT_CONNECT_ACCEPTED;
    }
    case MQTT_PKT_TYPE_PUBREL: {
      const ack = publish_release_decode(V, ctx);
      if (typeof ack === 'number') return MQTT_CONNECT_DISCONNECTED;
      respond(client, MQTT_PKT_TYPE_PUBCOMP, ack.message_id);
      return MQTT_CONNECT_ACCEPTED;
    }
    case MQTT_PKT_TYPE_SUBACK: {
      const ack = subscribe_ack_decode(V, ctx);
      if (typeof ack === 'number' || ack.return_codes.len < 1) return MQTT_CONNECT_DISCONNECTED;
      const r = client.pend_req_queue.take(ack.message_id);
      // Return codes 0-2 grant a QoS; 0x80 is a refusal.
      r?.cb?.(r.arg, ack.return_codes.data[0]! < 3 ? ERR_OK : ERR_ABRT);
      return MQTT_CONNECT_ACCEPTED;
    }
    case MQTT_PKT_TYPE_UNSUBACK:
    case MQTT_PKT_TYPE_PUBACK:
    case MQTT_PKT_TYPE_PUBCOMP: {
      const ack =
        type === MQTT_PKT_TYPE_UNSUBACK ? unsubscribe_ack_decode(V, ctx)
        : type === MQTT_PKT_TYPE_PUBACK ? publish_ack_decode(V, ctx)
        : publish_complete_decode(V, ctx);
      if (typeof ack === 'number') return MQTT_CONNECT_DISCONNECTED;
      const r = client.pend_req_queue.take(ack.message_id);
      r?.cb?.(r.arg, ERR_OK);
      return MQTT_CONNECT_ACCEPTED;
    }
    default:
      // CONNECT, SUBSCRIBE, PINGREQ... are never sent to a client.
      return MQTT_CONNECT_DISCONNECTED;
  }
}

/** Queues PUBACK / PUBREC / PUBREL / PUBCOMP; lwIP drops it when the ring is full. */
function respond(client: mqtt_client_t, type: Parameters<typeof mqtt_output_ack>[1], pkt_id: number): void {
  if (mqtt_output_ack(client.output, type, pkt_id) === ERR_OK) client.stack.kick();
}

function incoming_publish(
  client: mqtt_client_t,
  buf: Uint8Array,
  hdr: mqtt_fixed_header,
  ctx: buf_ctx,
  remaining: number,
  first: boolean,
): mqtt_connection_status_t {
  const qos = (hdr.type_and_flags & 0x06) >> 1;
  const gen = client.gen;
  const var_start = ctx.cur;
  let payload_off = ctx.cur;
  let payload_len = ctx.end - ctx.cur;
  if (first) {
    // The first piece starts with the topic and packet identifier; the payload follows.
    const p = publish_decode(V, hdr.type_and_flags, hdr.length, ctx);
    if (typeof p === 'number') return MQTT_CONNECT_DISCONNECTED;
    const topic = p.message.topic.topic;
    // lwIP needs room after the topic for its NUL terminator (QoS 0) or the packet identifier.
    if (2 + topic.size + (qos > 0 ? 2 : 1) > buf.length - var_start) return MQTT_CONNECT_DISCONNECTED;
    client.inpub_pkt_id = p.message_id;
    payload_len = p.message.payload.data.length;
    payload_off = ctx.end - payload_len;
    client.pub_cb?.(client.inpub_arg, mqtt_utf8_to_string(topic), remaining + payload_len);
    if (client.gen !== gen) return MQTT_CONNECT_ACCEPTED;
  }
  if (payload_len > 0 || remaining === 0) {
    const data = buf.subarray(payload_off, payload_off + payload_len);
    client.data_cb?.(client.inpub_arg, data, payload_len, remaining === 0 ? MQTT_DATA_FLAG_LAST : 0);
    if (remaining === 0 && qos > 0 && client.gen === gen) {
      // lwIP acknowledges incoming QoS 1 and 2 itself, once the whole payload was delivered.
      respond(client, qos === 1 ? MQTT_PKT_TYPE_PUBACK : MQTT_PKT_TYPE_PUBREC, client.inpub_pkt_id);
    }
  }
  return MQTT_CONNECT_ACCEPTED;
}
