/**
 * coreMQTT's serializer (`core_mqtt_serializer.h`): the stateless functions that size and write
 * MQTT 3.1.1 client packets into a caller's `MQTTFixedBuffer_t`. Usable alone, without the
 * managed API of `core_mqtt.ts`; the deserializers are in `core_mqtt_deserializer.ts` and
 * re-exported here, as the C header declares both.
 *
 * The bytes come from zsim's MQTT codec (`src/net/mqtt`): these functions only check arguments
 * the way coreMQTT does, build the codec's parameters and turn its negative errno into an
 * `MQTTStatus_t` (-ENOMEM: `MQTTNoMemory`, anything else: `MQTTBadParameter`). The size functions
 * do coreMQTT's arithmetic, which the tests hold against the codec's output.
 */

import { ENOMEM } from '../libc/errno.ts';
import {
  MQTT_VERSION_3_1_1,
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
  type mqtt_connect_param,
  type mqtt_publish_param,
  type mqtt_topic,
} from '../net/mqtt/index.ts';
import {
  MQTTBadParameter,
  MQTTNoMemory,
  MQTTSuccess,
  MQTTQoS0,
  MQTT_MAX_REMAINING_LENGTH,
  MQTT_PACKET_TYPE_PUBACK,
  MQTT_PACKET_TYPE_PUBCOMP,
  MQTT_PACKET_TYPE_PUBREC,
  MQTT_PACKET_TYPE_PUBREL,
  MQTT_PUBLISH_ACK_PACKET_SIZE,
  mqttBytes,
  remainingLengthEncodedSize,
  type MQTTConnectInfo_t,
  type MQTTFixedBuffer_t,
  type MQTTPublishInfo_t,
  type MQTTRef,
  type MQTTStatus_t,
  type MQTTSubscribeInfo_t,
} from './core_mqtt_serializer_types.ts';

export * from './core_mqtt_serializer_types.ts';
export * from './core_mqtt_deserializer.ts';

/** Variable header of CONNECT: protocol name, level, flags, keep-alive. */
const CONNECT_HEADER_SIZE = 10;
const PINGREQ_SIZE = 2;
const DISCONNECT_SIZE = 2;

/** A codec result (length or negative errno) as a status. */
function fromErrno(ret: number): MQTTStatus_t {
  return ret === -ENOMEM ? MQTTNoMemory : MQTTBadParameter;
}

/** The usable part of a fixed buffer, or null when the buffer is malformed. */
function usable(fb: MQTTFixedBuffer_t | null | undefined): Uint8Array | null {
  if (!fb || !(fb.pBuffer instanceof Uint8Array) || !Number.isInteger(fb.size) || fb.size < 0) return null;
  if (fb.size > fb.pBuffer.length) return null;
  // Only a buffer longer than its declared size needs a view: the codec bounds-checks its length.
  return fb.size === fb.pBuffer.length ? fb.pBuffer : fb.pBuffer.subarray(0, fb.size);
}

/** Total packet size for a Remaining Length: type byte, encoded length, then the rest. */
function packetSizeOf(remainingLength: number): number {
  return 1 + remainingLengthEncodedSize(remainingLength) + remainingLength;
}

/** Checks the codec wrote exactly the packet the size function announced. */
function written(ret: number, expected: number): MQTTStatus_t {
  if (ret < 0) return fromErrno(ret);
  // A mismatch means the caller's remainingLength does not describe these parameters.
  return ret === expected ? MQTTSuccess : MQTTBadParameter;
}

function setSizes(rl: number, remaining: MQTTRef<number>, packet: MQTTRef<number>): MQTTStatus_t {
  if (rl > MQTT_MAX_REMAINING_LENGTH) return MQTTBadParameter;
  remaining.value = rl;
  packet.value = packetSizeOf(rl);
  return MQTTSuccess;
}

/** `MQTT_GetConnectPacketSize`: the client identifier must be set; a will payload fits 16 bits. */
export function MQTT_GetConnectPacketSize(
  pConnectInfo: MQTTConnectInfo_t | null,
  pWillInfo: MQTTPublishInfo_t | null,
  pRemainingLength: MQTTRef<number> | null,
  pPacketSize: MQTTRef<number> | null,
): MQTTStatus_t {
  if (!pConnectInfo || !pRemainingLength || !pPacketSize) return MQTTBadParameter;
  if (pConnectInfo.pClientIdentifier === null || !(pConnectInfo.clientIdentifierLength > 0)) return MQTTBadParameter;
  let rl = CONNECT_HEADER_SIZE + 2 + pConnectInfo.clientIdentifierLength;
  if (pWillInfo) {
    if (pWillInfo.payloadLength > 0xffff) return MQTTBadParameter;
    rl += 2 + pWillInfo.topicNameLength + 2 + pWillInfo.payloadLength;
  }
  if (pConnectInfo.pUserName != null) rl += 2 + (pConnectInfo.userNameLength ?? 0);
  if (pConnectInfo.pPassword != null) rl += 2 + (pConnectInfo.passwordLength ?? 0);
  return setSizes(rl, pRemainingLength, pPacketSize);
}

