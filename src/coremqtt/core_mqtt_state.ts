/**
 * coreMQTT's state engine (`core_mqtt_state.h`): the records of incomplete QoS 1 and QoS 2
 * publishes, outgoing and incoming, and the transitions PUBLISH, PUBACK, PUBREC, PUBREL and PUBCOMP
 * make in them. Nothing else: no I/O, no payloads (the application keeps those, see the seed's
 * "Sessions and State").
 *
 * The record arrays are the application's (`MQTT_InitStatefulQoS`). Records keep the order in
 * which publishes were sent, so that a resumed session resends them in that order: a new record
 * always goes after the last used one (compacting the array when its last slot is taken), and an
 * outgoing QoS 2 publish whose PUBREC arrives moves to the end, where its PUBREL now stands in the
 * order of packets sent.
 */

import {
  MQTTBadParameter,
  MQTTBadResponse,
  MQTTIllegalState,
  MQTTNoMemory,
  MQTTQoS0,
  MQTTQoS1,
  MQTTQoS2,
  MQTTStateCollision,
  MQTTSuccess,
  MQTT_PACKET_ID_INVALID,
  type MQTTQoS_t,
  type MQTTRef,
  type MQTTStatus_t,
} from './core_mqtt_serializer_types.ts';

export const MQTTStateNull = 0;
export const MQTTPublishSend = 1;
export const MQTTPubAckSend = 2;
export const MQTTPubRecSend = 3;
export const MQTTPubRelSend = 4;
export const MQTTPubCompSend = 5;
export const MQTTPubAckPending = 6;
export const MQTTPubRecPending = 7;
export const MQTTPubRelPending = 8;
export const MQTTPubCompPending = 9;
export const MQTTPublishDone = 10;
/** `MQTTPublishState_t`: where a QoS 1 or 2 publish stands. */
export type MQTTPublishState_t =
  | typeof MQTTStateNull | typeof MQTTPublishSend | typeof MQTTPubAckSend | typeof MQTTPubRecSend
  | typeof MQTTPubRelSend | typeof MQTTPubCompSend | typeof MQTTPubAckPending | typeof MQTTPubRecPending
  | typeof MQTTPubRelPending | typeof MQTTPubCompPending | typeof MQTTPublishDone;

export const MQTTPuback = 0;
export const MQTTPubrec = 1;
export const MQTTPubrel = 2;
export const MQTTPubcomp = 3;
/** `MQTTPubAckType_t`. */
export type MQTTPubAckType_t = typeof MQTTPuback | typeof MQTTPubrec | typeof MQTTPubrel | typeof MQTTPubcomp;

export const MQTT_SEND = 0;
export const MQTT_RECEIVE = 1;
/** `MQTTStateOperation_t`. */
export type MQTTStateOperation_t = typeof MQTT_SEND | typeof MQTT_RECEIVE;

/** `MQTTPubAckInfo_t`: one record. Packet identifier 0 marks a free slot. */
export interface MQTTPubAckInfo_t {
  packetId: number;
  qos: MQTTQoS_t;
  publishState: MQTTPublishState_t;
}

/** `MQTTStateCursor_t`: where `MQTT_PublishToResend` and `MQTT_PubrelToResend` go on from. */
export type MQTTStateCursor_t = MQTTRef<number>;
/** Start a search at the first record. */
export const MQTT_STATE_CURSOR_INITIALIZER = 0;

/** The part of `MQTTContext_t` the state engine works on. */
export interface MQTTStateRecords {
  outgoingPublishRecords: MQTTPubAckInfo_t[] | null;
  outgoingPublishRecordMaxCount: number;
  incomingPublishRecords: MQTTPubAckInfo_t[] | null;
  incomingPublishRecordMaxCount: number;
}

/** Free records for the application to hand to `MQTT_InitStatefulQoS` (C: a zeroed array). */
export function MQTTPubAckInfo_array(count: number): MQTTPubAckInfo_t[] {
  return Array.from({ length: count }, () => ({ packetId: MQTT_PACKET_ID_INVALID, qos: MQTTQoS0, publishState: MQTTStateNull }));
}

function findInRecord(records: MQTTPubAckInfo_t[], count: number, packetId: number): number {
  for (let i = 0; i < count; i++) if (records[i]!.packetId === packetId) return i;
  return count;
}

