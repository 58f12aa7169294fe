/**
 * The types of coreMQTT's `core_mqtt.h`: the connection context `MQTTContext_t`, the application
 * callback and its `MQTTDeserializedInfo_t`, the time function, and the small enums.
 */
import {
  MQTTQoS0,
  MQTT_PUBLISH_ACK_PACKET_SIZE,
  type MQTTFixedBuffer_t,
  type MQTTPacketInfo_t,
  type MQTTPublishInfo_t,
  type MQTTStatus_t,
} from './core_mqtt_serializer_types.ts';
import type { MQTTPubAckInfo_t } from './core_mqtt_state.ts';
import type { TransportInterface_t } from './transport_interface.ts';

/**
 * `MQTTGetCurrentTimeFunc_t`: milliseconds since some epoch, as a wrapping 32-bit count
 * (`k_uptime_get_32` on a board). Only differences are used, so the wrap is harmless.
 */
export type MQTTGetCurrentTimeFunc_t = () => number;

/** `MQTTDeserializedInfo_t`: what the library decoded from the packet it hands to the callback. */
export interface MQTTDeserializedInfo_t {
  /** Packet identifier of the PUBLISH or ack (0 for PINGRESP and QoS 0 publishes). */
  packetIdentifier: number;
  /** The incoming publish, or null for acks. Its views are valid during the callback only. */
  pPublishInfo: MQTTPublishInfo_t | null;
  /** `MQTTSuccess`, or `MQTTServerRefused` for a SUBACK refusing a subscription. */
  deserializationResult: MQTTStatus_t;
}

/**
 * `MQTTEventCallback_t`: called for every incoming PUBLISH and ack (PINGRESP too, under
 * `MQTT_ReceiveLoop`). It is synchronous, as C callbacks are: it must not call the library (whose
 * calls wait and are async); set flags or copy data for the code around the loop instead.
 */
export type MQTTEventCallback_t = (
  pContext: MQTTContext_t,
  pPacketInfo: MQTTPacketInfo_t,
  pDeserializedInfo: MQTTDeserializedInfo_t,
) => void;

export const MQTTNotConnected = 0;
export const MQTTConnected = 1;
/** `MQTTConnectionStatus_t`. */
export type MQTTConnectionStatus_t = typeof MQTTNotConnected | typeof MQTTConnected;

/** `MQTTSubAckStatus_t`: a SUBACK return code. */
export const MQTTSubAckSuccessQos0 = 0x00;
export const MQTTSubAckSuccessQos1 = 0x01;
export const MQTTSubAckSuccessQos2 = 0x02;
export const MQTTSubAckFailure = 0x80;
export type MQTTSubAckStatus_t =
  | typeof MQTTSubAckSuccessQos0
  | typeof MQTTSubAckSuccessQos1
  | typeof MQTTSubAckSuccessQos2
  | typeof MQTTSubAckFailure;

const NO_BUFFER = new Uint8Array(0);

/**
 * What C keeps in stack locals of the library's functions. A TypeScript local array would be a
 * fresh allocation on every call, so the context owns them, made once with the context.
 */
export interface MQTTContextScratch {
  /** The fixed header of the packet being received (type byte and up to 4 length bytes). */
  readonly header: Uint8Array;
  /** Where each header byte is read. */
  readonly oneByte: Uint8Array;
  /** PUBACK/PUBREC/PUBREL/PUBCOMP being sent. */
  readonly ack: MQTTFixedBuffer_t;
  /** PINGREQ or DISCONNECT being sent. */
  readonly control: MQTTFixedBuffer_t;
  /** The incoming packet being handled. */
  readonly packet: MQTTPacketInfo_t;
  /** The incoming publish handed to the callback. */
  readonly publish: MQTTPublishInfo_t;
}

/**
 * `MQTTContext_t`: one MQTT connection. Create it with `new MQTTContext_t()` (C's zeroed struct),
 * then `MQTT_Init` it. The fields are public, as in C, for reading (`waitingForPingResp`,
 * `lastPacketTxTime`, `connectStatus`...); the library writes them.
 */
export class MQTTContext_t {
  /** State records of outgoing QoS 1/2 publishes (`MQTT_InitStatefulQoS`). */
  outgoingPublishRecords: MQTTPubAckInfo_t[] | null = null;
  /** State records of incoming QoS 1/2 publishes (`MQTT_InitStatefulQoS`). */
  incomingPublishRecords: MQTTPubAckInfo_t[] | null = null;
  outgoingPublishRecordMaxCount = 0;
  incomingPublishRecordMaxCount = 0;
  /** The transport (copied by `MQTT_Init`, as C copies the struct). */
  transportInterface: TransportInterface_t | null = null;
  /** The caller's buffer: outgoing CONNECT/SUBSCRIBE/UNSUBSCRIBE/PUBLISH headers and incoming packets. */
  networkBuffer: MQTTFixedBuffer_t = { pBuffer: NO_BUFFER, size: 0 };
  nextPacketId = 0;
  connectStatus: MQTTConnectionStatus_t = MQTTNotConnected;
  getTime: MQTTGetCurrentTimeFunc_t | null = null;
  appCallback: MQTTEventCallback_t | null = null;
  /** When the library last sent bytes. */
  lastPacketTxTime = 0;
  /** When the library last handled an incoming packet. */
  lastPacketRxTime = 0;
  /** Whether the last `MQTT_ProcessLoop`/`MQTT_ReceiveLoop` sent a packet (an ack or PINGREQ). */
  controlPacketSent = false;
  keepAliveIntervalSec = 0;
  pingReqSendTimeMs = 0;
  /** Set by every PINGREQ; cleared by `MQTT_ProcessLoop` at the PINGRESP (or by the callback). */
  waitingForPingResp = false;
  /** @internal */
  readonly scratch: MQTTContextScratch = {
    header: new Uint8Array(5),
    oneByte: new Uint8Array(1),
    ack: { pBuffer: new Uint8Array(MQTT_PUBLISH_ACK_PACKET_SIZE), size: MQTT_PUBLISH_ACK_PACKET_SIZE },
    control: { pBuffer: new Uint8Array(2), size: 2 },
    packet: { type: 0, pRemainingData: null, remainingLength: 0, headerLength: 0 },
    publish: { qos: MQTTQoS0, pTopicName: null, topicNameLength: 0, pPayload: null, payloadLength: 0 },
  };

  /** coreMQTT 1.x's name for `lastPacketTxTime`, which the seed documents. */
  get lastPacketTime(): number {
    return this.lastPacketTxTime;
  }
}
