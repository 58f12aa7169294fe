/**
 * The deserializing half of coreMQTT's `core_mqtt_serializer.h`: framing an incoming packet
 * (`MQTT_GetIncomingPacketTypeAndLength`, `MQTT_ProcessIncomingPacketTypeAndLength`) and decoding
 * PUBLISH and the acknowledgments (`MQTT_DeserializePublish`, `MQTT_DeserializeAck`).
 *
 * Decoding is zsim's MQTT codec (`src/net/mqtt`); the checks coreMQTT makes on top of it (the
 * incoming types a client accepts, the Remaining Length of each ack, CONNACK return codes, SUBACK
 * refusals) are here, with coreMQTT's results: a malformed packet is `MQTTBadResponse`, a refusal
 * `MQTTServerRefused`. The codec is stricter than coreMQTT in a few places the spec backs (a
 * PUBLISH topic with wildcards or invalid UTF-8 is `MQTTBadResponse` here, accepted there).
 */

import { EAGAIN } from '../libc/errno.ts';
import {
  MQTT_VERSION_3_1_1,
  connect_ack_decode,
  fixed_header_decode,
  publish_ack_decode,
  publish_decode,
  subscribe_ack_decode,
  type buf_ctx,
  type mqtt_fixed_header,
} from '../net/mqtt/index.ts';
import {
  MQTTBadParameter,
  MQTTBadResponse,
  MQTTNeedMoreBytes,
  MQTTNoDataAvailable,
  MQTTQoS0,
  MQTTRecvFailed,
  MQTTServerRefused,
  MQTTSuccess,
  MQTT_PACKET_TYPE_CONNACK,
  MQTT_PACKET_TYPE_PINGRESP,
  MQTT_PACKET_TYPE_PUBACK,
  MQTT_PACKET_TYPE_PUBCOMP,
  MQTT_PACKET_TYPE_PUBLISH,
  MQTT_PACKET_TYPE_PUBREC,
  MQTT_PACKET_TYPE_PUBREL,
  MQTT_PACKET_TYPE_SUBACK,
  MQTT_PACKET_TYPE_UNSUBACK,
  remainingLengthEncodedSize,
  type MQTTPacketInfo_t,
  type MQTTPublishInfo_t,
  type MQTTRef,
  type MQTTStatus_t,
} from './core_mqtt_serializer_types.ts';
import type { NetworkContext_t, TransportRecv_t } from './transport_interface.ts';

/** Largest CONNACK return code 3.1.1 defines (5: not authorized). */
const CONNACK_MAX_RETURN_CODE = 5;
const SUBACK_FAILURE = 0x80;

/** coreMQTT's `incomingPacketValid`: the packet types a client may receive. */
function incomingPacketValid(type: number): boolean {
  switch (type & 0xf0) {
    case MQTT_PACKET_TYPE_CONNACK:
    case MQTT_PACKET_TYPE_PUBLISH:
    case MQTT_PACKET_TYPE_PUBACK:
    case MQTT_PACKET_TYPE_PUBREC:
    case MQTT_PACKET_TYPE_PUBCOMP:
    case MQTT_PACKET_TYPE_SUBACK:
    case MQTT_PACKET_TYPE_UNSUBACK:
    case MQTT_PACKET_TYPE_PINGRESP:
      return true;
    case MQTT_PACKET_TYPE_PUBREL & 0xf0:
      // The fixed flags of PUBREL are 0b0010 [MQTT-3.6.1-1].
      return (type & 0x02) !== 0;
    default:
      return false;
  }
}

/**
 * Decodes the fixed header in `header[0, used)` into `packet`: `MQTTNeedMoreBytes` while the
 * Remaining Length is incomplete, `MQTTBadResponse` for an invalid type, a length longer than
 * four bytes, or one not in its shortest form (coreMQTT accepts only those).
 */
function decodeHeader(header: Uint8Array, used: number, packet: MQTTPacketInfo_t): MQTTStatus_t {
  if (!incomingPacketValid(header[0]!)) return MQTTBadResponse;
  const hdr: mqtt_fixed_header = { type_and_flags: 0, length: 0 };
  const ctx: buf_ctx = { buf: header, cur: 0, end: used };
  const r = fixed_header_decode(ctx, hdr);
  if (r === -EAGAIN) return MQTTNeedMoreBytes;
  if (r < 0 || ctx.cur - 1 !== remainingLengthEncodedSize(hdr.length)) return MQTTBadResponse;
  packet.type = hdr.type_and_flags;
  packet.remainingLength = hdr.length;
  packet.headerLength = ctx.cur;
  return MQTTSuccess;
}

