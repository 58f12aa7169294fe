/**
 * `struct mqtt_client` and its friends from `<zephyr/net/mqtt.h>` (events, transport, TLS
 * configuration), the client states of `mqtt_internal.h`, and the three internal helpers that
 * `mqtt.c` and `mqtt_rx.c` share: `client_reset`, `event_notify` and `mqtt_client_disconnect`.
 *
 * The structures are classes so that `new mqtt_client()` is what C's zero-initialised
 * `static struct mqtt_client client_ctx;` is. Differences from C, all forced by TypeScript:
 * - Pointers that may be NULL are `T | null`; buffers are `Uint8Array` with their `*_size`.
 * - `transport.tcp` and `transport.tls` share their socket, as C's union members do.
 * - The 5.0 `prop` / `will_prop` use the codec's property types, where a present field is one
 *   to send; Zephyr's zero-means-absent rule is applied when CONNECT is built (see `mqtt.ts`).
 * - `evt_cb` may be async; the library awaits it with the client mutex released, as Zephyr
 *   calls it, so the callback can call the (async) MQTT API, e.g. to read a payload.
 */
import { cpu } from '../../kernel/cpu.ts';
import { k_mutex } from '../../kernel/mutex.ts';
import type { msghdr } from '../socket.ts';
import type { sockaddr } from '../net_ip.ts';
import type { sec_tag_t } from '../tls_credentials_types.ts';
import { ENOTSUP } from '../../libc/errno.ts';
import { MQTT_VERSION_5_0, type mqtt_version } from './mqtt_reason_codes.ts';
import type {
  mqtt_auth_param, mqtt_binstr, mqtt_connack_param, mqtt_connect_properties, mqtt_disconnect_param,
  mqtt_puback_param, mqtt_pubcomp_param, mqtt_publish_param, mqtt_pubrec_param, mqtt_pubrel_param,
  mqtt_suback_param, mqtt_topic, mqtt_unsuback_param, mqtt_utf8, mqtt_will_properties, mqtt_connect_param,
} from './mqtt_types.ts';
import { mqtt_cfg_int, mqtt_mutex_lock, mqtt_mutex_unlock, NET_LOG_REGISTER } from './mqtt_os.ts';
import { mqtt_transport_disconnect, mqtt_transport_write } from './mqtt_transport.ts';
import { disconnect_encode } from './mqtt_encoder.ts';

const { NET_ERR } = NET_LOG_REGISTER('net_mqtt');

/* enum mqtt_evt_type */
export const MQTT_EVT_CONNACK = 0;
export const MQTT_EVT_DISCONNECT = 1;
export const MQTT_EVT_PUBLISH = 2;
export const MQTT_EVT_PUBACK = 3;
export const MQTT_EVT_PUBREC = 4;
export const MQTT_EVT_PUBREL = 5;
export const MQTT_EVT_PUBCOMP = 6;
export const MQTT_EVT_SUBACK = 7;
export const MQTT_EVT_UNSUBACK = 8;
export const MQTT_EVT_PINGRESP = 9;
/** MQTT 5.0 only. */
export const MQTT_EVT_AUTH = 10;

/**
 * `struct mqtt_evt`: `type`, `result` (0 or a negative errno; for CONNACK the return code), and
 * `param` holding the member of C's `union mqtt_evt_param` that goes with `type`, so that
 * `switch (evt.type)` narrows `evt.param.puback` and friends as in C.
 */
