/**
 * The constants and structures of coreMQTT's `core_mqtt_serializer.h`: status codes, QoS values,
 * packet types and the packet parameter structs, with coreMQTT's names.
 *
 * Differences forced by TypeScript, kept small:
 * - `const char *` plus a length becomes `MQTTString` (a `string` or a `Uint8Array`) plus the same
 *   length field, which counts bytes (UTF-8 bytes for a string). A `Uint8Array` is used where it
 *   is (no copy); a string is encoded on each call, so pass bytes on hot paths.
 * - Out-parameters (`size_t *`, `uint16_t *`, `bool *`) are `{ value }` objects (`MQTTRef`).
 * - Enums are numeric constants plus a union type, as zsim's MQTT codec does for `mqtt_qos`.
 */

/** A pointer to a value the callee fills in (`bool * pSessionPresent`, `size_t * pPacketSize`...). */
export interface MQTTRef<T> {
  value: T;
}

/** A `const char *` of coreMQTT: text or raw bytes; its length field counts bytes. */
export type MQTTString = string | Uint8Array;

export const MQTTSuccess = 0;
export const MQTTBadParameter = 1;
export const MQTTNoMemory = 2;
export const MQTTSendFailed = 3;
export const MQTTRecvFailed = 4;
export const MQTTBadResponse = 5;
export const MQTTServerRefused = 6;
export const MQTTNoDataAvailable = 7;
export const MQTTIllegalState = 8;
export const MQTTStateCollision = 9;
export const MQTTKeepAliveTimeout = 10;
export const MQTTNeedMoreBytes = 11;

/** `MQTTStatus_t`: the result of every coreMQTT function that can fail. */
export type MQTTStatus_t =
  | typeof MQTTSuccess
  | typeof MQTTBadParameter
  | typeof MQTTNoMemory
  | typeof MQTTSendFailed
  | typeof MQTTRecvFailed
  | typeof MQTTBadResponse
  | typeof MQTTServerRefused
  | typeof MQTTNoDataAvailable
  | typeof MQTTIllegalState
  | typeof MQTTStateCollision
  | typeof MQTTKeepAliveTimeout
  | typeof MQTTNeedMoreBytes;

export const MQTTQoS0 = 0;
export const MQTTQoS1 = 1;
export const MQTTQoS2 = 2;
/** `MQTTQoS_t`. */
export type MQTTQoS_t = typeof MQTTQoS0 | typeof MQTTQoS1 | typeof MQTTQoS2;

/** Packet types: the whole first byte, fixed flags included (PUBREL, SUBSCRIBE, UNSUBSCRIBE). */
export const MQTT_PACKET_TYPE_CONNECT = 0x10;
export const MQTT_PACKET_TYPE_CONNACK = 0x20;
export const MQTT_PACKET_TYPE_PUBLISH = 0x30;
export const MQTT_PACKET_TYPE_PUBACK = 0x40;
export const MQTT_PACKET_TYPE_PUBREC = 0x50;
export const MQTT_PACKET_TYPE_PUBREL = 0x62;
export const MQTT_PACKET_TYPE_PUBCOMP = 0x70;
export const MQTT_PACKET_TYPE_SUBSCRIBE = 0x82;
export const MQTT_PACKET_TYPE_SUBACK = 0x90;
export const MQTT_PACKET_TYPE_UNSUBSCRIBE = 0xa2;
export const MQTT_PACKET_TYPE_UNSUBACK = 0xb0;
export const MQTT_PACKET_TYPE_PINGREQ = 0xc0;
export const MQTT_PACKET_TYPE_PINGRESP = 0xd0;
export const MQTT_PACKET_TYPE_DISCONNECT = 0xe0;

/** Size of PUBACK, PUBREC, PUBREL and PUBCOMP. */
export const MQTT_PUBLISH_ACK_PACKET_SIZE = 4;
/** Largest Remaining Length MQTT 3.1.1 can encode. */
export const MQTT_MAX_REMAINING_LENGTH = 268435455;
/** Zero is not a packet identifier [MQTT-2.3.1-1]. */
export const MQTT_PACKET_ID_INVALID = 0;

/** `MQTTFixedBuffer_t`: a caller-owned buffer; only its first `size` bytes are used. */
export interface MQTTFixedBuffer_t {
  pBuffer: Uint8Array;
  size: number;
}

/** `MQTTConnectInfo_t`. The user name and password are left out when absent or null. */
export interface MQTTConnectInfo_t {
  cleanSession: boolean;
  keepAliveSeconds: number;
  pClientIdentifier: MQTTString | null;
  clientIdentifierLength: number;
  pUserName?: MQTTString | null;
  userNameLength?: number;
  pPassword?: MQTTString | null;
  passwordLength?: number;
}

/** `MQTTSubscribeInfo_t` (the QoS is ignored for UNSUBSCRIBE). */
export interface MQTTSubscribeInfo_t {
  qos: MQTTQoS_t;
  pTopicFilter: MQTTString | null;
  topicFilterLength: number;
}

/**
 * `MQTTPublishInfo_t`: an outgoing publish, a will, or what `MQTT_DeserializePublish` found. The
 * deserializer sets every field, with `pTopicName` and `pPayload` as views into the packet (valid
 * until the buffer is reused, as C's pointers are).
 */
export interface MQTTPublishInfo_t {
  qos: MQTTQoS_t;
  retain?: boolean;
  dup?: boolean;
  pTopicName: MQTTString | null;
  topicNameLength: number;
  pPayload: MQTTString | null;
  payloadLength: number;
}

/**
 * `MQTTPacketInfo_t`: an incoming packet. `pRemainingData` holds the bytes after the fixed header
 * from its index 0 (it may be longer than `remainingLength`, like a C pointer into a buffer).
 */
export interface MQTTPacketInfo_t {
  type: number;
  pRemainingData: Uint8Array | null;
  remainingLength: number;
  headerLength: number;
}

const utf8 = new TextEncoder();
/** Shared by every absent string: a zero-length view nobody can write into. */
const EMPTY = new Uint8Array(0);

/**
 * The first `length` bytes of `s`: the array itself (no copy) or the string's UTF-8 encoding.
 * Null when `s` is null with a non-zero length, or holds fewer than `length` bytes.
 */
export function mqttBytes(s: MQTTString | null | undefined, length: number): Uint8Array | null {
  if (!Number.isInteger(length) || length < 0) return null;
  if (s === null || s === undefined) return length === 0 ? EMPTY : null;
  const b = typeof s === 'string' ? utf8.encode(s) : s;
  return b.length >= length ? b : null;
}

/** Encoded size of a Remaining Length (1 to 4 bytes). */
export function remainingLengthEncodedSize(length: number): number {
  return length < 128 ? 1 : length < 16384 ? 2 : length < 2097152 ? 3 : 4;
}
