/**
 * The public structures of Zephyr's `include/zephyr/net/mqtt.h`, with Zephyr's field names.
 *
 * Differences from the C structures, all forced by the codec being pure and symmetric (it encodes
 * what it decodes, for both client and server packets):
 * - 5.0 properties are optional fields: present means "in the packet". Zephyr's structures use
 *   "zero means absent" for tx plus `prop.rx.has_*` flags for rx; zero is a meaningful value for
 *   several properties a server sends (Maximum QoS 0, Retain Available 0, Session Expiry 0 in
 *   DISCONNECT), so `prop.x !== undefined` replaces `prop.rx.has_x`.
 * - `user_prop` and the PUBLISH `subscription_identifier` are arrays of any length instead of
 *   `CONFIG_MQTT_USER_PROPERTIES_MAX` / `CONFIG_MQTT_SUBSCRIPTION_ID_PROPERTIES_MAX` slots, so
 *   nothing a peer sends is dropped and empty names are legal.
 * - Single-bit flags are booleans.
 * - The client-side fields of `struct mqtt_client` that CONNECT carries are `mqtt_connect_param`.
 *
 * Decoded byte strings are views (`subarray`) into the decoded buffer, never copies: they stay
 * valid only while the caller keeps that buffer's contents.
 */

import type { mqtt_qos, mqtt_retain_handling, mqtt_version } from './mqtt_reason_codes.ts';

/** Abstracts UTF-8 encoded strings. The encoder writes the first `size` bytes of `utf8`. */
export interface mqtt_utf8 {
  utf8: Uint8Array;
  size: number;
}

/** Abstracts binary strings. The encoder writes the first `len` bytes of `data`. */
export interface mqtt_binstr {
  data: Uint8Array;
  len: number;
}

/** Abstracts a UTF-8 encoded string pair (a 5.0 User Property). */
export interface mqtt_utf8_pair {
  name: mqtt_utf8;
  value: mqtt_utf8;
}

/**
 * A topic with its QoS: a PUBLISH topic name, a will topic, or a SUBSCRIBE/UNSUBSCRIBE topic filter.
 *
 * The three 5.0 subscription options only mean something in a 5.0 SUBSCRIBE: the encoder treats
 * them as false/0 when absent and the decoder sets all three for a 5.0 SUBSCRIBE. Zephyr packs them
 * into `qos`; they are separate fields here so `qos` stays a QoS.
 */
export interface mqtt_topic {
  topic: mqtt_utf8;
  qos: mqtt_qos;
  /** 5.0 No Local: do not forward this client's own publications back to it. */
  no_local?: boolean;
  /** 5.0 Retain As Published: keep the RETAIN flag of forwarded messages. */
  retain_as_published?: boolean;
  /** 5.0 Retain Handling (`MQTT_RETAIN_HANDLING_*`). */
  retain_handling?: mqtt_retain_handling;
}

/** Parameters for a publish message. */
export interface mqtt_publish_message {
  topic: mqtt_topic;
  payload: mqtt_binstr;
}

/** 5.0 CONNECT properties (3.1.2.11), `mqtt_client.prop` in Zephyr. */
export interface mqtt_connect_properties {
  session_expiry_interval?: number;
  receive_maximum?: number;
  maximum_packet_size?: number;
  topic_alias_maximum?: number;
  request_response_info?: boolean;
  request_problem_info?: boolean;
  user_prop?: mqtt_utf8_pair[];
  auth_method?: mqtt_utf8;
  auth_data?: mqtt_binstr;
}

/** 5.0 Will properties (3.1.3.2), `mqtt_client.will_prop` in Zephyr. */
export interface mqtt_will_properties {
  will_delay_interval?: number;
  payload_format_indicator?: number;
  message_expiry_interval?: number;
  content_type?: mqtt_utf8;
  response_topic?: mqtt_utf8;
  correlation_data?: mqtt_binstr;
  user_prop?: mqtt_utf8_pair[];
}

/**
 * CONNECT: the fields of Zephyr's `struct mqtt_client` that go on the wire.
 *
 * `will_topic.qos` is the will QoS. `will_message` absent with a will topic encodes an empty
 * message (as Zephyr); the decoder always sets it when the will flag is set. `password` is binary
 * data in 3.1.1 and 5.0 but keeps Zephyr's `mqtt_utf8` type.
 */
export interface mqtt_connect_param {
  protocol_version: mqtt_version;
  client_id: mqtt_utf8;
  /** Keep-alive interval in seconds. */
  keepalive: number;
  /** Clean Session (3.1.x) or Clean Start (5.0). */
  clean_session: boolean;
  will_topic?: mqtt_topic;
  will_message?: mqtt_utf8;
  /** Ignored without `will_topic`; the decoder sets it to false then. */
  will_retain: boolean;
  user_name?: mqtt_utf8;
  password?: mqtt_utf8;
  /** 5.0 only; the decoder always sets it for 5.0. */
  prop?: mqtt_connect_properties;
  /** 5.0 only, with a will; the decoder always sets it then. */
  will_prop?: mqtt_will_properties;
}