/** `MQTT_SerializeConnect`: CONNECT (protocol level 4) at the start of `pFixedBuffer`. */
export function MQTT_SerializeConnect(
  pConnectInfo: MQTTConnectInfo_t | null,
  pWillInfo: MQTTPublishInfo_t | null,
  remainingLength: number,
  pFixedBuffer: MQTTFixedBuffer_t | null,
): MQTTStatus_t {
  const buf = usable(pFixedBuffer);
  if (!pConnectInfo || !buf) return MQTTBadParameter;
  const size = packetSizeOf(remainingLength);
  if (size > buf.length) return MQTTNoMemory;
  const id = mqttBytes(pConnectInfo.pClientIdentifier, pConnectInfo.clientIdentifierLength);
  if (!id) return MQTTBadParameter;
  const param: mqtt_connect_param = {
    protocol_version: MQTT_VERSION_3_1_1,
    client_id: { utf8: id, size: pConnectInfo.clientIdentifierLength },
    keepalive: pConnectInfo.keepAliveSeconds,
    clean_session: pConnectInfo.cleanSession,
    will_retain: pWillInfo?.retain === true,
  };
  if (pWillInfo) {
    const topic = mqttBytes(pWillInfo.pTopicName, pWillInfo.topicNameLength);
    const message = mqttBytes(pWillInfo.pPayload, pWillInfo.payloadLength);
    if (!topic || !message) return MQTTBadParameter;
    param.will_topic = { topic: { utf8: topic, size: pWillInfo.topicNameLength }, qos: pWillInfo.qos };
    param.will_message = { utf8: message, size: pWillInfo.payloadLength };
  }
  if (pConnectInfo.pUserName != null) {
    const n = pConnectInfo.userNameLength ?? 0;
    const user = mqttBytes(pConnectInfo.pUserName, n);
    if (!user) return MQTTBadParameter;
    param.user_name = { utf8: user, size: n };
  }
  if (pConnectInfo.pPassword != null) {
    const n = pConnectInfo.passwordLength ?? 0;
    const password = mqttBytes(pConnectInfo.pPassword, n);
    if (!password) return MQTTBadParameter;
    param.password = { utf8: password, size: n };
  }
  return written(connect_request_encode(param, buf), size);
}

/** `MQTT_GetPublishPacketSize`: a topic name is required. */
export function MQTT_GetPublishPacketSize(
  pPublishInfo: MQTTPublishInfo_t | null,
  pRemainingLength: MQTTRef<number> | null,
  pPacketSize: MQTTRef<number> | null,
): MQTTStatus_t {
  if (!pPublishInfo || !pRemainingLength || !pPacketSize) return MQTTBadParameter;
  if (pPublishInfo.pTopicName === null || !(pPublishInfo.topicNameLength > 0)) return MQTTBadParameter;
  const id = pPublishInfo.qos > MQTTQoS0 ? 2 : 0;
  return setSizes(2 + pPublishInfo.topicNameLength + id + pPublishInfo.payloadLength, pRemainingLength, pPacketSize);
}

/** The codec's view of a publish, after coreMQTT's checks; a status when they fail. */
function publishParam(info: MQTTPublishInfo_t, packetId: number): mqtt_publish_param | MQTTStatus_t {
  if (info.qos !== MQTTQoS0 && packetId === 0) return MQTTBadParameter;
  if (info.dup === true && info.qos === MQTTQoS0) return MQTTBadParameter;
  const topic = mqttBytes(info.pTopicName, info.topicNameLength);
  const payload = mqttBytes(info.pPayload, info.payloadLength);
  if (!topic || !payload || info.topicNameLength === 0) return MQTTBadParameter;
  return {
    message: {
      topic: { topic: { utf8: topic, size: info.topicNameLength }, qos: info.qos },
      payload: { data: payload, len: info.payloadLength },
    },
    message_id: packetId,
    dup_flag: info.dup === true,
    retain_flag: info.retain === true,
  };
}

