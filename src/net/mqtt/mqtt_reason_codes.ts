/**
 * Protocol levels, QoS values, and the return and reason codes of `include/zephyr/net/mqtt.h`, plus
 * the MQTT 5.0 reason codes of PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK and UNSUBACK that Zephyr
 * carries as raw bytes.
 *
 * They are plain constants (not TS enums) so code reads like the C it is ported from:
 * `MQTT_QOS_1_AT_LEAST_ONCE`, not `mqtt_qos.MQTT_QOS_1_AT_LEAST_ONCE`.
 */

/** Protocol level of MQTT 3.1 (protocol name `MQIsdp`). */
export const MQTT_VERSION_3_1_0 = 3;
/** Protocol level of MQTT 3.1.1. */
export const MQTT_VERSION_3_1_1 = 4;
/** Protocol level of MQTT 5.0. */
export const MQTT_VERSION_5_0 = 5;
/** `enum mqtt_version`. */
export type mqtt_version = typeof MQTT_VERSION_3_1_0 | typeof MQTT_VERSION_3_1_1 | typeof MQTT_VERSION_5_0;

export const MQTT_QOS_0_AT_MOST_ONCE = 0;
export const MQTT_QOS_1_AT_LEAST_ONCE = 1;
export const MQTT_QOS_2_EXACTLY_ONCE = 2;
/** `enum mqtt_qos`. */
export type mqtt_qos = typeof MQTT_QOS_0_AT_MOST_ONCE | typeof MQTT_QOS_1_AT_LEAST_ONCE | typeof MQTT_QOS_2_EXACTLY_ONCE;

/** 5.0 subscription option "Retain Handling" (3.8.3.1): send retained messages at subscribe time. */
export const MQTT_RETAIN_HANDLING_SEND = 0;
/** Send retained messages only if the subscription did not exist. */
export const MQTT_RETAIN_HANDLING_SEND_IF_NEW = 1;
/** Do not send retained messages. */
export const MQTT_RETAIN_HANDLING_DONT_SEND = 2;
export type mqtt_retain_handling =
  | typeof MQTT_RETAIN_HANDLING_SEND
  | typeof MQTT_RETAIN_HANDLING_SEND_IF_NEW
  | typeof MQTT_RETAIN_HANDLING_DONT_SEND;

/* enum mqtt_conn_return_code: MQTT 3.1 / 3.1.1 CONNACK return codes. */
export const MQTT_CONNECTION_ACCEPTED = 0x00;
export const MQTT_UNACCEPTABLE_PROTOCOL_VERSION = 0x01;
export const MQTT_IDENTIFIER_REJECTED = 0x02;
export const MQTT_SERVER_UNAVAILABLE = 0x03;
export const MQTT_BAD_USER_NAME_OR_PASSWORD = 0x04;
export const MQTT_NOT_AUTHORIZED = 0x05;

/* enum mqtt_connack_reason_code: MQTT 5.0, 3.2.2.2. */
export const MQTT_CONNACK_SUCCESS = 0;
export const MQTT_CONNACK_UNSPECIFIED_ERROR = 128;
export const MQTT_CONNACK_MALFORMED_PACKET = 129;
export const MQTT_CONNACK_PROTOCOL_ERROR = 130;
export const MQTT_CONNACK_IMPL_SPECIFIC_ERROR = 131;
export const MQTT_CONNACK_UNSUPPORTED_PROTO_ERROR = 132;
export const MQTT_CONNACK_CLIENT_ID_NOT_VALID = 133;
export const MQTT_CONNACK_BAD_USERNAME_OR_PASS = 134;
export const MQTT_CONNACK_NOT_AUTHORIZED = 135;
export const MQTT_CONNACK_SERVER_UNAVAILABLE = 136;
export const MQTT_CONNACK_SERVER_BUSY = 137;
export const MQTT_CONNACK_BANNED = 138;
export const MQTT_CONNACK_BAD_AUTH_METHOD = 140;
export const MQTT_CONNACK_TOPIC_NAME_INVALID = 144;
export const MQTT_CONNACK_PACKET_TOO_LARGE = 149;
export const MQTT_CONNACK_QUOTA_EXCEEDED = 151;
export const MQTT_CONNACK_PAYLOAD_FORMAT_INVALID = 153;
export const MQTT_CONNACK_RETAIN_NOT_SUPPORTED = 154;
export const MQTT_CONNACK_QOS_NOT_SUPPORTED = 155;
export const MQTT_CONNACK_USE_ANOTHER_SERVER = 156;
export const MQTT_CONNACK_SERVER_MOVED = 157;
export const MQTT_CONNACK_CONNECTION_RATE_EXCEEDED = 159;

/* enum mqtt_suback_return_code: MQTT 3.1.1 SUBACK return codes (also valid 5.0 reason codes). */
export const MQTT_SUBACK_SUCCESS_QoS_0 = 0x00;
export const MQTT_SUBACK_SUCCESS_QoS_1 = 0x01;
export const MQTT_SUBACK_SUCCESS_QoS_2 = 0x02;
export const MQTT_SUBACK_FAILURE = 0x80;

