/**
 * Decoders for the packets only a server receives (CONNECT, SUBSCRIBE, UNSUBSCRIBE), which
 * Zephyr's client library never decodes; a simulated broker and the tests need them. Same
 * conventions and error numbers as `mqtt_decoder.ts`.
 */

import { EBADMSG, EPROTONOSUPPORT } from '../../libc/errno.ts';
import type { buf_ctx } from './mqtt_internal.ts';
import {
  MQTT_CONNECT_FLAG_CLEAN_SESSION,
  MQTT_CONNECT_FLAG_PASSWORD,
  MQTT_CONNECT_FLAG_RESERVED,
  MQTT_CONNECT_FLAG_USERNAME,
  MQTT_CONNECT_FLAG_WILL_QOS_MASK,
  MQTT_CONNECT_FLAG_WILL_RETAIN,
  MQTT_CONNECT_FLAG_WILL_TOPIC,
} from './mqtt_internal.ts';
import { unpack_message_id } from './mqtt_decoder.ts';
import {
  CONNECT_PROPS,
  SUBSCRIBE_PROPS,
  UNSUBSCRIBE_PROPS,
  WILL_PROPS,
  properties_decode,
} from './mqtt_properties.ts';
import type { mqtt_qos, mqtt_retain_handling, mqtt_version } from './mqtt_reason_codes.ts';
import { MQTT_VERSION_3_1_0, MQTT_VERSION_3_1_1, MQTT_VERSION_5_0 } from './mqtt_reason_codes.ts';
import type {
  mqtt_connect_param,
  mqtt_subscription_list,
  mqtt_subscription_properties,
  mqtt_topic,
  mqtt_utf8,
} from './mqtt_types.ts';
import { unpack_uint16, unpack_uint8, unpack_utf8_str } from './mqtt_unpack.ts';

/** The protocol level a CONNECT's protocol name and level select, or -EPROTONOSUPPORT. */
function protocol_level(name: mqtt_utf8, level: number): number {
  const b = name.utf8;
  // "MQTT" with level 4 or 5, or 3.1's "MQIsdp" with level 3.
  if (name.size === 4 && b[0] === 0x4d && b[1] === 0x51 && b[2] === 0x54 && b[3] === 0x54) {
    if (level === MQTT_VERSION_3_1_1 || level === MQTT_VERSION_5_0) return level;
  } else if (
    name.size === 6 &&
    b[0] === 0x4d &&
    b[1] === 0x51 &&
    b[2] === 0x49 &&
    b[3] === 0x73 &&
    b[4] === 0x64 &&
    b[5] === 0x70 &&
    level === MQTT_VERSION_3_1_0
  ) {
    return level;
  }
  return -EPROTONOSUPPORT;
}

/**
 * CONNECT. The protocol version comes from the packet itself (a server learns it here), so this
 * takes none. An unknown protocol name or level is -EPROTONOSUPPORT, so a broker can answer with
 * CONNACK "unacceptable protocol version" [MQTT-3.1.2-2]. Flag errors (reserved bit, will QoS 3,
 * will QoS or retain without a will, a 3.1.x password without a user name) are -EBADMSG. The will
 * message and password are binary and not UTF-8 checked.
 */