function clearRecord(r: MQTTPubAckInfo_t): void {
  r.packetId = MQTT_PACKET_ID_INVALID;
  r.qos = MQTTQoS0;
  r.publishState = MQTTStateNull;
}

/** Moves the used records to the front, keeping their order. */
function compactRecords(records: MQTTPubAckInfo_t[], count: number): void {
  let empty = -1;
  for (let i = 0; i < count; i++) {
    const r = records[i]!;
    if (r.packetId === MQTT_PACKET_ID_INVALID) {
      if (empty < 0) empty = i;
    } else if (empty >= 0) {
      const to = records[empty++]!;
      to.packetId = r.packetId;
      to.qos = r.qos;
      to.publishState = r.publishState;
      clearRecord(r);
    }
  }
}

/**
 * Stores a record in the first free slot after the last used one (compacting first when the last
 * slot is taken): `MQTTNoMemory` when there is none, `MQTTStateCollision` for a known identifier.
 */
function addRecord(records: MQTTPubAckInfo_t[], count: number, packetId: number, qos: MQTTQoS_t, state: MQTTPublishState_t): MQTTStatus_t {
  if (count === 0) return MQTTNoMemory;
  if (records[count - 1]!.packetId !== MQTT_PACKET_ID_INVALID) compactRecords(records, count);
  let available = count;
  let usedSeen = false;
  for (let i = count - 1; i >= 0; i--) {
    const id = records[i]!.packetId;
    if (id === MQTT_PACKET_ID_INVALID) {
      if (!usedSeen) available = i;
    } else {
      usedSeen = true;
      if (id === packetId) return MQTTStateCollision;
    }
  }
  if (available === count) return MQTTNoMemory;
  const r = records[available]!;
  r.packetId = packetId;
  r.qos = qos;
  r.publishState = state;
  return MQTTSuccess;
}

function outgoing(ctx: MQTTStateRecords): { records: MQTTPubAckInfo_t[]; count: number } | null {
  const records = ctx.outgoingPublishRecords;
  return records ? { records, count: Math.min(ctx.outgoingPublishRecordMaxCount, records.length) } : null;
}

function incoming(ctx: MQTTStateRecords): { records: MQTTPubAckInfo_t[]; count: number } | null {
  const records = ctx.incomingPublishRecords;
  return records ? { records, count: Math.min(ctx.incomingPublishRecordMaxCount, records.length) } : null;
}

/** `MQTT_ReserveState`: a record in `MQTTPublishSend` for an outgoing QoS 1 or 2 publish. */
export function MQTT_ReserveState(ctx: MQTTStateRecords | null, packetId: number, qos: MQTTQoS_t): MQTTStatus_t {
  if (qos === MQTTQoS0) return MQTTSuccess;
  const out = ctx ? outgoing(ctx) : null;
  if (!out || packetId === MQTT_PACKET_ID_INVALID) return MQTTBadParameter;
  return addRecord(out.records, out.count, packetId, qos, MQTTPublishSend);
}

/** `MQTT_CalculateStatePublish`: the state a publish enters when sent or received. */
export function MQTT_CalculateStatePublish(opType: MQTTStateOperation_t, qos: MQTTQoS_t): MQTTPublishState_t {
  if (qos === MQTTQoS1) return opType === MQTT_SEND ? MQTTPubAckPending : MQTTPubAckSend;
  if (qos === MQTTQoS2) return opType === MQTT_SEND ? MQTTPubRecPending : MQTTPubRecSend;
  return qos === MQTTQoS0 ? MQTTPublishDone : MQTTStateNull;
}

/** Valid PUBLISH transitions; a resent publish (session resumed) keeps its pending state. */
function validateTransitionPublish(current: MQTTPublishState_t, next: MQTTPublishState_t, op: MQTTStateOperation_t, qos: MQTTQoS_t): boolean {
  switch (current) {
    case MQTTStateNull:
      return op === MQTT_RECEIVE && (next === MQTTPubAckSend || next === MQTTPubRecSend);
    case MQTTPublishSend:
      return qos === MQTTQoS1 ? next === MQTTPubAckPending : qos === MQTTQoS2 && next === MQTTPubRecPending;
    case MQTTPubAckPending:
    case MQTTPubRecPending:
      return next === current;
    default:
      return false;
  }
}

/**
 * `MQTT_UpdateStatePublish`: after sending (the record must exist with this QoS) or receiving
 * (a new incoming record; `MQTTStateCollision` for a duplicate) a QoS 1 or 2 PUBLISH.
 */