/** `MQTT_SerializePublish`: the whole PUBLISH, payload included. */
export function MQTT_SerializePublish(
  pPublishInfo: MQTTPublishInfo_t | null,
  packetId: number,
  remainingLength: number,
  pFixedBuffer: MQTTFixedBuffer_t | null,
): MQTTStatus_t {
  const buf = usable(pFixedBuffer);
  if (!pPublishInfo || !buf) return MQTTBadParameter;
  const param = publishParam(pPublishInfo, packetId);
  if (typeof param === 'number') return param;
  const size = packetSizeOf(remainingLength);
  if (size > buf.length) return MQTTNoMemory;
  const head = publish_encode(MQTT_VERSION_3_1_1, param, buf);
  if (head < 0) return fromErrno(head);
  if (head + pPublishInfo.payloadLength !== size) return MQTTBadParameter;
  buf.set(param.message.payload.data.subarray(0, pPublishInfo.payloadLength), head);
  return MQTTSuccess;
}

/**
 * `MQTT_SerializePublishHeader`: the PUBLISH up to its payload (fixed header, topic, packet
 * identifier), so that the payload can be sent from where it is; its size goes to `pHeaderSize`.
 */
export function MQTT_SerializePublishHeader(
  pPublishInfo: MQTTPublishInfo_t | null,
  packetId: number,
  remainingLength: number,
  pFixedBuffer: MQTTFixedBuffer_t | null,
  pHeaderSize: MQTTRef<number> | null,
): MQTTStatus_t {
  const buf = usable(pFixedBuffer);
  if (!pPublishInfo || !buf || !pHeaderSize) return MQTTBadParameter;
  const param = publishParam(pPublishInfo, packetId);
  if (typeof param === 'number') return param;
  const headerSize = packetSizeOf(remainingLength) - pPublishInfo.payloadLength;
  if (headerSize > buf.length) return MQTTNoMemory;
  const status = written(publish_encode(MQTT_VERSION_3_1_1, param, buf), headerSize);
  if (status === MQTTSuccess) pHeaderSize.value = headerSize;
  return status;
}

function subscriptionSize(
  list: readonly MQTTSubscribeInfo_t[] | null,
  count: number,
  perTopic: number,
  pRemainingLength: MQTTRef<number> | null,
  pPacketSize: MQTTRef<number> | null,
): MQTTStatus_t {
  if (!list || !pRemainingLength || !pPacketSize || !(count > 0) || count > list.length) return MQTTBadParameter;
  let rl = 2;
  for (let i = 0; i < count; i++) {
    const s = list[i]!;
    // An empty topic filter is a protocol violation [MQTT-4.7.3-1].
    if (s.pTopicFilter === null || !(s.topicFilterLength > 0)) return MQTTBadParameter;
    rl += 2 + s.topicFilterLength + perTopic;
  }
  return setSizes(rl, pRemainingLength, pPacketSize);
}

/** `MQTT_GetSubscribePacketSize`. */
export function MQTT_GetSubscribePacketSize(
  pSubscriptionList: readonly MQTTSubscribeInfo_t[] | null,
  subscriptionCount: number,
  pRemainingLength: MQTTRef<number> | null,
  pPacketSize: MQTTRef<number> | null,
): MQTTStatus_t {
  return subscriptionSize(pSubscriptionList, subscriptionCount, 1, pRemainingLength, pPacketSize);
}

/** `MQTT_GetUnsubscribePacketSize`. */
export function MQTT_GetUnsubscribePacketSize(
  pSubscriptionList: readonly MQTTSubscribeInfo_t[] | null,
  subscriptionCount: number,
  pRemainingLength: MQTTRef<number> | null,
  pPacketSize: MQTTRef<number> | null,
): MQTTStatus_t {
  return subscriptionSize(pSubscriptionList, subscriptionCount, 0, pRemainingLength, pPacketSize);
}

function serializeSubscription(
  subscribe: boolean,
  list: readonly MQTTSubscribeInfo_t[] | null,
  count: number,
  packetId: number,
  remainingLength: number,
  pFixedBuffer: MQTTFixedBuffer_t | null,
): MQTTStatus_t {
  const buf = usable(pFixedBuffer);
  if (!list || !buf || !(count > 0) || count > list.length || packetId === 0) return MQTTBadParameter;
  const size = packetSizeOf(remainingLength);
  if (size > buf.length) return MQTTNoMemory;
  const topics: mqtt_topic[] = [];
  for (let i = 0; i < count; i++) {
    const s = list[i]!;
    const filter = mqttBytes(s.pTopicFilter, s.topicFilterLength);
    if (!filter) return MQTTBadParameter;
    topics.push({ topic: { utf8: filter, size: s.topicFilterLength }, qos: subscribe ? s.qos : MQTTQoS0 });
  }
  const param = { list: topics, list_count: count, message_id: packetId };
  const encode = subscribe ? subscribe_encode : unsubscribe_encode;
  return written(encode(MQTT_VERSION_3_1_1, param, buf), size);
}