export type mqtt_evt =
  | { type: typeof MQTT_EVT_CONNACK; result: number; param: { connack: mqtt_connack_param } }
  | { type: typeof MQTT_EVT_DISCONNECT; result: number; param: { disconnect?: mqtt_disconnect_param } }
  | { type: typeof MQTT_EVT_PUBLISH; result: number; param: { publish: mqtt_publish_param } }
  | { type: typeof MQTT_EVT_PUBACK; result: number; param: { puback: mqtt_puback_param } }
  | { type: typeof MQTT_EVT_PUBREC; result: number; param: { pubrec: mqtt_pubrec_param } }
  | { type: typeof MQTT_EVT_PUBREL; result: number; param: { pubrel: mqtt_pubrel_param } }
  | { type: typeof MQTT_EVT_PUBCOMP; result: number; param: { pubcomp: mqtt_pubcomp_param } }
  | { type: typeof MQTT_EVT_SUBACK; result: number; param: { suback: mqtt_suback_param } }
  | { type: typeof MQTT_EVT_UNSUBACK; result: number; param: { unsuback: mqtt_unsuback_param } }
  | { type: typeof MQTT_EVT_PINGRESP; result: number; param: Record<string, never> }
  | { type: typeof MQTT_EVT_AUTH; result: number; param: { auth: mqtt_auth_param } };

/** `mqtt_evt_cb_t`. May return a promise (it is awaited before the library goes on). */
export type mqtt_evt_cb_t = (client: mqtt_client, evt: mqtt_evt) => void | Promise<void>;

/* enum mqtt_transport_type, with every option enabled (the values do not move with Kconfig). */
export const MQTT_TRANSPORT_NON_SECURE = 0;
/** Needs `CONFIG_MQTT_LIB_TLS`. */
export const MQTT_TRANSPORT_SECURE = 1;
/** Needs `CONFIG_MQTT_LIB_WEBSOCKET`. */
export const MQTT_TRANSPORT_NON_SECURE_WEBSOCKET = 2;
/** Needs `CONFIG_MQTT_LIB_WEBSOCKET` and `CONFIG_MQTT_LIB_TLS`. */
export const MQTT_TRANSPORT_SECURE_WEBSOCKET = 3;
/** Needs `CONFIG_MQTT_LIB_CUSTOM_TRANSPORT`. */
export const MQTT_TRANSPORT_CUSTOM = 4;
export const MQTT_TRANSPORT_NUM = 5;

/** `struct mqtt_sec_config`: the TLS options the TLS transport sets on its socket. */
export class mqtt_sec_config {
  /** `TLS_PEER_VERIFY_*`; always set (0, NONE, when left zero, as in Zephyr). */
  peer_verify = 0;
  cipher_count = 0;
  /** May be null to use the default ciphersuites. */
  cipher_list: readonly number[] | null = null;
  sec_tag_count = 0;
  sec_tag_list: readonly sec_tag_t[] | null = null;
  /** `CONFIG_MQTT_LIB_TLS_USE_ALPN`. */
  alpn_protocol_name_list: readonly string[] | null = null;
  alpn_protocol_name_count = 0;
  /** `TLS_SESSION_CACHE_ENABLED` to enable session caching. */
  session_cache = 0;
  /** Peer host name for SNI and verification; null to skip. */
  hostname: string | null = null;
  /** `TLS_CERT_NOCOPY_*`. */
  cert_nocopy = 0;
  /** Create the socket with `SOCK_NATIVE_TLS` (the host's TLS). */
  set_native_tls = false;
}

/** The part of `struct websocket_request` the MQTT websocket transport uses. */
export interface websocket_request {
  /** Host header; "localhost" when null, as Zephyr. */
  host: string | null;
  /** Request target; "/mqtt" when null, as Zephyr. */
  url: string | null;
  /**
   * Extra header lines, each ending in "\r\n". The transport sets this to the
   * `Sec-WebSocket-Protocol: mqtt` line before connecting, as Zephyr does.
   */
  optional_headers: readonly string[] | null;
}

/**
 * The application's transport for `MQTT_TRANSPORT_CUSTOM`: the functions Zephyr links as
 * `mqtt_client_custom_transport_{connect,write,write_msg,read,disconnect}`. Same contracts as the
 * socket transports: 0 or bytes, or a negative errno; `read` returns 0 when the peer closed and
 * -EAGAIN when nothing is there and `shall_block` is false.
 */
