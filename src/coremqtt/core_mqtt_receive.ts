/**
 * The receive side of coreMQTT's managed API (`core_mqtt.c`): one iteration of
 * `MQTT_ProcessLoop`/`MQTT_ReceiveLoop`, the handling of each incoming packet with its state
 * update, the callback and the automatic acks (PUBACK, PUBREC, PUBREL, PUBCOMP), keep-alive, and
 * what `MQTT_Connect` does once CONNECT is out (the CONNACK, then the session's PUBRELs).
 *
 * An iteration is what the seed describes: try to read the start of one packet; if nothing came,
 * check keep-alive (process loop only); otherwise read the whole packet into the network buffer,
 * update the state records, call the application, and send the ack the state calls for.
 */
import { MQTT_MAX_CONNACK_RECEIVE_RETRY_COUNT, MQTT_PINGRESP_TIMEOUT_MS, LogError, LogInfo } from './core_mqtt_config_defaults.ts';
import type { MQTTContext_t, MQTTDeserializedInfo_t } from './core_mqtt_context.ts';
import { calculateElapsedTime, idleIfTimeStood, receivePacket, sendBuffer } from './core_mqtt_io.ts';
import {
  MQTT_DeserializeAck,
  MQTT_DeserializePublish,
  MQTT_GetPingreqPacketSize,
  MQTT_SerializeAck,
  MQTT_SerializePingreq,
  readIncomingPacketTypeAndLength,
} from './core_mqtt_serializer.ts';
import {
  MQTTBadParameter,
  MQTTBadResponse,
  MQTTKeepAliveTimeout,
  MQTTNoDataAvailable,
  MQTTQoS0,
  MQTTRecvFailed,
  MQTTSendFailed,
  MQTTServerRefused,
  MQTTStateCollision,
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
  MQTT_PUBLISH_ACK_PACKET_SIZE,
  type MQTTPacketInfo_t,
  type MQTTPublishInfo_t,
  type MQTTRef,
  type MQTTStatus_t,
} from './core_mqtt_serializer_types.ts';
import {
  MQTTPubAckSend,
  MQTTPubCompSend,
  MQTTPubRecSend,
  MQTTPubRelSend,
  MQTTPuback,
  MQTTPubcomp,
  MQTTPubrec,
  MQTTPubrel,
  MQTTStateNull,
  MQTT_CalculateStatePublish,
  MQTT_RECEIVE,
  MQTT_SEND,
  MQTT_PubrelToResend,
  MQTT_STATE_CURSOR_INITIALIZER,
  MQTT_State_strerror,
  MQTT_UpdateStateAck,
  MQTT_UpdateStatePublish,
  type MQTTPubAckInfo_t,
  type MQTTPubAckType_t,
  type MQTTPublishState_t,
} from './core_mqtt_state.ts';

/** The ack a record's state asks for (PUBACK, PUBREC, PUBREL, PUBCOMP), or 0 for none. */
function getAckTypeToSend(state: MQTTPublishState_t): number {
  switch (state) {
    case MQTTPubAckSend:
      return MQTT_PACKET_TYPE_PUBACK;
    case MQTTPubRecSend:
      return MQTT_PACKET_TYPE_PUBREC;
    case MQTTPubRelSend:
      return MQTT_PACKET_TYPE_PUBREL;
    case MQTTPubCompSend:
      return MQTT_PACKET_TYPE_PUBCOMP;
    default:
      return 0;
  }
}

function getAckFromPacketType(type: number): MQTTPubAckType_t {
  switch (type) {
    case MQTT_PACKET_TYPE_PUBACK:
      return MQTTPuback;
    case MQTT_PACKET_TYPE_PUBREC:
      return MQTTPubrec;
    case MQTT_PACKET_TYPE_PUBREL:
      return MQTTPubrel;
    default:
      return MQTTPubcomp;
  }
}

/** `sendPublishAcks`: sends the ack `state` calls for and records that it was sent. */
export async function sendPublishAcks(ctx: MQTTContext_t, packetId: number, state: MQTTPublishState_t): Promise<MQTTStatus_t> {
  const type = getAckTypeToSend(state);
  if (type === 0) return MQTTSuccess;
  const ack = ctx.scratch.ack;
  let status = MQTT_SerializeAck(ack, type, packetId);
  if (status !== MQTTSuccess) return status;
  if ((await sendBuffer(ctx, ack.pBuffer, MQTT_PUBLISH_ACK_PACKET_SIZE)) !== MQTT_PUBLISH_ACK_PACKET_SIZE) {
    LogError('Failed to send ACK packet: PacketType=%02x, PacketSize=%d.', type, MQTT_PUBLISH_ACK_PACKET_SIZE);
    return MQTTSendFailed;
  }
  ctx.controlPacketSent = true;
  const next: MQTTRef<MQTTPublishState_t> = { value: MQTTStateNull };
  status = MQTT_UpdateStateAck(ctx, packetId, getAckFromPacketType(type), MQTT_SEND, next);
  if (status !== MQTTSuccess) LogError('Failed to update state of publish %d.', packetId);
  return status;
}

