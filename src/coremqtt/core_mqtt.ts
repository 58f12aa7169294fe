/**
 * coreMQTT's managed API (`core_mqtt.h`): an MQTT 3.1.1 connection over an application-supplied
 * transport, in the caller's buffers. Thin over the serializer (`core_mqtt_serializer.ts`) and
 * the state records (`core_mqtt_state.ts`); the transport loops are in `core_mqtt_io.ts` and
 * packet reception in `core_mqtt_receive.ts`.
 *
 * Calls that wait for the network are async, as everywhere in zsim: `MQTT_Connect`,
 * `MQTT_Publish`, `MQTT_Subscribe`, `MQTT_Unsubscribe`, `MQTT_Ping`, `MQTT_Disconnect`,
 * `MQTT_ProcessLoop`, `MQTT_ReceiveLoop`. The rest is synchronous. Publish, subscribe and
 * unsubscribe only send: their acks arrive through a later `MQTT_ProcessLoop`/`MQTT_ReceiveLoop`,
 * as the seed says; `MQTT_Connect` alone waits for its CONNACK.
 */
import { MQTT_STATE_ARRAY_MAX_COUNT, LogDebug, LogError, LogInfo } from './core_mqtt_config_defaults.ts';
import {
  MQTTConnected,
  MQTTContext_t,
  MQTTNotConnected,
  type MQTTEventCallback_t,
  type MQTTGetCurrentTimeFunc_t,
} from './core_mqtt_context.ts';
import { calculateElapsedTime, idleIfTimeStood, sendBuffer, sendMessageVector } from './core_mqtt_io.ts';
import { handleSessionResumption, receiveConnack, receiveSingleIteration, sendPing, statusName } from './core_mqtt_receive.ts';
import {
  MQTT_GetConnectPacketSize,
  MQTT_GetDisconnectPacketSize,
  MQTT_GetPublishPacketSize,
  MQTT_GetSubscribePacketSize,
  MQTT_GetUnsubscribePacketSize,
  MQTT_SerializeConnect,
  MQTT_SerializeDisconnect,
  MQTT_SerializePublishHeader,
  MQTT_SerializeSubscribe,
  MQTT_SerializeUnsubscribe,
} from './core_mqtt_serializer.ts';
import {
  MQTTBadParameter,
  MQTTQoS0,
  MQTTSendFailed,
  MQTTStateCollision,
  MQTTSuccess,
  MQTT_PACKET_TYPE_SUBACK,
  mqttBytes,
  type MQTTConnectInfo_t,
  type MQTTFixedBuffer_t,
  type MQTTPacketInfo_t,
  type MQTTPublishInfo_t,
  type MQTTRef,
  type MQTTStatus_t,
  type MQTTSubscribeInfo_t,
} from './core_mqtt_serializer_types.ts';
import {
  MQTTStateNull,
  MQTT_RemoveStateRecord,
  MQTT_ReserveState,
  MQTT_SEND,
  MQTT_UpdateStatePublish,
  type MQTTPubAckInfo_t,
} from './core_mqtt_state.ts';
import type { NetworkContext_t, TransportInterface_t } from './transport_interface.ts';

/** Whether `MQTT_Init` has set the context up (C would crash on a context it did not). */
function initialized(ctx: MQTTContext_t | null): ctx is MQTTContext_t {
  return ctx instanceof MQTTContext_t && ctx.transportInterface !== null && ctx.getTime !== null && ctx.appCallback !== null;
}

/**
 * `MQTT_Init`: binds a context to its transport, time function, callback and network buffer.
 * `MQTTBadParameter` if one is missing or the buffer is not a `Uint8Array` of at least `size`.
 */