export function connect_request_decode(ctx: buf_ctx): mqtt_connect_param | number {
  const name = unpack_utf8_str(ctx, false);
  if (typeof name === 'number') return name;
  const level = unpack_uint8(ctx);
  if (level < 0) return level;
  const version = protocol_level(name, level);
  if (version < 0) return version;
  const flags = unpack_uint8(ctx);
  if (flags < 0) return flags;
  const will = (flags & MQTT_CONNECT_FLAG_WILL_TOPIC) !== 0;
  const will_qos = (flags & MQTT_CONNECT_FLAG_WILL_QOS_MASK) >> 3;
  const will_retain = (flags & MQTT_CONNECT_FLAG_WILL_RETAIN) !== 0;
  const has_user = (flags & MQTT_CONNECT_FLAG_USERNAME) !== 0;
  const has_password = (flags & MQTT_CONNECT_FLAG_PASSWORD) !== 0;
  if ((flags & MQTT_CONNECT_FLAG_RESERVED) !== 0 || will_qos === 3) return -EBADMSG;
  if (!will && (will_qos !== 0 || will_retain)) return -EBADMSG;
  if (version !== MQTT_VERSION_5_0 && has_password && !has_user) return -EBADMSG;
  const keepalive = unpack_uint16(ctx);
  if (keepalive < 0) return keepalive;
  const param: mqtt_connect_param = {
    protocol_version: version as mqtt_version,
    client_id: { utf8: ctx.buf.subarray(0, 0), size: 0 },
    keepalive,
    clean_session: (flags & MQTT_CONNECT_FLAG_CLEAN_SESSION) !== 0,
    will_retain,
  };
  if (version === MQTT_VERSION_5_0) {
    const prop = properties_decode(CONNECT_PROPS, ctx);
    if (typeof prop === 'number') return prop;
    param.prop = prop;
  }
  const client_id = unpack_utf8_str(ctx, true);
  if (typeof client_id === 'number') return client_id;
  param.client_id = client_id;
  if (will) {
    if (version === MQTT_VERSION_5_0) {
      const prop = properties_decode(WILL_PROPS, ctx);
      if (typeof prop === 'number') return prop;
      param.will_prop = prop;
    }
    const topic = unpack_utf8_str(ctx, true);
    if (typeof topic === 'number') return topic;
    const message = unpack_utf8_str(ctx, false);
    if (typeof message === 'number') return message;
    param.will_topic = { topic, qos: will_qos as mqtt_qos };
    param.will_message = message;
  }
  if (has_user) {
    const user_name = unpack_utf8_str(ctx, true);
    if (typeof user_name === 'number') return user_name;
    param.user_name = user_name;
  }
  if (has_password) {
    const password = unpack_utf8_str(ctx, false);
    if (typeof password === 'number') return password;
    param.password = password;
  }
  return ctx.cur === ctx.end ? param : -EBADMSG;
}

/** A non-empty, valid UTF-8 topic filter [MQTT-4.7.3-1]. */
function unpack_topic_filter(ctx: buf_ctx): mqtt_utf8 | number {
  const t = unpack_utf8_str(ctx, true);
  if (typeof t === 'number') return t;
  return t.size === 0 ? -EBADMSG : t;
}

function subscription_list_decode(subscribe: boolean, version: number, ctx: buf_ctx): mqtt_subscription_list | number {
  const message_id = unpack_message_id(ctx);
  if (message_id < 0) return message_id;
  const v5 = version === MQTT_VERSION_5_0;
  let prop: mqtt_subscription_properties | undefined;
  if (v5) {
    const p = properties_decode(subscribe ? SUBSCRIBE_PROPS : UNSUBSCRIBE_PROPS, ctx);
    if (typeof p === 'number') return p;
    prop = p;
  }
  const list: mqtt_topic[] = [];
  while (ctx.cur < ctx.end) {
    const topic = unpack_topic_filter(ctx);
    if (typeof topic === 'number') return topic;
    if (!subscribe) {
      list.push({ topic, qos: 0 });
      continue;
    }
    const options = unpack_uint8(ctx);
    if (options < 0) return options;
    const qos = options & 0x03;
    // Reserved option bits set, QoS 3 or Retain Handling 3 make the packet malformed (3.8.3.1).
    if (qos === 3 || (options & (v5 ? 0xc0 : 0xfc)) !== 0) return -EBADMSG;
    if (!v5) {
      list.push({ topic, qos: qos as mqtt_qos });
      continue;
    }
    const retain_handling = (options >> 4) & 0x03;
    if (retain_handling === 3) return -EBADMSG;
    list.push({
      topic,
      qos: qos as mqtt_qos,
      no_local: (options & 0x04) !== 0,
      retain_as_published: (options & 0x08) !== 0,
      retain_handling: retain_handling as mqtt_retain_handling,
    });
  }
  // At least one topic filter [MQTT-3.8.3-3], [MQTT-3.10.3-2].
  if (list.length === 0) return -EBADMSG;
  const param: mqtt_subscription_list = { list, list_count: list.length, message_id };
  if (prop !== undefined) param.prop = prop;
  return param;
}

/** SUBSCRIBE. For 5.0 each `mqtt_topic` carries all three subscription options. */
export function subscribe_decode(version: number, ctx: buf_ctx): mqtt_subscription_list | number {
  return subscription_list_decode(true, version, ctx);
}

/** UNSUBSCRIBE. Each `mqtt_topic.qos` is 0. */
export function unsubscribe_decode(version: number, ctx: buf_ctx): mqtt_subscription_list | number {
  return subscription_list_decode(false, version, ctx);
}