/**
 * `handleKeepAlive`: `MQTTKeepAliveTimeout` when a PINGREQ went unanswered for
 * `MQTT_PINGRESP_TIMEOUT_MS`, else a PINGREQ when nothing was sent for the keep-alive interval.
 */
async function handleKeepAlive(ctx: MQTTContext_t): Promise<MQTTStatus_t> {
  const now = ctx.getTime!();
  if (ctx.waitingForPingResp) {
    return calculateElapsedTime(now, ctx.pingReqSendTimeMs) > MQTT_PINGRESP_TIMEOUT_MS() ? MQTTKeepAliveTimeout : MQTTSuccess;
  }
  const keepAliveMs = 1000 * ctx.keepAliveIntervalSec;
  // A zero keep-alive interval turns the mechanism off (MQTT 3.1.1 section 3.1.2.10).
  if (keepAliveMs !== 0 && calculateElapsedTime(now, ctx.lastPacketTxTime) >= keepAliveMs) return sendPing(ctx);
  return MQTTSuccess;
}

/** `MQTT_Ping`'s body, shared with keep-alive: sends PINGREQ; the process loop watches for the PINGRESP. */
export async function sendPing(ctx: MQTTContext_t): Promise<MQTTStatus_t> {
  const control = ctx.scratch.control;
  const size = { value: 0 };
  const status = MQTT_GetPingreqPacketSize(size);
  if (status !== MQTTSuccess || MQTT_SerializePingreq(control) !== MQTTSuccess) return MQTTBadParameter;
  if ((await sendBuffer(ctx, control.pBuffer, size.value)) < size.value) {
    LogError('Transport send failed for PINGREQ packet.');
    return MQTTSendFailed;
  }
  ctx.pingReqSendTimeMs = ctx.lastPacketTxTime;
  ctx.waitingForPingResp = true;
  return MQTTSuccess;
}

function info(packetIdentifier: number, deserializationResult: MQTTStatus_t, pPublishInfo: MQTTPublishInfo_t | null): MQTTDeserializedInfo_t {
  return { packetIdentifier, deserializationResult, pPublishInfo };
}

/** `handleIncomingPublish`: records a QoS 1/2 publish, hands it over, sends PUBACK or PUBREC. */
async function handleIncomingPublish(ctx: MQTTContext_t, packet: MQTTPacketInfo_t): Promise<MQTTStatus_t> {
  const publish = ctx.scratch.publish;
  const id: MQTTRef<number> = { value: 0 };
  let status = MQTT_DeserializePublish(packet, id, publish);
  LogInfo('De-serialized incoming PUBLISH packet: DeserializerResult=%s.', statusName(status));
  if (status === MQTTSuccess && ctx.incomingPublishRecords === null && publish.qos > MQTTQoS0) {
    LogError('Incoming publish has QoS > MQTTQoS0 but incoming publish records have not been initialized. Dropping the incoming publish. Please call MQTT_InitStatefulQoS to enable use of QoS1 and QoS2 publishes.');
    return MQTTRecvFailed;
  }
  if (status !== MQTTSuccess) return status;
  const state: MQTTRef<MQTTPublishState_t> = { value: MQTTStateNull };
  status = MQTT_UpdateStatePublish(ctx, id.value, MQTT_RECEIVE, publish.qos, state);
  let duplicate = false;
  if (status === MQTTStateCollision) {
    // The broker resent a publish it has not seen acknowledged: ack it again, do not deliver twice.
    status = MQTTSuccess;
    duplicate = true;
    state.value = MQTT_CalculateStatePublish(MQTT_RECEIVE, publish.qos);
    if (!publish.dup) LogError('DUP flag is 0 for duplicate packet (MQTT-3.3.1.-1).');
  } else if (status === MQTTSuccess) {
    LogInfo('State record updated. New state=%s.', MQTT_State_strerror(state.value));
  } else {
    LogError('Error in updating publish state for incoming publish with packet id %d. Error is %s', id.value, statusName(status));
    return status;
  }
  const idForAck = publish.qos > MQTTQoS0 ? id.value : 0;
  if (!duplicate) ctx.appCallback!(ctx, packet, info(idForAck, status, publish));
  return sendPublishAcks(ctx, idForAck, state.value);
}