export function MQTT_Init<N extends NetworkContext_t>(
  pContext: MQTTContext_t | null,
  pTransportInterface: TransportInterface_t<N> | null,
  getTimeFunction: MQTTGetCurrentTimeFunc_t | null,
  userCallback: MQTTEventCallback_t | null,
  pNetworkBuffer: MQTTFixedBuffer_t | null,
): MQTTStatus_t {
  if (!pContext || !pTransportInterface || !pNetworkBuffer || !getTimeFunction || !userCallback) return MQTTBadParameter;
  if (typeof pTransportInterface.recv !== 'function' || typeof pTransportInterface.send !== 'function') return MQTTBadParameter;
  const buf = pNetworkBuffer.pBuffer;
  if (!(buf instanceof Uint8Array) || !Number.isInteger(pNetworkBuffer.size) || pNetworkBuffer.size < 0 || pNetworkBuffer.size > buf.length) return MQTTBadParameter;
  // C zeroes the whole context here; the scratch buffers are kept, they hold nothing between calls.
  pContext.outgoingPublishRecords = null;
  pContext.incomingPublishRecords = null;
  pContext.outgoingPublishRecordMaxCount = 0;
  pContext.incomingPublishRecordMaxCount = 0;
  pContext.connectStatus = MQTTNotConnected;
  pContext.lastPacketTxTime = 0;
  pContext.lastPacketRxTime = 0;
  pContext.controlPacketSent = false;
  pContext.keepAliveIntervalSec = 0;
  pContext.pingReqSendTimeMs = 0;
  pContext.waitingForPingResp = false;
  // C copies both structs into the context; the buffer memory itself stays the caller's.
  pContext.transportInterface = {
    pNetworkContext: pTransportInterface.pNetworkContext,
    recv: pTransportInterface.recv,
    send: pTransportInterface.send,
    writev: pTransportInterface.writev,
  };
  pContext.networkBuffer = { pBuffer: buf, size: pNetworkBuffer.size };
  pContext.getTime = getTimeFunction;
  pContext.appCallback = userCallback;
  // Zero is not a packet identifier: start at 1.
  pContext.nextPacketId = 1;
  return MQTTSuccess;
}

/**
 * `MQTT_InitStatefulQoS`: hands the context the application's record arrays, which QoS 1 and 2
 * need. A count without its array (or the reverse) is `MQTTBadParameter`, and so, in zsim, is a
 * count above `MQTT_STATE_ARRAY_MAX_COUNT` (`CONFIG_COREMQTT_STATE_ARRAY_MAX_COUNT`) or an array
 * shorter than its count.
 */
export function MQTT_InitStatefulQoS(
  pContext: MQTTContext_t | null,
  pOutgoingPublishRecords: MQTTPubAckInfo_t[] | null,
  outgoingPublishCount: number,
  pIncomingPublishRecords: MQTTPubAckInfo_t[] | null,
  incomingPublishCount: number,
): MQTTStatus_t {
  if (!pContext || pContext.appCallback === null) return MQTTBadParameter;
  const max = MQTT_STATE_ARRAY_MAX_COUNT();
  const check = (records: MQTTPubAckInfo_t[] | null, count: number): boolean =>
    Number.isInteger(count) && count >= 0 && (count === 0) === (records === null) && count <= max && (records === null || records.length >= count);
  if (!check(pOutgoingPublishRecords, outgoingPublishCount) || !check(pIncomingPublishRecords, incomingPublishCount)) {
    LogError('MQTT_InitStatefulQoS: records and counts do not match, or a count exceeds MQTT_STATE_ARRAY_MAX_COUNT (%d).', max);
    return MQTTBadParameter;
  }
  pContext.outgoingPublishRecords = pOutgoingPublishRecords;
  pContext.outgoingPublishRecordMaxCount = outgoingPublishCount;
  pContext.incomingPublishRecords = pIncomingPublishRecords;
  pContext.incomingPublishRecordMaxCount = incomingPublishCount;
  return MQTTSuccess;
}

/** Serializes into the network buffer with `serialize`, then sends `packetSize` bytes. */
async function sendFromNetworkBuffer(ctx: MQTTContext_t, packetSize: number, serialize: (fb: MQTTFixedBuffer_t) => MQTTStatus_t): Promise<MQTTStatus_t> {
  const status = serialize(ctx.networkBuffer);
  if (status !== MQTTSuccess) return status;
  return (await sendBuffer(ctx, ctx.networkBuffer.pBuffer, packetSize)) === packetSize ? MQTTSuccess : MQTTSendFailed;
}