/**
 * @internal `MQTT_GetIncomingPacketTypeAndLength` with the caller's scratch: `header` (5 bytes)
 * collects the fixed header and `oneByte` (1 byte) receives each read, so the managed API reads
 * packets without allocating.
 */
export async function readIncomingPacketTypeAndLength<N extends NetworkContext_t>(
  readFunc: TransportRecv_t<N>,
  pNetworkContext: N,
  pIncomingPacket: MQTTPacketInfo_t,
  header: Uint8Array,
  oneByte: Uint8Array,
): Promise<MQTTStatus_t> {
  let n = await readFunc(pNetworkContext, oneByte, 1);
  if (n === 0) return MQTTNoDataAvailable;
  if (n !== 1) return MQTTRecvFailed;
  header[0] = oneByte[0]!;
  if (!incomingPacketValid(header[0])) return MQTTBadResponse;
  for (let used = 1; ; used++) {
    const status = decodeHeader(header, used, pIncomingPacket);
    if (status !== MQTTNeedMoreBytes || used === header.length) return status === MQTTNeedMoreBytes ? MQTTBadResponse : status;
    // As in coreMQTT, a Remaining Length byte that does not come at once makes the packet invalid.
    n = await readFunc(pNetworkContext, oneByte, 1);
    if (n !== 1) return MQTTBadResponse;
    header[used] = oneByte[0]!;
  }
}

/**
 * `MQTT_GetIncomingPacketTypeAndLength`: reads the type byte and the Remaining Length from the
 * transport, one byte at a time. `MQTTNoDataAvailable` when the first read gets nothing,
 * `MQTTRecvFailed` when it fails, `MQTTBadResponse` for an invalid type or length.
 */
export function MQTT_GetIncomingPacketTypeAndLength<N extends NetworkContext_t>(
  readFunc: TransportRecv_t<N> | null,
  pNetworkContext: N,
  pIncomingPacket: MQTTPacketInfo_t | null,
): Promise<MQTTStatus_t> {
  if (!readFunc || !pIncomingPacket) return Promise.resolve(MQTTBadParameter);
  return readIncomingPacketTypeAndLength(readFunc, pNetworkContext, pIncomingPacket, new Uint8Array(5), new Uint8Array(1));
}

/**
 * `MQTT_ProcessIncomingPacketTypeAndLength`: the same from the first `pIndex.value` bytes of a
 * buffer. `MQTTNoDataAvailable` for an empty buffer, `MQTTNeedMoreBytes` while the fixed header
 * is incomplete.
 */
export function MQTT_ProcessIncomingPacketTypeAndLength(
  pBuffer: Uint8Array | null,
  pIndex: MQTTRef<number> | null,
  pIncomingPacket: MQTTPacketInfo_t | null,
): MQTTStatus_t {
  if (!pBuffer || !pIndex || !pIncomingPacket || pIndex.value > pBuffer.length) return MQTTBadParameter;
  if (pIndex.value === 0) return MQTTNoDataAvailable;
  const status = decodeHeader(pBuffer, Math.min(pIndex.value, 5), pIncomingPacket);
  if (status === MQTTNeedMoreBytes && pIndex.value >= 5) return MQTTBadResponse;
  return status;
}

/** The packet's variable header and payload as a codec cursor, or null when it is not all there. */
function bodyOf(packet: MQTTPacketInfo_t): buf_ctx | null {
  const data = packet.pRemainingData;
  if (!data || !(packet.remainingLength >= 0) || packet.remainingLength > data.length) return null;
  return { buf: data, cur: 0, end: packet.remainingLength };
}

/**
 * `MQTT_DeserializePublish`: fills `pPublishInfo` (topic and payload are views into
 * `pRemainingData`) and, for QoS 1 and 2, `pPacketId`.
 */
export function MQTT_DeserializePublish(
  pIncomingPacket: MQTTPacketInfo_t | null,
  pPacketId: MQTTRef<number> | null,
  pPublishInfo: MQTTPublishInfo_t | null,
): MQTTStatus_t {
  if (!pIncomingPacket || !pPacketId || !pPublishInfo) return MQTTBadParameter;
  if ((pIncomingPacket.type & 0xf0) !== MQTT_PACKET_TYPE_PUBLISH) return MQTTBadParameter;
  const ctx = bodyOf(pIncomingPacket);
  if (!ctx) return MQTTBadParameter;
  const p = publish_decode(MQTT_VERSION_3_1_1, pIncomingPacket.type, pIncomingPacket.remainingLength, ctx);
  if (typeof p === 'number') return MQTTBadResponse;
  const topic = p.message.topic;
  pPublishInfo.qos = topic.qos;
  pPublishInfo.retain = p.retain_flag;
  pPublishInfo.dup = p.dup_flag;
  pPublishInfo.pTopicName = topic.topic.utf8;
  pPublishInfo.topicNameLength = topic.topic.size;
  pPublishInfo.payloadLength = p.message.payload.len;
  pPublishInfo.pPayload = p.message.payload.len > 0 ? p.message.payload.data : null;
  if (topic.qos > MQTTQoS0) pPacketId.value = p.message_id;
  return MQTTSuccess;
}

