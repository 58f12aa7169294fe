/**
 * The public types and constants of lwIP's `lwip/apps/mqtt.h`: client information, connection
 * status codes, callback prototypes and `MQTT_DATA_FLAG_LAST`.
 *
 * C's `void *arg` is `unknown` here: whatever the application passes comes back unchanged.
 */
import type { err_t } from './err.ts';
import type { mqtt_client_t } from './mqtt_client.ts';

/**
 * `struct mqtt_connect_client_info_t`: client identification and connection options. Strings
 * are sent as UTF-8; their lengths below are in bytes, as lwIP's `strlen`.
 */
export interface mqtt_connect_client_info_t {
  /** Client identifier, must be set by caller. */
  client_id: string;
  /** User name, `null` if not used (must not be empty). */
  client_user?: string | null;
  /** Password, `null` if not used (must not be empty). */
  client_pass?: string | null;
  /** Keep-alive time in seconds, 0 to disable keep alive functionality. */
  keep_alive?: number;
  /** Will topic, `null` if the will is not to be used: `will_msg`, `will_qos` and `will_retain` are then ignored. At most 255 bytes. */
  will_topic?: string | null;
  /** Will message (at most 255 bytes); without one no will is sent, as in lwIP. */
  will_msg?: string | null;
  will_qos?: number;
  will_retain?: number | boolean;
}

/** `mqtt_connection_status_t`: the status a connection callback gets. */
export const MQTT_CONNECT_ACCEPTED = 0;
export const MQTT_CONNECT_REFUSED_PROTOCOL_VERSION = 1;
export const MQTT_CONNECT_REFUSED_IDENTIFIER = 2;
export const MQTT_CONNECT_REFUSED_SERVER = 3;
export const MQTT_CONNECT_REFUSED_USERNAME_PASS = 4;
export const MQTT_CONNECT_REFUSED_NOT_AUTHORIZED_ = 5;
export const MQTT_CONNECT_DISCONNECTED = 256;
export const MQTT_CONNECT_TIMEOUT = 257;

/**
 * `mqtt_connection_status_t`. A CONNACK with a return code lwIP does not name is passed through
 * as that number, as lwIP's cast does.
 */
export type mqtt_connection_status_t = number;

/**
 * `mqtt_connection_cb_t`: called when the client has connected after `mqtt_client_connect`
 * (`MQTT_CONNECT_ACCEPTED`), when the server refused it (`MQTT_CONNECT_REFUSED_*`), or when the
 * connection closed or timed out (`MQTT_CONNECT_DISCONNECTED`, `MQTT_CONNECT_TIMEOUT`). Runs in
 * the tcpip thread.
 */
export type mqtt_connection_cb_t = (client: mqtt_client_t, arg: unknown, status: mqtt_connection_status_t) => void;

/** Data callback flag: set in the call that carries the last fragment of a publish. */
export const MQTT_DATA_FLAG_LAST = 1;

/**
 * `mqtt_incoming_data_cb_t`: one fragment of an incoming publish's payload. `data` is a view of
 * the client's receive buffer, valid only until the callback returns (copy what you keep).
 */
export type mqtt_incoming_data_cb_t = (arg: unknown, data: Uint8Array, len: number, flags: number) => void;

/**
 * `mqtt_incoming_publish_cb_t`: an incoming publish starts, on `topic`, with `tot_len` bytes of
 * payload that the data callback will deliver.
 */
export type mqtt_incoming_publish_cb_t = (arg: unknown, topic: string, tot_len: number) => void;

/**
 * `mqtt_request_cb_t`: a subscribe, unsubscribe or publish request completed: `ERR_OK`,
 * `ERR_TIMEOUT` when no response came within `MQTT_REQ_TIMEOUT`, `ERR_ABRT` when a subscribe was
 * refused.
 */
export type mqtt_request_cb_t = (arg: unknown, err: err_t) => void;

/**
 * Connection states (an anonymous enum inside lwIP's `mqtt.c`, shared here by zsim's modules):
 * no connection, TCP connecting, CONNECT sent, CONNACK received.
 */
export const TCP_DISCONNECTED = 0;
export const TCP_CONNECTING = 1;
export const MQTT_CONNECTING = 2;
export const MQTT_CONNECTED = 3;
