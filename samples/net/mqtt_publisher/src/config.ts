/*
 * Port of Zephyr's samples/net/mqtt_publisher/src/config.h.
 *
 * C's preprocessor picks these at build time from Kconfig; here they are read from the board's
 * configuration when the app's module is evaluated (once per board, before main).
 */
import { CONFIG, IS_ENABLED } from 'zsim/kernel';

function cfg_str(name: string, fallback: string): string {
  const v = CONFIG[name];
  return typeof v === 'string' && v !== '' ? v : fallback;
}

const settings = IS_ENABLED('CONFIG_NET_CONFIG_SETTINGS');
const ipv6 = IS_ENABLED('CONFIG_NET_IPV6');

export const ZEPHYR_ADDR = settings
  ? ipv6 ? cfg_str('NET_CONFIG_MY_IPV6_ADDR', '2001:db8::1') : cfg_str('NET_CONFIG_MY_IPV4_ADDR', '192.0.2.1')
  : ipv6 ? '2001:db8::1' : '192.168.1.101';
export const SERVER_ADDR = settings
  ? ipv6 ? cfg_str('NET_CONFIG_PEER_IPV6_ADDR', '2001:db8::2') : cfg_str('NET_CONFIG_PEER_IPV4_ADDR', '192.0.2.2')
  : ipv6 ? '2001:db8::2' : '192.168.1.10';

/* MQTT over websocket uses 9001 (mosquitto's usual websocket listener), TLS 8883, plain 1883. */
export const SERVER_PORT = IS_ENABLED('CONFIG_MQTT_LIB_WEBSOCKET') ? 9001 : IS_ENABLED('CONFIG_MQTT_LIB_TLS') ? 8883 : 1883;

export const APP_CONNECT_TIMEOUT_MS = 2000;
export const APP_SLEEP_MSECS = 500;

export const APP_CONNECT_TRIES = 10;

export const APP_MQTT_BUFFER_SIZE = 128;

export const MQTT_CLIENTID = 'zephyr_publisher';

/* Set the following to true to enable the Bluemix topic format */
export const APP_BLUEMIX_TOPIC = false;

/* These are the parameters for the Bluemix topic format */
export const BLUEMIX_DEVTYPE = 'sensor';
export const BLUEMIX_DEVID = 'carbon';
export const BLUEMIX_EVENT = 'status';
export const BLUEMIX_FORMAT = 'json';
