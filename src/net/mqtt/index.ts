/**
 * zsim's MQTT packet codec: pure encoders and decoders over `Uint8Array` for MQTT 3.1 (`MQIsdp`,
 * level 3), 3.1.1 (level 4) and 5.0 (level 5), the layer under the port of Zephyr's
 * `subsys/net/lib/mqtt`.
 *
 * Encoders write into a caller-owned buffer and return the length or a negative errno; decoders
 * return structures whose byte strings are views into the input, or a negative errno. Nothing
 * throws on malformed input.
 */

export * from './mqtt_reason_codes.ts';
export * from './mqtt_types.ts';
export * from './mqtt_internal.ts';
export { MQTT_BINSTR, MQTT_UTF8_LITERAL, mqtt_utf8_to_string, mqtt_utf8_valid } from './mqtt_utf8.ts';
export { fixed_header_decode, unpack_variable_int } from './mqtt_unpack.ts';
export {
  MQTT_PROP_ASSIGNED_CLIENT_IDENTIFIER,
  MQTT_PROP_AUTHENTICATION_DATA,
  MQTT_PROP_AUTHENTICATION_METHOD,
  MQTT_PROP_CONTENT_TYPE,
  MQTT_PROP_CORRELATION_DATA,
  MQTT_PROP_MAXIMUM_PACKET_SIZE,
  MQTT_PROP_MAXIMUM_QOS,
  MQTT_PROP_MESSAGE_EXPIRY_INTERVAL,
  MQTT_PROP_PAYLOAD_FORMAT_INDICATOR,
  MQTT_PROP_REASON_STRING,
  MQTT_PROP_RECEIVE_MAXIMUM,
  MQTT_PROP_REQUEST_PROBLEM_INFORMATION,
  MQTT_PROP_REQUEST_RESPONSE_INFORMATION,
  MQTT_PROP_RESPONSE_INFORMATION,
  MQTT_PROP_RESPONSE_TOPIC,
  MQTT_PROP_RETAIN_AVAILABLE,
  MQTT_PROP_SERVER_KEEP_ALIVE,
  MQTT_PROP_SERVER_REFERENCE,
  MQTT_PROP_SESSION_EXPIRY_INTERVAL,
  MQTT_PROP_SHARED_SUBSCRIPTION_AVAILABLE,
  MQTT_PROP_SUBSCRIPTION_IDENTIFIER,
  MQTT_PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE,
  MQTT_PROP_TOPIC_ALIAS,
  MQTT_PROP_TOPIC_ALIAS_MAXIMUM,
  MQTT_PROP_USER_PROPERTY,
  MQTT_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE,
  MQTT_PROP_WILL_DELAY_INTERVAL,
} from './mqtt_properties.ts';
export {
  auth_encode,
  connect_request_encode,
  disconnect_encode,
  ping_request_encode,
  publish_ack_encode,
  publish_complete_encode,
  publish_encode,
  publish_receive_encode,
  publish_release_encode,
  subscribe_encode,
  unsubscribe_encode,
} from './mqtt_encoder.ts';
export {
  connect_ack_encode,
  ping_response_encode,
  subscribe_ack_encode,
  unsubscribe_ack_encode,
} from './mqtt_encoder_server.ts';
export {
  auth_decode,
  connect_ack_decode,
  disconnect_decode,
  publish_ack_decode,
  publish_complete_decode,
  publish_decode,
  publish_receive_decode,
  publish_release_decode,
  subscribe_ack_decode,
  unsubscribe_ack_decode,
} from './mqtt_decoder.ts';
export { connect_request_decode, subscribe_decode, unsubscribe_decode } from './mqtt_decoder_server.ts';
export type { mqtt_decoded_packet, mqtt_packet } from './mqtt_packet.ts';
export { mqtt_fixed_header_check, mqtt_packet_decode, mqtt_packet_encode } from './mqtt_packet.ts';