export interface mqtt_custom_transport {
  connect(client: mqtt_client): number | Promise<number>;
  write(client: mqtt_client, data: Uint8Array, datalen: number): number | Promise<number>;
  write_msg(client: mqtt_client, message: msghdr): number | Promise<number>;
  read(client: mqtt_client, data: Uint8Array, buflen: number, shall_block: boolean): number | Promise<number>;
  disconnect(client: mqtt_client): number | Promise<number>;
}

/** `struct mqtt_transport`. */
export class mqtt_transport {
  /** `MQTT_TRANSPORT_*`. */
  type = MQTT_TRANSPORT_NON_SECURE;
  /** TCP socket transport. */
  readonly tcp: { sock: number } = { sock: 0 };
  /** TLS socket transport; `tls.sock` is `tcp.sock` (a union in C). */
  readonly tls: mqtt_transport_tls = new mqtt_transport_tls(this.tcp);
  /**
   * Websocket transport (`CONFIG_MQTT_LIB_WEBSOCKET`). zsim has no websocket sockets yet, so
   * `sock` is the TCP/TLS socket the frames travel on: poll it for `ZSOCK_POLLIN` as Zephyr
   * apps poll the websocket. `timeout` bounds the opening handshake, in ms (<= 0: no limit).
   */
  readonly websocket: { config: websocket_request; sock: number; timeout: number } = {
    config: { host: null, url: null, optional_headers: null },
    sock: 0,
    timeout: 0,
  };
  /** The application's transport functions for `MQTT_TRANSPORT_CUSTOM`. */
  custom_transport: mqtt_custom_transport | null = null;
  /** User data for the custom transport (`custom_transport_data`). */
  custom_transport_data: unknown = null;
  /** SOCKS5 proxy (`CONFIG_SOCKS`), set with `mqtt_client_set_proxy`. */
  readonly proxy: { addr: sockaddr | null; addrlen: number } = { addr: null, addrlen: 0 };
}

/**
 * `transport.tls`: its `sock` is `transport.tcp.sock`, as the two are members of one union in C.
 * A class, so the accessors live on its prototype rather than as two closures on every client.
 */
export class mqtt_transport_tls {
  readonly config = new mqtt_sec_config();

  constructor(private readonly tcp: { sock: number }) {}

  get sock(): number {
    return this.tcp.sock;
  }

  set sock(v: number) {
    this.tcp.sock = v;
  }
}

/* enum mqtt_state (bits). */
export const MQTT_STATE_IDLE = 0x00;
export const MQTT_STATE_TCP_CONNECTING = 0x01;
export const MQTT_STATE_TCP_CONNECTED = 0x02;
export const MQTT_STATE_CONNECTED = 0x04;

/** `struct mqtt_internal`: state the application must not touch. */
export interface mqtt_internal {
  mutex: k_mutex;
  /** Uptime in ms of the last packet sent (keep-alive). */
  last_activity: number;
  /** `MQTT_STATE_*` bits. */
  state: number;
  /** Bytes of the packet being received that are in `rx_buf`. */
  rx_buf_datalen: number;
  /** Bytes of the last received PUBLISH payload still in the transport. */
  remaining_payload: number;
  /** 5.0 topic aliases the server set (index alias - 1). */
  topic_aliases: (Uint8Array | null)[];
  /** 5.0 reason sent in DISCONNECT when the client drops the connection for a protocol error. */
  disconnect_reason: number;
}

/** A `struct mqtt_utf8` whose pointer may be NULL (the client id before it is set). */
export interface mqtt_utf8_opt {
  utf8: Uint8Array | null;
  size: number;
}