/** `MQTT_SerializeSubscribe`. */
export function MQTT_SerializeSubscribe(
  pSubscriptionList: readonly MQTTSubscribeInfo_t[] | null,
  subscriptionCount: number,
  packetId: number,
  remainingLength: number,
  pFixedBuffer: MQTTFixedBuffer_t | null,
): MQTTStatus_t {
  return serializeSubscription(true, pSubscriptionList, subscriptionCount, packetId, remainingLength, pFixedBuffer);
}

/** `MQTT_SerializeUnsubscribe`. */
export function MQTT_SerializeUnsubscribe(
  pSubscriptionList: readonly MQTTSubscribeInfo_t[] | null,
  subscriptionCount: number,
  packetId: number,
  remainingLength: number,
  pFixedBuffer: MQTTFixedBuffer_t | null,
): MQTTStatus_t {
  return serializeSubscription(false, pSubscriptionList, subscriptionCount, packetId, remainingLength, pFixedBuffer);
}

/** `MQTT_SerializeAck`: PUBACK, PUBREC, PUBREL or PUBCOMP (`packetType` is the whole first byte). */
export function MQTT_SerializeAck(pFixedBuffer: MQTTFixedBuffer_t | null, packetType: number, packetId: number): MQTTStatus_t {
  const buf = usable(pFixedBuffer);
  if (!buf) return MQTTBadParameter;
  if (buf.length < MQTT_PUBLISH_ACK_PACKET_SIZE) return MQTTNoMemory;
  if (packetId === 0) return MQTTBadParameter;
  const param = { message_id: packetId };
  switch (packetType) {
    case MQTT_PACKET_TYPE_PUBACK:
      return written(publish_ack_encode(MQTT_VERSION_3_1_1, param, buf), MQTT_PUBLISH_ACK_PACKET_SIZE);
    case MQTT_PACKET_TYPE_PUBREC:
      return written(publish_receive_encode(MQTT_VERSION_3_1_1, param, buf), MQTT_PUBLISH_ACK_PACKET_SIZE);
    case MQTT_PACKET_TYPE_PUBREL:
      return written(publish_release_encode(MQTT_VERSION_3_1_1, param, buf), MQTT_PUBLISH_ACK_PACKET_SIZE);
    case MQTT_PACKET_TYPE_PUBCOMP:
      return written(publish_complete_encode(MQTT_VERSION_3_1_1, param, buf), MQTT_PUBLISH_ACK_PACKET_SIZE);
    default:
      return MQTTBadParameter;
  }
}

/** `MQTT_GetDisconnectPacketSize`: always 2. */
export function MQTT_GetDisconnectPacketSize(pPacketSize: MQTTRef<number> | null): MQTTStatus_t {
  if (!pPacketSize) return MQTTBadParameter;
  pPacketSize.value = DISCONNECT_SIZE;
  return MQTTSuccess;
}

/** `MQTT_SerializeDisconnect`. */
export function MQTT_SerializeDisconnect(pFixedBuffer: MQTTFixedBuffer_t | null): MQTTStatus_t {
  const buf = usable(pFixedBuffer);
  if (!buf) return MQTTBadParameter;
  if (buf.length < DISCONNECT_SIZE) return MQTTNoMemory;
  return written(disconnect_encode(MQTT_VERSION_3_1_1, undefined, buf), DISCONNECT_SIZE);
}

/** `MQTT_GetPingreqPacketSize`: always 2. */
export function MQTT_GetPingreqPacketSize(pPacketSize: MQTTRef<number> | null): MQTTStatus_t {
  if (!pPacketSize) return MQTTBadParameter;
  pPacketSize.value = PINGREQ_SIZE;
  return MQTTSuccess;
}

/** `MQTT_SerializePingreq`. */
export function MQTT_SerializePingreq(pFixedBuffer: MQTTFixedBuffer_t | null): MQTTStatus_t {
  const buf = usable(pFixedBuffer);
  if (!buf) return MQTTBadParameter;
  if (buf.length < PINGREQ_SIZE) return MQTTNoMemory;
  return written(ping_request_encode(buf), PINGREQ_SIZE);
}