export function MQTT_UpdateStatePublish(
  ctx: MQTTStateRecords | null,
  packetId: number,
  opType: MQTTStateOperation_t,
  qos: MQTTQoS_t,
  pNewState: MQTTRef<MQTTPublishState_t> | null,
): MQTTStatus_t {
  if (!ctx || !pNewState) return MQTTBadParameter;
  if (qos === MQTTQoS0) {
    pNewState.value = MQTTPublishDone;
    return MQTTSuccess;
  }
  if (packetId === MQTT_PACKET_ID_INVALID) return MQTTBadParameter;
  const set = opType === MQTT_SEND ? outgoing(ctx) : incoming(ctx);
  if (!set) return MQTTBadParameter;
  let current: MQTTPublishState_t = MQTTStateNull;
  let index = set.count;
  if (opType === MQTT_SEND) {
    index = findInRecord(set.records, set.count, packetId);
    if (index === set.count || set.records[index]!.qos !== qos) return MQTTBadParameter;
    current = set.records[index]!.publishState;
  }
  const next = MQTT_CalculateStatePublish(opType, qos);
  if (!validateTransitionPublish(current, next, opType, qos)) return MQTTIllegalState;
  let status: MQTTStatus_t = MQTTSuccess;
  if (opType === MQTT_RECEIVE) status = addRecord(set.records, set.count, packetId, qos, next);
  else set.records[index]!.publishState = next;
  if (status === MQTTSuccess) pNewState.value = next;
  return status;
}

/** `MQTT_RemoveStateRecord`: forgets an outgoing publish (`MQTT_CancelCallback`). */
export function MQTT_RemoveStateRecord(ctx: MQTTStateRecords | null, packetId: number): MQTTStatus_t {
  const out = ctx ? outgoing(ctx) : null;
  if (!out || packetId === MQTT_PACKET_ID_INVALID) return MQTTBadParameter;
  const i = findInRecord(out.records, out.count, packetId);
  if (i === out.count) return MQTTBadParameter;
  clearRecord(out.records[i]!);
  return MQTTSuccess;
}

/** `MQTT_CalculateStateAck`: the state an ack leads to; `MQTTStateNull` if it does not fit the QoS. */
export function MQTT_CalculateStateAck(packetType: MQTTPubAckType_t, opType: MQTTStateOperation_t, qos: MQTTQoS_t): MQTTPublishState_t {
  switch (packetType) {
    case MQTTPuback:
      return qos === MQTTQoS1 ? MQTTPublishDone : MQTTStateNull;
    case MQTTPubrec:
      if (qos !== MQTTQoS2) return MQTTStateNull;
      return opType === MQTT_SEND ? MQTTPubRelPending : MQTTPubRelSend;
    case MQTTPubrel:
      if (qos !== MQTTQoS2) return MQTTStateNull;
      return opType === MQTT_SEND ? MQTTPubCompPending : MQTTPubCompSend;
    case MQTTPubcomp:
      return qos === MQTTQoS2 ? MQTTPublishDone : MQTTStateNull;
    default:
      return MQTTStateNull;
  }
}

/** Valid ack transitions; the self-loops are duplicates after a session is resumed. */
function validateTransitionAck(current: MQTTPublishState_t, next: MQTTPublishState_t): boolean {
  switch (current) {
    case MQTTPubAckSend:
    case MQTTPubAckPending:
      return next === MQTTPublishDone;
    case MQTTPubRecSend:
      return next === MQTTPubRelPending;
    case MQTTPubRelPending:
      return next === MQTTPubCompSend || next === MQTTPubRelPending;
    case MQTTPubCompSend:
      return next === MQTTPublishDone || next === MQTTPubCompSend;
    case MQTTPubRecPending:
      return next === MQTTPubRelSend;
    case MQTTPubRelSend:
      return next === MQTTPubCompPending;
    case MQTTPubCompPending:
      return next === MQTTPublishDone || next === MQTTPubCompPending;
    default:
      return false;
  }
}

/**
 * `MQTT_UpdateStateAck`: after sending or receiving PUBACK, PUBREC, PUBREL or PUBCOMP.
 * `MQTTBadResponse` when no record has this packet identifier, `MQTTIllegalState` for a
 * transition the protocol does not allow.
 */