/**
 * `MQTT_Connect`: sends CONNECT and waits for the CONNACK (up to `timeoutMs`; 0 means
 * `MQTT_MAX_CONNACK_RECEIVE_RETRY_COUNT` extra reads). `pSessionPresent.value` tells whether the
 * broker resumed a session; if it did, the PUBRELs still due are resent before this returns.
 */
export async function MQTT_Connect(
  pContext: MQTTContext_t | null,
  pConnectInfo: MQTTConnectInfo_t | null,
  pWillInfo: MQTTPublishInfo_t | null,
  timeoutMs: number,
  pSessionPresent: MQTTRef<boolean> | null,
): Promise<MQTTStatus_t> {
  if (!initialized(pContext) || !pConnectInfo || !pSessionPresent) return MQTTBadParameter;
  const rl = { value: 0 };
  const size = { value: 0 };
  let status = MQTT_GetConnectPacketSize(pConnectInfo, pWillInfo, rl, size);
  LogDebug('CONNECT packet size is %d and remaining length is %d.', size.value, rl.value);
  if (status === MQTTSuccess) status = await sendFromNetworkBuffer(pContext, size.value, (fb) => MQTT_SerializeConnect(pConnectInfo, pWillInfo, rl.value, fb));
  if (status === MQTTSuccess) status = await receiveConnack(pContext, timeoutMs, pConnectInfo.cleanSession, pSessionPresent);
  if (status === MQTTSuccess) status = await handleSessionResumption(pContext, pSessionPresent.value);
  if (status !== MQTTSuccess) {
    LogError('MQTT connection failed with status = %s.', statusName(status));
    return status;
  }
  LogInfo('MQTT connection established with the broker.');
  pContext.connectStatus = MQTTConnected;
  pContext.keepAliveIntervalSec = pConnectInfo.keepAliveSeconds;
  pContext.waitingForPingResp = false;
  pContext.pingReqSendTimeMs = 0;
  return MQTTSuccess;
}

function validateSubscribeUnsubscribeParams(ctx: MQTTContext_t | null, list: readonly MQTTSubscribeInfo_t[] | null, count: number, packetId: number, subscribe: boolean): ctx is MQTTContext_t {
  if (!initialized(ctx) || !list || !(count > 0) || count > list.length || packetId === 0) return false;
  // Without incoming records a QoS 1/2 publish could not be acknowledged: refuse to ask for one.
  if (subscribe && ctx.incomingPublishRecords === null && list.slice(0, count).some((s) => s.qos > MQTTQoS0)) {
    LogError('The incoming publish record list is not initialised for QoS1/QoS2 records. Please call MQTT_InitStatefulQoS to enable use of QoS1 and QoS2 packets.');
    return false;
  }
  return true;
}

/** `MQTT_Subscribe`: sends SUBSCRIBE; the SUBACK comes to the callback from a later loop call. */
export async function MQTT_Subscribe(pContext: MQTTContext_t | null, pSubscriptionList: readonly MQTTSubscribeInfo_t[] | null, subscriptionCount: number, packetId: number): Promise<MQTTStatus_t> {
  if (!validateSubscribeUnsubscribeParams(pContext, pSubscriptionList, subscriptionCount, packetId, true)) return MQTTBadParameter;
  const rl = { value: 0 };
  const size = { value: 0 };
  const status = MQTT_GetSubscribePacketSize(pSubscriptionList, subscriptionCount, rl, size);
  if (status !== MQTTSuccess) return status;
  return sendFromNetworkBuffer(pContext, size.value, (fb) => MQTT_SerializeSubscribe(pSubscriptionList, subscriptionCount, packetId, rl.value, fb));
}

/** `MQTT_Unsubscribe`: sends UNSUBSCRIBE; the UNSUBACK comes to the callback from a later loop call. */
export async function MQTT_Unsubscribe(pContext: MQTTContext_t | null, pSubscriptionList: readonly MQTTSubscribeInfo_t[] | null, subscriptionCount: number, packetId: number): Promise<MQTTStatus_t> {
  if (!validateSubscribeUnsubscribeParams(pContext, pSubscriptionList, subscriptionCount, packetId, false)) return MQTTBadParameter;
  const rl = { value: 0 };
  const size = { value: 0 };
  const status = MQTT_GetUnsubscribePacketSize(pSubscriptionList, subscriptionCount, rl, size);
  if (status !== MQTTSuccess) return status;
  return sendFromNetworkBuffer(pContext, size.value, (fb) => MQTT_SerializeUnsubscribe(pSubscriptionList, subscriptionCount, packetId, rl.value, fb));
}

