/*
 * Settings of the mqtt_subscriber sample, in the shape of mqtt_publisher's config.h.
 */
import { CONFIG, IS_ENABLED } from 'zsim/kernel';
import { MQTT_QOS_0_AT_MOST_ONCE, MQTT_QOS_1_AT_LEAST_ONCE, MQTT_QOS_2_EXACTLY_ONCE, type mqtt_qos } from 'zsim/net/mqtt';

function cfg_str(name: string, fallback: string): string {
  const v = CONFIG[name];
  return typeof v === 'string' && v !== '' ? v : fallback;
}

const settings = IS_ENABLED('CONFIG_NET_CONFIG_SETTINGS');
const ipv6 = IS_ENABLED('CONFIG_NET_IPV6');

export const SERVER_ADDR = settings
  ? ipv6 ? cfg_str('NET_CONFIG_PEER_IPV6_ADDR', '2001:db8::2') : cfg_str('NET_CONFIG_PEER_IPV4_ADDR', '192.0.2.2')
  : ipv6 ? '2001:db8::2' : '192.168.1.10';
export const SERVER_PORT = 1883;

export const APP_CONNECT_TIMEOUT_MS = 2000;
export const APP_SLEEP_MSECS = 500;
export const APP_CONNECT_TRIES = 10;

/*
 * rx_buf holds a packet's fixed and variable header (topic, packet id, properties), not the
 * PUBLISH payload: payloads are streamed from the socket APP_PAYLOAD_CHUNK bytes at a time, so
 * they may be far larger than this.
 */
export const APP_MQTT_BUFFER_SIZE = 128;
export const APP_PAYLOAD_CHUNK = 64;

/* The client id names the persistent session (clean_session = 0) the broker keeps for us. */
export const MQTT_CLIENTID = 'zephyr_subscriber';

/* MQTT 5.0 ends a session when its connection closes unless it has an expiry interval. */
export const APP_SESSION_EXPIRY_SEC = 3600;

export interface app_topic {
  topic: string;
  qos: mqtt_qos;
}

/* What the sample subscribes to: the publisher sample's topic, and one topic per QoS. */
export const APP_TOPICS: readonly app_topic[] = [
  { topic: 'sensors', qos: MQTT_QOS_2_EXACTLY_ONCE },
  { topic: 'zephyr/subscriber/qos0', qos: MQTT_QOS_0_AT_MOST_ONCE },
  { topic: 'zephyr/subscriber/qos1', qos: MQTT_QOS_1_AT_LEAST_ONCE },
  { topic: 'zephyr/subscriber/qos2', qos: MQTT_QOS_2_EXACTLY_ONCE },
];

/* Published by the broker if the connection ends without DISCONNECT. */
export const APP_WILL_TOPIC = 'zephyr/subscriber/status';
export const APP_WILL_MESSAGE = 'offline';
