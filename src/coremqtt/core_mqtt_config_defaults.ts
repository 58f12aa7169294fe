/**
 * coreMQTT's configuration macros (`core_mqtt_config_defaults.h`) and logging macros
 * (`core_mqtt_default_logging.h`).
 *
 * In C these are compile-time constants from `core_mqtt_config.h`. zsim's module is shared by
 * every board of a process while each board has its own Kconfig, so each macro is a function
 * that reads the running board's `CONFIG_COREMQTT_*` symbol (`kconfig/Kconfig.coremqtt`), with
 * coreMQTT's default when the board's configuration does not set it (a test's hand-made one).
 */
import { cpu } from '../kernel/cpu.ts';
import { LOG_MODULE_REGISTER } from '../logging/log.ts';

function cfgInt(symbol: string, dflt: number): number {
  const v = cpu.kernel?.config[symbol];
  return typeof v === 'number' ? v : dflt;
}

/**
 * `MQTT_STATE_ARRAY_MAX_COUNT` (`CONFIG_COREMQTT_STATE_ARRAY_MAX_COUNT`, default 10): the most
 * records each of the outgoing and incoming QoS 1/2 record arrays may have.
 */
export function MQTT_STATE_ARRAY_MAX_COUNT(): number {
  return cfgInt('COREMQTT_STATE_ARRAY_MAX_COUNT', 10);
}

/**
 * `MQTT_PINGRESP_TIMEOUT_MS` (`CONFIG_COREMQTT_PINGRESP_TIMEOUT_MS`, default 5000): how long
 * `MQTT_ProcessLoop` waits for a PINGRESP before it reports `MQTTKeepAliveTimeout`.
 */
export function MQTT_PINGRESP_TIMEOUT_MS(): number {
  return cfgInt('COREMQTT_PINGRESP_TIMEOUT_MS', 5000);
}

/**
 * `MQTT_RECV_POLLING_TIMEOUT_MS` (`CONFIG_COREMQTT_RECV_POLLING_TIMEOUT_MS`, default 10): how
 * long the rest of a packet may keep the transport returning nothing once its start has arrived.
 */
export function MQTT_RECV_POLLING_TIMEOUT_MS(): number {
  return cfgInt('COREMQTT_RECV_POLLING_TIMEOUT_MS', 10);
}

/**
 * `MQTT_SEND_TIMEOUT_MS` (`CONFIG_COREMQTT_SEND_TIMEOUT_MS`, default 20000): how long sending one
 * packet may take in all.
 */
export function MQTT_SEND_TIMEOUT_MS(): number {
  return cfgInt('COREMQTT_SEND_TIMEOUT_MS', 20000);
}

/**
 * `MQTT_MAX_CONNACK_RECEIVE_RETRY_COUNT` (`CONFIG_COREMQTT_MAX_CONNACK_RECEIVE_RETRY_COUNT`,
 * default 5): extra reads `MQTT_Connect` makes for the CONNACK when called with a 0 timeout.
 */
export function MQTT_MAX_CONNACK_RECEIVE_RETRY_COUNT(): number {
  return cfgInt('COREMQTT_MAX_CONNACK_RECEIVE_RETRY_COUNT', 5);
}

const log = LOG_MODULE_REGISTER('coreMQTT', 'COREMQTT_LOG_LEVEL');

/** `LogError((...))`, `LogWarn`, `LogInfo`, `LogDebug`: Zephyr log messages of module `coreMQTT`. */
export const LogError = log.LOG_ERR;
export const LogWarn = log.LOG_WRN;
export const LogInfo = log.LOG_INF;
export const LogDebug = log.LOG_DBG;