/** `struct mqtt_client`. Create with `new mqtt_client()`, then call `mqtt_client_init`. */
export class mqtt_client {
  internal: mqtt_internal = {
    mutex: new k_mutex(),
    last_activity: 0,
    state: MQTT_STATE_IDLE,
    rx_buf_datalen: 0,
    remaining_payload: 0,
    topic_aliases: [],
    disconnect_reason: 0,
  };
  transport = new mqtt_transport();
  /** Unique client identification (a NULL `utf8` makes `mqtt_connect` fail with -EINVAL). */
  client_id: mqtt_utf8_opt = { utf8: null, size: 0 };
  /** Broker address (`struct sockaddr`), compatible with the transport. */
  broker: sockaddr | null = null;
  user_name: mqtt_utf8 | null = null;
  /** Requires `user_name` below 5.0. */
  password: mqtt_utf8 | null = null;
  /** 5.0 Will properties. */
  will_prop: mqtt_will_properties = {};
  /** Will topic and QoS. */
  will_topic: mqtt_topic | null = null;
  /** Will message; only used with `will_topic`. */
  will_message: mqtt_utf8 | null = null;
  evt_cb: mqtt_evt_cb_t | null = null;
  rx_buf: Uint8Array | null = null;
  rx_buf_size = 0;
  tx_buf: Uint8Array | null = null;
  tx_buf_size = 0;
  /** Keep-alive interval in seconds (default `CONFIG_MQTT_KEEPALIVE`). */
  keepalive = 0;
  /** `MQTT_VERSION_*`. */
  protocol_version = 0;
  /** Unanswered PINGREQ count on this connection. */
  unacked_ping = 0;
  /** 5.0 CONNECT properties. */
  prop: mqtt_connect_properties = {};
  will_retain: number | boolean = 0;
  /** Clean session (1) or persistent session (0); default `CONFIG_MQTT_CLEAN_SESSION`. */
  clean_session: number | boolean = 0;
  user_data: unknown = null;
}

/** `MQTT_HAS_STATE`. */
export function MQTT_HAS_STATE(client: mqtt_client, state: number): boolean {
  return (client.internal.state & state) !== 0;
}

/** `MQTT_SET_STATE`. */
export function MQTT_SET_STATE(client: mqtt_client, state: number): void {
  client.internal.state |= state;
}

/** `mqtt_is_version_5_0`: a 5.0 client in a build with `CONFIG_MQTT_VERSION_5_0`. */
export function mqtt_is_version_5_0(client: mqtt_client): boolean {
  const k = cpu.kernel;
  return k !== null && k.enabled('MQTT_VERSION_5_0') && client.protocol_version === MQTT_VERSION_5_0;
}

/** An empty byte string, for zeroed event parameters. */
export const EMPTY = new Uint8Array(0);

/** A zeroed `mqtt_binstr`. */
export function empty_binstr(): mqtt_binstr {
  return { data: EMPTY, len: 0 };
}

/** `client_reset`: back to idle, nothing buffered. */
export function client_reset(client: mqtt_client): void {
  client.internal.state = MQTT_STATE_IDLE;
  client.internal.last_activity = 0;
  client.internal.rx_buf_datalen = 0;
  client.internal.remaining_payload = 0;
  client.internal.topic_aliases = [];
  client.internal.disconnect_reason = 0;
}

/** `event_notify`: calls the application with the client mutex released. */
export function event_notify(client: mqtt_client, evt: mqtt_evt): Promise<void> | undefined {
  const cb = client.evt_cb;
  if (cb === null) return undefined;
  mqtt_mutex_unlock(client);
  const r = cb(client, evt);
  // A callback that returns nothing is done: lock again at once.
  if (r !== undefined && r !== null && typeof (r as PromiseLike<void>).then === 'function') {
    return Promise.resolve(r).then(() => mqtt_mutex_lock(client));
  }
  return mqtt_mutex_lock(client);
}

/**
 * `mqtt_client_disconnect`: closes the transport, resets the client and, with `notify`,
 * reports `MQTT_EVT_DISCONNECT` with `result`. A 5.0 client that is dropping the connection
 * because of a protocol error (a reason was recorded) first tells the server why.
 */