/* MQTT 5.0 SUBACK reason codes beyond the 3.1.1 ones (3.9.3). */
export const MQTT_SUBACK_IMPL_SPECIFIC_ERROR = 131;
export const MQTT_SUBACK_NOT_AUTHORIZED = 135;
export const MQTT_SUBACK_TOPIC_FILTER_INVALID = 143;
export const MQTT_SUBACK_PACKET_ID_IN_USE = 145;
export const MQTT_SUBACK_QUOTA_EXCEEDED = 151;
export const MQTT_SUBACK_SHARED_SUB_NOT_SUPPORTED = 158;
export const MQTT_SUBACK_SUB_ID_NOT_SUPPORTED = 161;
export const MQTT_SUBACK_WILDCARD_SUB_NOT_SUPPORTED = 162;

/* MQTT 5.0 PUBACK and PUBREC reason codes (3.4.2.1, 3.5.2.1). */
export const MQTT_PUBACK_SUCCESS = 0;
export const MQTT_PUBACK_NO_MATCHING_SUBSCRIBERS = 16;
export const MQTT_PUBACK_UNSPECIFIED_ERROR = 128;
export const MQTT_PUBACK_IMPL_SPECIFIC_ERROR = 131;
export const MQTT_PUBACK_NOT_AUTHORIZED = 135;
export const MQTT_PUBACK_TOPIC_NAME_INVALID = 144;
export const MQTT_PUBACK_PACKET_ID_IN_USE = 145;
export const MQTT_PUBACK_QUOTA_EXCEEDED = 151;
export const MQTT_PUBACK_PAYLOAD_FORMAT_INVALID = 153;

/* MQTT 5.0 PUBREL and PUBCOMP reason codes (3.6.2.1, 3.7.2.1). */
export const MQTT_PUBREL_SUCCESS = 0;
export const MQTT_PUBREL_PACKET_ID_NOT_FOUND = 146;

/* MQTT 5.0 UNSUBACK reason codes (3.11.3). */
export const MQTT_UNSUBACK_SUCCESS = 0;
export const MQTT_UNSUBACK_NO_SUBSCRIPTION_EXISTED = 17;
export const MQTT_UNSUBACK_UNSPECIFIED_ERROR = 128;
export const MQTT_UNSUBACK_IMPL_SPECIFIC_ERROR = 131;
export const MQTT_UNSUBACK_NOT_AUTHORIZED = 135;
export const MQTT_UNSUBACK_TOPIC_FILTER_INVALID = 143;
export const MQTT_UNSUBACK_PACKET_ID_IN_USE = 145;

/* enum mqtt_disconnect_reason_code: MQTT 5.0, 3.14.2.1. */
export const MQTT_DISCONNECT_NORMAL = 0;
export const MQTT_DISCONNECT_WITH_WILL_MSG = 4;
export const MQTT_DISCONNECT_UNSPECIFIED_ERROR = 128;
export const MQTT_DISCONNECT_MALFORMED_PACKET = 129;
export const MQTT_DISCONNECT_PROTOCOL_ERROR = 130;
export const MQTT_DISCONNECT_IMPL_SPECIFIC_ERROR = 131;
export const MQTT_DISCONNECT_NOT_AUTHORIZED = 135;
export const MQTT_DISCONNECT_SERVER_BUSY = 137;
export const MQTT_DISCONNECT_SERVER_SHUTTING_DOWN = 139;
export const MQTT_DISCONNECT_KEEP_ALIVE_TIMEOUT = 141;
export const MQTT_DISCONNECT_SESSION_TAKE_OVER = 142;
export const MQTT_DISCONNECT_TOPIC_FILTER_INVALID = 143;
export const MQTT_DISCONNECT_TOPIC_NAME_INVALID = 144;
export const MQTT_DISCONNECT_RECV_MAX_EXCEEDED = 147;
export const MQTT_DISCONNECT_TOPIC_ALIAS_INVALID = 148;
export const MQTT_DISCONNECT_PACKET_TOO_LARGE = 149;
export const MQTT_DISCONNECT_MESSAGE_RATE_TOO_HIGH = 150;
export const MQTT_DISCONNECT_QUOTA_EXCEEDED = 151;
export const MQTT_DISCONNECT_ADMIN_ACTION = 152;
export const MQTT_DISCONNECT_PAYLOAD_FORMAT_INVALID = 153;
export const MQTT_DISCONNECT_RETAIN_NOT_SUPPORTED = 154;
export const MQTT_DISCONNECT_QOS_NOT_SUPPORTED = 155;
export const MQTT_DISCONNECT_USE_ANOTHER_SERVER = 156;
export const MQTT_DISCONNECT_SERVER_MOVED = 157;
export const MQTT_DISCONNECT_SHARED_SUB_NOT_SUPPORTED = 158;
export const MQTT_DISCONNECT_CONNECTION_RATE_EXCEEDED = 159;
export const MQTT_DISCONNECT_MAX_CONNECT_TIME = 160;
export const MQTT_DISCONNECT_SUB_ID_NOT_SUPPORTED = 161;
export const MQTT_DISCONNECT_WILDCARD_SUB_NOT_SUPPORTED = 162;

/* enum mqtt_auth_reason_code: MQTT 5.0, 3.15.2.1. */
export const MQTT_AUTH_SUCCESS = 0;
export const MQTT_AUTH_CONTINUE_AUTHENTICATION = 24;
export const MQTT_AUTH_RE_AUTHENTICATE = 25;