/** 5.0 CONNACK properties (3.2.2.3). */
export interface mqtt_connack_properties {
  session_expiry_interval?: number;
  receive_maximum?: number;
  maximum_qos?: number;
  retain_available?: number;
  maximum_packet_size?: number;
  assigned_client_id?: mqtt_utf8;
  topic_alias_maximum?: number;
  reason_string?: mqtt_utf8;
  user_prop?: mqtt_utf8_pair[];
  wildcard_sub_available?: number;
  subscription_ids_available?: number;
  shared_sub_available?: number;
  server_keep_alive?: number;
  response_information?: mqtt_utf8;
  server_reference?: mqtt_utf8;
  auth_method?: mqtt_utf8;
  auth_data?: mqtt_binstr;
}

/** Parameters for a connection acknowledgment (CONNACK). */
export interface mqtt_connack_param {
  /** Always false in 3.1, which has no such flag. */
  session_present_flag: boolean;
  /** 3.1.x: `MQTT_CONNECTION_ACCEPTED`...; 5.0: `MQTT_CONNACK_*` reason code. */
  return_code: number;
  /** 5.0 only; the decoder always sets it for 5.0. */
  prop?: mqtt_connack_properties;
}

/** 5.0 properties shared by PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK and UNSUBACK. */
export interface mqtt_common_ack_properties {
  user_prop?: mqtt_utf8_pair[];
  reason_string?: mqtt_utf8;
}

/**
 * Parameters for PUBACK, PUBREC, PUBREL and PUBCOMP (`mqtt_puback_param` and its three twins).
 * `reason_code` and `prop` are 5.0 only; the encoder treats them as 0 / empty when absent.
 */
export interface mqtt_puback_param {
  message_id: number;
  reason_code?: number;
  prop?: mqtt_common_ack_properties;
}
export type mqtt_pubrec_param = mqtt_puback_param;
export type mqtt_pubrel_param = mqtt_puback_param;
export type mqtt_pubcomp_param = mqtt_puback_param;

/** Parameters for a subscription acknowledgment (SUBACK). */
export interface mqtt_suback_param {
  message_id: number;
  /** 3.1.x return codes or 5.0 reason codes, one per topic filter. */
  return_codes: mqtt_binstr;
  prop?: mqtt_common_ack_properties;
}

/** Parameters for an unsubscribe acknowledgment (UNSUBACK). */
export interface mqtt_unsuback_param {
  message_id: number;
  /** 5.0 only: one reason code per topic filter. */
  reason_codes?: mqtt_binstr;
  prop?: mqtt_common_ack_properties;
}

/** 5.0 PUBLISH properties (3.3.2.3). */
export interface mqtt_publish_properties {
  payload_format_indicator?: number;
  message_expiry_interval?: number;
  topic_alias?: number;
  response_topic?: mqtt_utf8;
  correlation_data?: mqtt_binstr;
  user_prop?: mqtt_utf8_pair[];
  /** Sent by servers only; one entry per matching subscription. */
  subscription_identifier?: number[];
  content_type?: mqtt_utf8;
}

/** Parameters for a publish message (PUBLISH). */
export interface mqtt_publish_param {
  message: mqtt_publish_message;
  /** Packet identifier; ignored (and not encoded) for QoS 0. */
  message_id: number;
  dup_flag: boolean;
  retain_flag: boolean;
  /** 5.0 only; the decoder always sets it for 5.0. */
  prop?: mqtt_publish_properties;
}

/** 5.0 SUBSCRIBE / UNSUBSCRIBE properties (3.8.2.1, 3.10.2.1). */
export interface mqtt_subscription_properties {
  /** SUBSCRIBE only; ignored when encoding UNSUBSCRIBE, as in Zephyr. */
  subscription_identifier?: number;
  user_prop?: mqtt_utf8_pair[];
}

/** List of topics in a SUBSCRIBE or UNSUBSCRIBE request. `qos` is not encoded for UNSUBSCRIBE. */
export interface mqtt_subscription_list {
  list: mqtt_topic[];
  /** Number of entries of `list` to encode. */
  list_count: number;
  message_id: number;
  prop?: mqtt_subscription_properties;
}

/** 5.0 DISCONNECT properties (3.14.2.2). */
export interface mqtt_disconnect_properties {
  session_expiry_interval?: number;
  reason_string?: mqtt_utf8;
  user_prop?: mqtt_utf8_pair[];
  server_reference?: mqtt_utf8;
}

/** Parameters for DISCONNECT; everything is 5.0 only. */
export interface mqtt_disconnect_param {
  reason_code?: number;
  prop?: mqtt_disconnect_properties;
}

/** 5.0 AUTH properties (3.15.2.2). */
export interface mqtt_auth_properties {
  auth_method?: mqtt_utf8;
  auth_data?: mqtt_binstr;
  reason_string?: mqtt_utf8;
  user_prop?: mqtt_utf8_pair[];
}

/** Parameters for AUTH (5.0 only). */
export interface mqtt_auth_param {
  reason_code: number;
  prop?: mqtt_auth_properties;
}