export async function mqtt_client_disconnect(client: mqtt_client, result: number, notify: boolean): Promise<void> {
  const reason = client.internal.disconnect_reason;
  if (reason !== 0 && mqtt_is_version_5_0(client) && client.tx_buf !== null) {
    const buf = client.tx_buf.subarray(0, client.tx_buf_size);
    const len = disconnect_encode(MQTT_VERSION_5_0, { reason_code: reason }, buf);
    if (len > 0) await mqtt_transport_write(client, buf, len);
  }
  const err = await mqtt_transport_disconnect(client);
  if (err < 0) NET_ERR('Failed to disconnect transport!');
  client_reset(client);
  if (notify) await event_notify(client, { type: MQTT_EVT_DISCONNECT, result, param: {} });
}

/** Zephyr's structures mean "absent" by zero; the codec by a missing field: translate. */
function connect_properties(p: mqtt_connect_properties): mqtt_connect_properties {
  const out: mqtt_connect_properties = {};
  if (p.session_expiry_interval) out.session_expiry_interval = p.session_expiry_interval;
  if (p.receive_maximum) out.receive_maximum = p.receive_maximum;
  if (p.maximum_packet_size) out.maximum_packet_size = p.maximum_packet_size;
  // Zephyr always announces the aliases it can store for the server.
  const alias_max = mqtt_cfg_int('MQTT_TOPIC_ALIAS_MAX', 5);
  if (alias_max > 0) out.topic_alias_maximum = alias_max;
  // Both flags are sent only when they differ from the protocol's default.
  if (p.request_response_info) out.request_response_info = true;
  if (!p.request_problem_info) out.request_problem_info = false;
  if (p.user_prop && p.user_prop.length > 0) out.user_prop = p.user_prop;
  if (p.auth_method && p.auth_method.size > 0) out.auth_method = p.auth_method;
  if (p.auth_data && p.auth_data.len > 0) out.auth_data = p.auth_data;
  return out;
}

function will_properties(p: mqtt_will_properties): mqtt_will_properties {
  const out: mqtt_will_properties = {};
  if (p.will_delay_interval) out.will_delay_interval = p.will_delay_interval;
  if (p.payload_format_indicator) out.payload_format_indicator = p.payload_format_indicator;
  if (p.message_expiry_interval) out.message_expiry_interval = p.message_expiry_interval;
  if (p.content_type && p.content_type.size > 0) out.content_type = p.content_type;
  if (p.response_topic && p.response_topic.size > 0) out.response_topic = p.response_topic;
  if (p.correlation_data && p.correlation_data.len > 0) out.correlation_data = p.correlation_data;
  if (p.user_prop && p.user_prop.length > 0) out.user_prop = p.user_prop;
  return out;
}

/**
 * The CONNECT parameters `connect_request_encode` takes from `struct mqtt_client`, or -ENOTSUP for
 * a 5.0 client in a build without `CONFIG_MQTT_VERSION_5_0`.
 */
export function connect_param(client: mqtt_client): mqtt_connect_param | number {
  const v5 = mqtt_is_version_5_0(client);
  // A 5.0 client needs the 5.0 build (CONFIG_MQTT_VERSION_5_0) to encode its properties.
  if (client.protocol_version === MQTT_VERSION_5_0 && !v5) return -ENOTSUP;
  const param: mqtt_connect_param = {
    protocol_version: client.protocol_version as mqtt_version,
    client_id: { utf8: client.client_id.utf8!, size: client.client_id.size },
    keepalive: client.keepalive,
    clean_session: !!client.clean_session,
    will_retain: !!client.will_retain,
  };
  if (client.will_topic !== null) {
    param.will_topic = client.will_topic;
    if (client.will_message !== null) param.will_message = client.will_message;
    if (v5) param.will_prop = will_properties(client.will_prop);
  }
  if (client.user_name !== null) param.user_name = client.user_name;
  if (client.password !== null) param.password = client.password;
  if (v5) param.prop = connect_properties(client.prop);
  return param;
}