/**
 * `MQTT_Publish`: sends PUBLISH. Its header is serialized into the network buffer
 * (`MQTTNoMemory` if it does not fit) and the payload sent from where it is. QoS 1 and 2 take a
 * state record first (`MQTTNoMemory` when all are in use); resending a publish that still has one
 * is allowed with `dup` set (the session-resume path of `MQTT_PublishToResend`).
 */
export async function MQTT_Publish(pContext: MQTTContext_t | null, pPublishInfo: MQTTPublishInfo_t | null, packetId: number): Promise<MQTTStatus_t> {
  if (!initialized(pContext) || !pPublishInfo) return MQTTBadParameter;
  const qos = pPublishInfo.qos;
  if ((qos !== MQTTQoS0 && packetId === 0) || (pPublishInfo.payloadLength > 0 && pPublishInfo.pPayload === null)) return MQTTBadParameter;
  if (qos > MQTTQoS0 && pContext.outgoingPublishRecords === null) {
    LogError('Trying to publish a QoS > MQTTQoS0 packet when outgoing publishes for QoS1/QoS2 have not been enabled. Please, call MQTT_InitStatefulQoS to initialize and enable the use of QoS1/QoS2 publishes.');
    return MQTTBadParameter;
  }
  const rl = { value: 0 };
  const size = { value: 0 };
  const headerSize = { value: 0 };
  let status = MQTT_GetPublishPacketSize(pPublishInfo, rl, size);
  if (status === MQTTSuccess) status = MQTT_SerializePublishHeader(pPublishInfo, packetId, rl.value, pContext.networkBuffer, headerSize);
  const payload = mqttBytes(pPublishInfo.pPayload, pPublishInfo.payloadLength);
  if (status === MQTTSuccess && !payload) status = MQTTBadParameter;
  if (status === MQTTSuccess && qos > MQTTQoS0) {
    status = MQTT_ReserveState(pContext, packetId, qos);
    // A resend of a publish still on record keeps its record.
    if (status === MQTTStateCollision && pPublishInfo.dup === true) status = MQTTSuccess;
  }
  if (status === MQTTSuccess) {
    const vectors = [{ iov_base: pContext.networkBuffer.pBuffer, iov_len: headerSize.value }];
    if (pPublishInfo.payloadLength > 0) vectors.push({ iov_base: payload!, iov_len: pPublishInfo.payloadLength });
    const total = headerSize.value + pPublishInfo.payloadLength;
    if ((await sendMessageVector(pContext, vectors)) !== total) status = MQTTSendFailed;
  }
  if (status === MQTTSuccess && qos > MQTTQoS0) {
    status = MQTT_UpdateStatePublish(pContext, packetId, MQTT_SEND, qos, { value: MQTTStateNull });
    if (status !== MQTTSuccess) LogError('Update state for publish failed with status %s. However PUBLISH packet was sent to the broker. Any further handling of ACKs for the packet Id will fail.', statusName(status));
  }
  if (status !== MQTTSuccess) LogError('MQTT PUBLISH failed with status %s.', statusName(status));
  return status;
}

/** `MQTT_CancelCallback`: forgets an outgoing QoS 1/2 publish (it may have been sent already). */
export function MQTT_CancelCallback(pContext: MQTTContext_t | null, packetId: number): MQTTStatus_t {
  if (!pContext || pContext.outgoingPublishRecords === null) return MQTTBadParameter;
  return MQTT_RemoveStateRecord(pContext, packetId);
}

/** `MQTT_Ping`: sends PINGREQ and sets `waitingForPingResp`. */
export async function MQTT_Ping(pContext: MQTTContext_t | null): Promise<MQTTStatus_t> {
  if (!initialized(pContext)) return MQTTBadParameter;
  return sendPing(pContext);
}

