/**
 * Building outgoing packets into the output ring buffer with zsim's MQTT codec (`src/net/mqtt`),
 * as lwIP's `mqtt_output_append_*` helpers do byte by byte. lwIP speaks MQTT 3.1.1 only.
 *
 * Every function appends one whole packet or nothing: `ERR_MEM` when it does not fit the ring
 * (lwIP's `mqtt_output_check_space`), `ERR_VAL` when the codec refuses a field.
 */
import { ENOMEM } from '../libc/errno.ts';
import {
  MQTT_PKT_TYPE_CONNECT, MQTT_PKT_TYPE_PINGREQ, MQTT_PKT_TYPE_PUBACK, MQTT_PKT_TYPE_PUBCOMP, MQTT_PKT_TYPE_PUBLISH,
  MQTT_PKT_TYPE_PUBREC, MQTT_PKT_TYPE_PUBREL, MQTT_PKT_TYPE_SUBSCRIBE, MQTT_PKT_TYPE_UNSUBSCRIBE, MQTT_VERSION_3_1_1,
  mqtt_packet_encode, type mqtt_connect_param, type mqtt_packet, type mqtt_qos, type mqtt_utf8,
} from '../net/mqtt/index.ts';
import { ERR_MEM, ERR_OK, ERR_VAL, type err_t } from './err.ts';
import type { mqtt_ringbuf_t } from './ringbuf.ts';

/** Encodes `pkt` where the ring has room and appends it. */
function append_packet(rb: mqtt_ringbuf_t, pkt: mqtt_packet): err_t {
  // Encoding into exactly the free space makes the codec's -ENOMEM lwIP's space check.
  const scratch = new Uint8Array(rb.free());
  const n = mqtt_packet_encode(MQTT_VERSION_3_1_1, pkt, scratch);
  if (n === -ENOMEM) return ERR_MEM;
  if (n < 0) return ERR_VAL;
  rb.append(scratch.subarray(0, n));
  return ERR_OK;
}

/** CONNECT (protocol level 4, always a clean session, as lwIP). */
export function mqtt_output_connect(rb: mqtt_ringbuf_t, param: Omit<mqtt_connect_param, 'protocol_version' | 'clean_session'>): err_t {
  return append_packet(rb, {
    type: MQTT_PKT_TYPE_CONNECT,
    param: { ...param, protocol_version: MQTT_VERSION_3_1_1, clean_session: true },
  });
}

/** PUBLISH with its payload. */
export function mqtt_output_publish(
  rb: mqtt_ringbuf_t,
  topic: mqtt_utf8,
  payload: Uint8Array,
  qos: number,
  retain: boolean,
  pkt_id: number,
): err_t {
  return append_packet(rb, {
    type: MQTT_PKT_TYPE_PUBLISH,
    param: {
      message: { topic: { topic, qos: qos as mqtt_qos }, payload: { data: payload, len: payload.length } },
      message_id: pkt_id,
      dup_flag: false,
      retain_flag: retain,
    },
  });
}

/** SUBSCRIBE (one topic filter with its QoS) or UNSUBSCRIBE. */
export function mqtt_output_sub_unsub(rb: mqtt_ringbuf_t, sub: boolean, topic: mqtt_utf8, qos: number, pkt_id: number): err_t {
  const param = { list: [{ topic, qos: qos as mqtt_qos }], list_count: 1, message_id: pkt_id };
  return append_packet(rb, sub ? { type: MQTT_PKT_TYPE_SUBSCRIBE, param } : { type: MQTT_PKT_TYPE_UNSUBSCRIBE, param });
}

/** PINGREQ. */
export function mqtt_output_pingreq(rb: mqtt_ringbuf_t): err_t {
  return append_packet(rb, { type: MQTT_PKT_TYPE_PINGREQ });
}

/** The four publish acknowledgments. */
export type mqtt_ack_type =
  | typeof MQTT_PKT_TYPE_PUBACK
  | typeof MQTT_PKT_TYPE_PUBREC
  | typeof MQTT_PKT_TYPE_PUBREL
  | typeof MQTT_PKT_TYPE_PUBCOMP;

/** `pub_ack_rec_rel_response`: PUBACK, PUBREC, PUBREL or PUBCOMP for `pkt_id`. */
export function mqtt_output_ack(rb: mqtt_ringbuf_t, type: mqtt_ack_type, pkt_id: number): err_t {
  return append_packet(rb, { type, param: { message_id: pkt_id } });
}