export function MQTT_UpdateStateAck(
  ctx: MQTTStateRecords | null,
  packetId: number,
  packetType: MQTTPubAckType_t,
  opType: MQTTStateOperation_t,
  pNewState: MQTTRef<MQTTPublishState_t> | null,
): MQTTStatus_t {
  if (!ctx || !pNewState || packetId === MQTT_PACKET_ID_INVALID || !(packetType >= MQTTPuback && packetType <= MQTTPubcomp)) return MQTTBadParameter;
  // PUBREL travels against the publish: it is sent for outgoing publishes, received for incoming.
  const isOutgoing = packetType === MQTTPubrel ? opType === MQTT_SEND : opType === MQTT_RECEIVE;
  const set = isOutgoing ? outgoing(ctx) : incoming(ctx);
  if (!set) return MQTTBadResponse;
  const index = findInRecord(set.records, set.count, packetId);
  if (index === set.count) return MQTTBadResponse;
  const r = set.records[index]!;
  const current = r.publishState;
  const next = MQTT_CalculateStateAck(packetType, opType, r.qos);
  if (!validateTransitionAck(current, next)) return MQTTIllegalState;
  pNewState.value = next;
  if (current === next) return MQTTSuccess;
  if (next === MQTTPublishDone) {
    clearRecord(r);
    return MQTTSuccess;
  }
  if (next === MQTTPubRelSend) {
    // Re-add at the end so PUBRELs are resent in the order they were due.
    clearRecord(r);
    return addRecord(set.records, set.count, packetId, MQTTQoS2, MQTTPubRelSend);
  }
  r.publishState = next;
  return MQTTSuccess;
}

/** The next outgoing record from `*pCursor` in one of `states`; 0 when there is none. */
function stateSelect(ctx: MQTTStateRecords, states: readonly MQTTPublishState_t[], pCursor: MQTTStateCursor_t): number {
  const out = outgoing(ctx);
  if (!out) return MQTT_PACKET_ID_INVALID;
  while (pCursor.value < out.count) {
    const r = out.records[pCursor.value++]!;
    if (r.packetId !== MQTT_PACKET_ID_INVALID && states.includes(r.publishState)) return r.packetId;
  }
  return MQTT_PACKET_ID_INVALID;
}

const PUBREL_RESEND: readonly MQTTPublishState_t[] = [MQTTPubRelSend, MQTTPubCompPending];
const PUBLISH_RESEND: readonly MQTTPublishState_t[] = [MQTTPublishSend, MQTTPubAckPending, MQTTPubRecPending];

/**
 * `MQTT_PubrelToResend`: the next outgoing QoS 2 publish whose PUBREL must be resent after a
 * session is resumed (PUBREC received, PUBCOMP not); 0 when none is left. `pState` is set to
 * `MQTTPubRelSend`, the state to send it from.
 */
export function MQTT_PubrelToResend(ctx: MQTTStateRecords | null, pCursor: MQTTStateCursor_t | null, pState: MQTTRef<MQTTPublishState_t> | null): number {
  if (!ctx || !pCursor || !pState) return MQTT_PACKET_ID_INVALID;
  const id = stateSelect(ctx, PUBREL_RESEND, pCursor);
  if (id !== MQTT_PACKET_ID_INVALID) pState.value = MQTTPubRelSend;
  return id;
}

/**
 * `MQTT_PublishToResend`: the next outgoing publish not acknowledged yet (no PUBACK, or no PUBREC),
 * in the order they were sent; 0 when none is left. The application resends it with `dup` set.
 */
export function MQTT_PublishToResend(ctx: MQTTStateRecords | null, pCursor: MQTTStateCursor_t | null): number {
  if (!ctx || !pCursor) return MQTT_PACKET_ID_INVALID;
  return stateSelect(ctx, PUBLISH_RESEND, pCursor);
}

const STATE_NAMES = [
  'MQTTStateNull', 'MQTTPublishSend', 'MQTTPubAckSend', 'MQTTPubRecSend', 'MQTTPubRelSend', 'MQTTPubCompSend',
  'MQTTPubAckPending', 'MQTTPubRecPending', 'MQTTPubRelPending', 'MQTTPubCompPending', 'MQTTPublishDone',
];

/** `MQTT_State_strerror`. */
export function MQTT_State_strerror(state: number): string {
  return STATE_NAMES[state] ?? 'Invalid MQTT State';
}