/** `handlePublishAcks`: PUBACK, PUBREC, PUBREL, PUBCOMP: state, callback, then PUBREL or PUBCOMP. */
async function handlePublishAcks(ctx: MQTTContext_t, packet: MQTTPacketInfo_t): Promise<MQTTStatus_t> {
  const id: MQTTRef<number> = { value: 0 };
  let status = MQTT_DeserializeAck(packet, id, null);
  LogInfo('Ack packet deserialized with result: %s.', statusName(status));
  if (status !== MQTTSuccess) return status;
  const state: MQTTRef<MQTTPublishState_t> = { value: MQTTStateNull };
  status = MQTT_UpdateStateAck(ctx, id.value, getAckFromPacketType(packet.type), MQTT_RECEIVE, state);
  if (status !== MQTTSuccess) {
    LogError('Updating the state engine for packet id %d failed with error %s.', id.value, statusName(status));
    return status;
  }
  LogInfo('State record updated. New state=%s.', MQTT_State_strerror(state.value));
  ctx.appCallback!(ctx, packet, info(id.value, status, null));
  return sendPublishAcks(ctx, id.value, state.value);
}

/** `handleIncomingAck`: every packet but PUBLISH. A PINGRESP goes to the callback only when the loop does not manage keep-alive. */
async function handleIncomingAck(ctx: MQTTContext_t, packet: MQTTPacketInfo_t, manageKeepAlive: boolean): Promise<MQTTStatus_t> {
  const id: MQTTRef<number> = { value: 0 };
  let status: MQTTStatus_t;
  let invoke = false;
  switch (packet.type) {
    case MQTT_PACKET_TYPE_PUBACK:
    case MQTT_PACKET_TYPE_PUBREC:
    case MQTT_PACKET_TYPE_PUBREL:
    case MQTT_PACKET_TYPE_PUBCOMP:
      return handlePublishAcks(ctx, packet);
    case MQTT_PACKET_TYPE_PINGRESP:
      status = MQTT_DeserializeAck(packet, id, null);
      invoke = status === MQTTSuccess && !manageKeepAlive;
      if (status === MQTTSuccess && manageKeepAlive) ctx.waitingForPingResp = false;
      break;
    case MQTT_PACKET_TYPE_SUBACK:
    case MQTT_PACKET_TYPE_UNSUBACK:
      status = MQTT_DeserializeAck(packet, id, null);
      invoke = status === MQTTSuccess || status === MQTTServerRefused;
      break;
    default:
      LogError('Unexpected packet type from server: PacketType=%02x.', packet.type);
      status = MQTTBadResponse;
  }
  if (!invoke) return status;
  ctx.appCallback!(ctx, packet, info(id.value, status, null));
  // A refused subscription is the application's business: the loop goes on.
  return MQTTSuccess;
}

/**
 * `receiveSingleIteration`: at most one packet. Nothing to read is `MQTTSuccess` (after the
 * keep-alive check when `manageKeepAlive`); so is a packet too large for the network buffer,
 * which is dropped.
 */
export async function receiveSingleIteration(ctx: MQTTContext_t, remainingTimeMs: number, manageKeepAlive: boolean): Promise<MQTTStatus_t> {
  const t = ctx.transportInterface!;
  const packet = ctx.scratch.packet;
  packet.pRemainingData = null;
  let status = await readIncomingPacketTypeAndLength(
    (nc, buf, n) => t.recv(nc, buf, n), t.pNetworkContext, packet, ctx.scratch.header, ctx.scratch.oneByte,
  );
  if (status === MQTTNoDataAvailable) return manageKeepAlive ? handleKeepAlive(ctx) : MQTTSuccess;
  if (status !== MQTTSuccess) {
    LogError('Receiving incoming packet length failed. Status=%s', statusName(status));
    return status;
  }
  status = await receivePacket(ctx, packet, remainingTimeMs);
  if (status === MQTTNoDataAvailable) return MQTTSuccess;
  if (status !== MQTTSuccess) return status;
  packet.pRemainingData = ctx.networkBuffer.pBuffer;
  status = (packet.type & 0xf0) === MQTT_PACKET_TYPE_PUBLISH
    ? await handleIncomingPublish(ctx, packet)
    : await handleIncomingAck(ctx, packet, manageKeepAlive);
  if (status === MQTTSuccess) ctx.lastPacketRxTime = ctx.getTime!();
  return status;
}

