/**
 * `zsim/coremqtt`: FreeRTOS coreMQTT's API (`core_mqtt.h`, `core_mqtt_state.h`,
 * `core_mqtt_serializer.h`, `transport_interface.h`) on zsim, plus a plaintext TCP transport over
 * zsim's sockets. Needs `CONFIG_COREMQTT=y` (which depends on `CONFIG_NET_SOCKETS`).
 *
 * Calls that wait for the network are async and must be awaited (`MQTT_Connect`, `MQTT_Publish`,
 * `MQTT_ProcessLoop`...); see docs/architecture.md, "Why some calls are async".
 */
export * from './core_mqtt_serializer.ts';
export {
  MQTTPubAckInfo_array,
  MQTTPuback, MQTTPubcomp, MQTTPubrec, MQTTPubrel,
  MQTTPubAckPending, MQTTPubAckSend, MQTTPubCompPending, MQTTPubCompSend, MQTTPubRecPending, MQTTPubRecSend,
  MQTTPubRelPending, MQTTPubRelSend, MQTTPublishDone, MQTTPublishSend, MQTTStateNull,
  MQTT_PublishToResend, MQTT_STATE_CURSOR_INITIALIZER, MQTT_State_strerror,
  type MQTTPubAckInfo_t, type MQTTPubAckType_t, type MQTTPublishState_t, type MQTTStateCursor_t,
} from './core_mqtt_state.ts';
export * from './core_mqtt_context.ts';
export * from './core_mqtt.ts';
export { MQTT_MatchTopic } from './core_mqtt_topic.ts';
export {
  MQTT_MAX_CONNACK_RECEIVE_RETRY_COUNT, MQTT_PINGRESP_TIMEOUT_MS, MQTT_RECV_POLLING_TIMEOUT_MS, MQTT_SEND_TIMEOUT_MS,
  MQTT_STATE_ARRAY_MAX_COUNT,
} from './core_mqtt_config_defaults.ts';
export type * from './transport_interface.ts';
export * from './transport_zsock.ts';