/** CONNACK: session present flag, then the return code (nonzero: refused). */
function deserializeConnack(ctx: buf_ctx, length: number, pSessionPresent: MQTTRef<boolean>): MQTTStatus_t {
  if (length !== 2) return MQTTBadResponse;
  const c = connect_ack_decode(MQTT_VERSION_3_1_1, ctx);
  if (typeof c === 'number') return MQTTBadResponse;
  pSessionPresent.value = c.session_present_flag;
  // A broker that refuses must not claim a session [MQTT-3.2.2-4].
  if (c.session_present_flag && c.return_code !== 0) return MQTTBadResponse;
  if (c.return_code > CONNACK_MAX_RETURN_CODE) return MQTTBadResponse;
  return c.return_code === 0 ? MQTTSuccess : MQTTServerRefused;
}

/** SUBACK: the packet identifier, then one code per filter; any 0x80 means refused. */
function deserializeSuback(ctx: buf_ctx, length: number, pPacketId: MQTTRef<number>): MQTTStatus_t {
  if (length < 3) return MQTTBadResponse;
  const s = subscribe_ack_decode(MQTT_VERSION_3_1_1, ctx);
  if (typeof s === 'number') return MQTTBadResponse;
  pPacketId.value = s.message_id;
  for (let i = 0; i < s.return_codes.len; i++) {
    if (s.return_codes.data[i] === SUBACK_FAILURE) return MQTTServerRefused;
  }
  return MQTTSuccess;
}

/** PUBACK, PUBREC, PUBREL, PUBCOMP and UNSUBACK: just a non-zero packet identifier. */
function deserializeSimpleAck(ctx: buf_ctx, length: number, pPacketId: MQTTRef<number>): MQTTStatus_t {
  if (length !== 2) return MQTTBadResponse;
  const a = publish_ack_decode(MQTT_VERSION_3_1_1, ctx);
  if (typeof a === 'number') return MQTTBadResponse;
  pPacketId.value = a.message_id;
  return MQTTSuccess;
}

/**
 * `MQTT_DeserializeAck`: CONNACK (fills `pSessionPresent`), SUBACK, UNSUBACK, PUBACK, PUBREC,
 * PUBREL, PUBCOMP (fill `pPacketId`) or PINGRESP. `pPacketId` may be null only for CONNACK and
 * PINGRESP, `pSessionPresent` for every type but CONNACK.
 */
export function MQTT_DeserializeAck(
  pIncomingPacket: MQTTPacketInfo_t | null,
  pPacketId: MQTTRef<number> | null,
  pSessionPresent: MQTTRef<boolean> | null,
): MQTTStatus_t {
  if (!pIncomingPacket) return MQTTBadParameter;
  const type = pIncomingPacket.type;
  const length = pIncomingPacket.remainingLength;
  if (type === MQTT_PACKET_TYPE_PINGRESP) return length === 0 ? MQTTSuccess : MQTTBadResponse;
  if (type === MQTT_PACKET_TYPE_CONNACK ? !pSessionPresent : !pPacketId) return MQTTBadParameter;
  const ctx = bodyOf(pIncomingPacket);
  if (!ctx) return MQTTBadParameter;
  switch (type) {
    case MQTT_PACKET_TYPE_CONNACK:
      return deserializeConnack(ctx, length, pSessionPresent!);
    case MQTT_PACKET_TYPE_SUBACK:
      return deserializeSuback(ctx, length, pPacketId!);
    case MQTT_PACKET_TYPE_UNSUBACK:
    case MQTT_PACKET_TYPE_PUBACK:
    case MQTT_PACKET_TYPE_PUBREC:
    case MQTT_PACKET_TYPE_PUBREL:
    case MQTT_PACKET_TYPE_PUBCOMP:
      return deserializeSimpleAck(ctx, length, pPacketId!);
    default:
      return MQTTBadResponse;
  }
}