/** `receiveConnack`: waits `timeoutMs` (or retries, for 0) for the CONNACK, then decodes it. */
export async function receiveConnack(ctx: MQTTContext_t, timeoutMs: number, cleanSession: boolean, pSessionPresent: MQTTRef<boolean>): Promise<MQTTStatus_t> {
  const t = ctx.transportInterface!;
  const now = ctx.getTime!;
  const packet = ctx.scratch.packet;
  const entry = now();
  let status: MQTTStatus_t;
  for (let attempt = 0; ; attempt++) {
    const before = now();
    status = await readIncomingPacketTypeAndLength((nc, b, n) => t.recv(nc, b, n), t.pNetworkContext, packet, ctx.scratch.header, ctx.scratch.oneByte);
    if (status !== MQTTNoDataAvailable) break;
    if (timeoutMs > 0 ? calculateElapsedTime(now(), entry) >= timeoutMs : attempt >= MQTT_MAX_CONNACK_RECEIVE_RETRY_COUNT()) break;
    await idleIfTimeStood(ctx, before);
  }
  if (status === MQTTSuccess) {
    if (packet.type !== MQTT_PACKET_TYPE_CONNACK) {
      LogError('Incorrect packet type %X received while expecting CONNACK(%X).', packet.type, MQTT_PACKET_TYPE_CONNACK);
      status = MQTTBadResponse;
    } else {
      // Read the rest even if the time is up: the type and length came, the 2 bytes follow them.
      const taken = calculateElapsedTime(now(), entry);
      status = await receivePacket(ctx, packet, taken < timeoutMs ? timeoutMs - taken : 0);
    }
  }
  if (status === MQTTSuccess) {
    packet.pRemainingData = ctx.networkBuffer.pBuffer;
    status = MQTT_DeserializeAck(packet, null, pSessionPresent);
  }
  if (status === MQTTSuccess && cleanSession && pSessionPresent.value) {
    LogError('Unexpected session present flag in CONNACK response from broker. CONNECT request with clean session was made with broker.');
    status = MQTTBadResponse;
  }
  if (status !== MQTTSuccess) LogError('CONNACK recv failed with status = %s.', statusName(status));
  return status;
}

function clearRecords(records: MQTTPubAckInfo_t[] | null, count: number): void {
  for (let i = 0; records && i < count; i++) {
    const r = records[i]!;
    r.packetId = 0;
    r.qos = MQTTQoS0;
    r.publishState = MQTTStateNull;
  }
}

/**
 * `handleSessionResumption`: with a session present, resends the PUBRELs of outgoing QoS 2
 * publishes whose PUBREC came (the publishes themselves are the application's to resend, found
 * with `MQTT_PublishToResend`); without one, forgets every record.
 */
export async function handleSessionResumption(ctx: MQTTContext_t, sessionPresent: boolean): Promise<MQTTStatus_t> {
  if (!sessionPresent) {
    clearRecords(ctx.outgoingPublishRecords, ctx.outgoingPublishRecordMaxCount);
    clearRecords(ctx.incomingPublishRecords, ctx.incomingPublishRecordMaxCount);
    return MQTTSuccess;
  }
  const cursor = { value: MQTT_STATE_CURSOR_INITIALIZER };
  const state: MQTTRef<MQTTPublishState_t> = { value: MQTTStateNull };
  let status: MQTTStatus_t = MQTTSuccess;
  for (let id = MQTT_PubrelToResend(ctx, cursor, state); id !== 0 && status === MQTTSuccess; id = MQTT_PubrelToResend(ctx, cursor, state)) {
    LogInfo('Resending PUBREL for packet id %d.', id);
    status = await sendPublishAcks(ctx, id, MQTTPubRelSend);
  }
  return status;
}

const STATUS_NAMES = [
  'MQTTSuccess', 'MQTTBadParameter', 'MQTTNoMemory', 'MQTTSendFailed', 'MQTTRecvFailed', 'MQTTBadResponse',
  'MQTTServerRefused', 'MQTTNoDataAvailable', 'MQTTIllegalState', 'MQTTStateCollision', 'MQTTKeepAliveTimeout',
  'MQTTNeedMoreBytes',
];

/** `MQTT_Status_strerror`. */
export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? 'Invalid MQTT Status code';
}