/** `MQTT_Disconnect`: sends DISCONNECT; the transport connection is the application's to close. */
export async function MQTT_Disconnect(pContext: MQTTContext_t | null): Promise<MQTTStatus_t> {
  if (!initialized(pContext)) return MQTTBadParameter;
  const control = pContext.scratch.control;
  const size = { value: 0 };
  const status = MQTT_GetDisconnectPacketSize(size);
  if (status !== MQTTSuccess || MQTT_SerializeDisconnect(control) !== MQTTSuccess) return MQTTBadParameter;
  if ((await sendBuffer(pContext, control.pBuffer, size.value)) < size.value) {
    LogError('Transport send failed for DISCONNECT packet.');
    return MQTTSendFailed;
  }
  LogInfo('Disconnected from the broker.');
  pContext.connectStatus = MQTTNotConnected;
  return MQTTSuccess;
}

async function receiveLoop(ctx: MQTTContext_t | null, timeoutMs: number, manageKeepAlive: boolean): Promise<MQTTStatus_t> {
  if (!initialized(ctx) || !(timeoutMs >= 0)) return MQTTBadParameter;
  if (manageKeepAlive) ctx.controlPacketSent = false;
  const entry = ctx.getTime!();
  let remaining = timeoutMs;
  for (;;) {
    const before = ctx.getTime!();
    const status = await receiveSingleIteration(ctx, remaining, manageKeepAlive);
    if (status !== MQTTSuccess) return status;
    const elapsed = calculateElapsedTime(ctx.getTime!(), entry);
    if (elapsed >= timeoutMs) return MQTTSuccess;
    remaining = timeoutMs - elapsed;
    await idleIfTimeStood(ctx, before);
  }
}

/**
 * `MQTT_ProcessLoop`: receives and handles packets for at least `timeoutMs` (0: one iteration),
 * sending acks, and PINGREQs when the connection is idle for the keep-alive interval.
 * `MQTTKeepAliveTimeout` when a PINGRESP does not come within `MQTT_PINGRESP_TIMEOUT_MS`.
 */
export function MQTT_ProcessLoop(pContext: MQTTContext_t | null, timeoutMs = 0): Promise<MQTTStatus_t> {
  return receiveLoop(pContext, timeoutMs, true);
}

/**
 * `MQTT_ReceiveLoop`: `MQTT_ProcessLoop` without keep-alive: no PINGREQ is sent, and a PINGRESP
 * goes to the callback, which clears `waitingForPingResp` itself.
 */
export function MQTT_ReceiveLoop(pContext: MQTTContext_t | null, timeoutMs = 0): Promise<MQTTStatus_t> {
  return receiveLoop(pContext, timeoutMs, false);
}

/** `MQTT_GetPacketId`: the next packet identifier, never 0, wrapping from 65535 to 1. */
export function MQTT_GetPacketId(pContext: MQTTContext_t | null): number {
  if (!pContext) return 0;
  const id = pContext.nextPacketId;
  pContext.nextPacketId = id >= 0xffff ? 1 : id + 1;
  return id;
}

/**
 * `MQTT_GetSubAckStatusCodes`: the return codes of a SUBACK (one per topic filter of the
 * SUBSCRIBE), as a view into the packet.
 */
export function MQTT_GetSubAckStatusCodes(
  pSubackPacket: MQTTPacketInfo_t | null,
  pPayloadStart: MQTTRef<Uint8Array | null> | null,
  pPayloadSize: MQTTRef<number> | null,
): MQTTStatus_t {
  if (!pSubackPacket || !pPayloadStart || !pPayloadSize) return MQTTBadParameter;
  const data = pSubackPacket.pRemainingData;
  if (pSubackPacket.type !== MQTT_PACKET_TYPE_SUBACK || !data) return MQTTBadParameter;
  // Packet identifier plus at least one return code.
  if (pSubackPacket.remainingLength < 3 || pSubackPacket.remainingLength > data.length) return MQTTBadParameter;
  pPayloadStart.value = data.subarray(2, pSubackPacket.remainingLength);
  pPayloadSize.value = pSubackPacket.remainingLength - 2;
  return MQTTSuccess;
}

/** `MQTT_Status_strerror`: the status's name (`"MQTTSuccess"`...). */
export function MQTT_Status_strerror(status: MQTTStatus_t): string {
  return statusName(status);
}
