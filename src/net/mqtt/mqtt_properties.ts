/**
 * MQTT 5.0 properties (section 2.2.2): one table of every property, and per-packet sets saying
 * which properties a packet may carry and in which order the encoder writes them (Zephyr's order,
 * so the encoder reproduces Zephyr's bytes).
 *
 * Decoding rules (Zephyr's `properties_decode` plus the checks the spec requires of a receiver):
 * - a property that runs past the property length, or a property length past the packet: -EINVAL;
 * - an unknown identifier, or one the packet may not carry: -EBADMSG (Zephyr: "Unsupported property");
 * - a property twice, other than User Property and PUBLISH's Subscription Identifier: -EBADMSG
 *   (Zephyr keeps the last one; the spec calls it a Protocol Error);
 * - a value the spec calls a Protocol Error (a 0/1 byte that is neither, Receive Maximum, Maximum
 *   Packet Size, Topic Alias or Subscription Identifier of 0), or a string that is not valid UTF-8:
 *   -EBADMSG.
 * The encoder rejects the same values with -EINVAL, so whatever it writes decodes again.
 */

import { EBADMSG, EINVAL } from '../../libc/errno.ts';
import type { buf_ctx } from './mqtt_internal.ts';
import { MQTT_MAX_PAYLOAD_SIZE } from './mqtt_internal.ts';
import {
  bin_data_size,
  int_in_range,
  pack_bin_data,
  pack_uint16,
  pack_uint32,
  pack_uint8,
  pack_utf8_str,
  pack_variable_int,
  utf8_str_size,
  variable_int_size,
} from './mqtt_pack.ts';
import type {
  mqtt_auth_properties,
  mqtt_binstr,
  mqtt_common_ack_properties,
  mqtt_connack_properties,
  mqtt_connect_properties,
  mqtt_disconnect_properties,
  mqtt_publish_properties,
  mqtt_subscription_properties,
  mqtt_utf8,
  mqtt_utf8_pair,
  mqtt_will_properties,
} from './mqtt_types.ts';
import { unpack_binary_data, unpack_utf8_str, unpack_variable_int } from './mqtt_unpack.ts';

/* Property identifiers (Zephyr's MQTT_PROP_* names). */
export const MQTT_PROP_PAYLOAD_FORMAT_INDICATOR = 0x01;
export const MQTT_PROP_MESSAGE_EXPIRY_INTERVAL = 0x02;
export const MQTT_PROP_CONTENT_TYPE = 0x03;
export const MQTT_PROP_RESPONSE_TOPIC = 0x08;
export const MQTT_PROP_CORRELATION_DATA = 0x09;
export const MQTT_PROP_SUBSCRIPTION_IDENTIFIER = 0x0b;
export const MQTT_PROP_SESSION_EXPIRY_INTERVAL = 0x11;
export const MQTT_PROP_ASSIGNED_CLIENT_IDENTIFIER = 0x12;
export const MQTT_PROP_SERVER_KEEP_ALIVE = 0x13;
export const MQTT_PROP_AUTHENTICATION_METHOD = 0x15;
export const MQTT_PROP_AUTHENTICATION_DATA = 0x16;
export const MQTT_PROP_REQUEST_PROBLEM_INFORMATION = 0x17;
export const MQTT_PROP_WILL_DELAY_INTERVAL = 0x18;
export const MQTT_PROP_REQUEST_RESPONSE_INFORMATION = 0x19;
export const MQTT_PROP_RESPONSE_INFORMATION = 0x1a;
export const MQTT_PROP_SERVER_REFERENCE = 0x1c;
export const MQTT_PROP_REASON_STRING = 0x1f;
export const MQTT_PROP_RECEIVE_MAXIMUM = 0x21;
export const MQTT_PROP_TOPIC_ALIAS_MAXIMUM = 0x22;
export const MQTT_PROP_TOPIC_ALIAS = 0x23;
export const MQTT_PROP_MAXIMUM_QOS = 0x24;
export const MQTT_PROP_RETAIN_AVAILABLE = 0x25;
export const MQTT_PROP_USER_PROPERTY = 0x26;
export const MQTT_PROP_MAXIMUM_PACKET_SIZE = 0x27;
export const MQTT_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE = 0x28;
export const MQTT_PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE = 0x29;
export const MQTT_PROP_SHARED_SUBSCRIPTION_AVAILABLE = 0x2a;

/* Value kinds. The *NZ kinds are those for which 0 is a Protocol Error. */
const K_BYTE01 = 1; // byte that must be 0 or 1, a number in JS
const K_BOOL = 2; // byte that must be 0 or 1, a boolean in JS
const K_U16 = 3;
const K_U16NZ = 4;
const K_U32 = 5;
const K_U32NZ = 6;
const K_VARNZ = 7;
const K_UTF8 = 8;
const K_BIN = 9;
const K_PAIR = 10;

const NAMES: string[] = [];
const KINDS = new Uint8Array(64);
function def(id: number, name: string, kind: number): void {
  NAMES[id] = name;
  KINDS[id] = kind;
}
def(MQTT_PROP_PAYLOAD_FORMAT_INDICATOR, 'payload_format_indicator', K_BYTE01);
def(MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, 'message_expiry_interval', K_U32);
def(MQTT_PROP_CONTENT_TYPE, 'content_type', K_UTF8);
def(MQTT_PROP_RESPONSE_TOPIC, 'response_topic', K_UTF8);
def(MQTT_PROP_CORRELATION_DATA, 'correlation_data', K_BIN);
def(MQTT_PROP_SUBSCRIPTION_IDENTIFIER, 'subscription_identifier', K_VARNZ);
def(MQTT_PROP_SESSION_EXPIRY_INTERVAL, 'session_expiry_interval', K_U32);
def(MQTT_PROP_ASSIGNED_CLIENT_IDENTIFIER, 'assigned_client_id', K_UTF8);
def(MQTT_PROP_SERVER_KEEP_ALIVE, 'server_keep_alive', K_U16);
def(MQTT_PROP_AUTHENTICATION_METHOD, 'auth_method', K_UTF8);
def(MQTT_PROP_AUTHENTICATION_DATA, 'auth_data', K_BIN);
def(MQTT_PROP_REQUEST_PROBLEM_INFORMATION, 'request_problem_info', K_BOOL);
def(MQTT_PROP_WILL_DELAY_INTERVAL, 'will_delay_interval', K_U32);
def(MQTT_PROP_REQUEST_RESPONSE_INFORMATION, 'request_response_info', K_BOOL);
def(MQTT_PROP_RESPONSE_INFORMATION, 'response_information', K_UTF8);
def(MQTT_PROP_SERVER_REFERENCE, 'server_reference', K_UTF8);
def(MQTT_PROP_REASON_STRING, 'reason_string', K_UTF8);
def(MQTT_PROP_RECEIVE_MAXIMUM, 'receive_maximum', K_U16NZ);
def(MQTT_PROP_TOPIC_ALIAS_MAXIMUM, 'topic_alias_maximum', K_U16);
def(MQTT_PROP_TOPIC_ALIAS, 'topic_alias', K_U16NZ);
def(MQTT_PROP_MAXIMUM_QOS, 'maximum_qos', K_BYTE01);
def(MQTT_PROP_RETAIN_AVAILABLE, 'retain_available', K_BYTE01);
def(MQTT_PROP_USER_PROPERTY, 'user_prop', K_PAIR);
def(MQTT_PROP_MAXIMUM_PACKET_SIZE, 'maximum_packet_size', K_U32NZ);
def(MQTT_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE, 'wildcard_sub_available', K_BYTE01);
def(MQTT_PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE, 'subscription_ids_available', K_BYTE01);
def(MQTT_PROP_SHARED_SUBSCRIPTION_AVAILABLE, 'shared_sub_available', K_BYTE01);

/** The properties one packet may carry; `T` is the matching property structure. */
export interface prop_set<T extends object> {
  /** Identifiers in encoding order. */
  readonly order: readonly number[];
  /** `allowed[id]` is 1 if the packet may carry property `id`. */
  readonly allowed: Uint8Array;
  /** Subscription Identifier may repeat and is an array (PUBLISH only). */
  readonly multi_sub_id: boolean;
  /** Phantom field tying the set to its structure type. */
  readonly _type?: T;
}

function set<T extends object>(order: number[], multi_sub_id = false): prop_set<T> {
  const allowed = new Uint8Array(64);
  for (const id of order) allowed[id] = 1;
  return { order, allowed, multi_sub_id };
}

export const CONNECT_PROPS = set<mqtt_connect_properties>([0x11, 0x21, 0x27, 0x22, 0x19, 0x17, 0x26, 0x15, 0x16]);
export const WILL_PROPS = set<mqtt_will_properties>([0x18, 0x01, 0x02, 0x03, 0x08, 0x09, 0x26]);
export const CONNACK_PROPS = set<mqtt_connack_properties>([
  0x11, 0x21, 0x24, 0x25, 0x27, 0x12, 0x22, 0x1f, 0x26, 0x28, 0x29, 0x2a, 0x13, 0x1a, 0x1c, 0x15, 0x16,
]);
export const PUBLISH_PROPS = set<mqtt_publish_properties>([0x01, 0x02, 0x23, 0x08, 0x09, 0x26, 0x0b, 0x03], true);
export const ACK_PROPS = set<mqtt_common_ack_properties>([0x26, 0x1f]);
export const SUBSCRIBE_PROPS = set<mqtt_subscription_properties>([0x0b, 0x26]);
export const UNSUBSCRIBE_PROPS = set<mqtt_subscription_properties>([0x26]);
export const DISCONNECT_PROPS = set<mqtt_disconnect_properties>([0x11, 0x1f, 0x26, 0x1c]);
export const AUTH_PROPS = set<mqtt_auth_properties>([0x15, 0x16, 0x1f, 0x26]);

type prop_bag = Record<string, unknown>;

function value_size(kind: number, v: unknown): number {
  switch (kind) {
    case K_BYTE01:
      return int_in_range(v, 0, 1) ? 2 : -1;
    case K_BOOL:
      return typeof v === 'boolean' ? 2 : -1;
    case K_U16:
      return int_in_range(v, 0, 0xffff) ? 3 : -1;
    case K_U16NZ:
      return int_in_range(v, 1, 0xffff) ? 3 : -1;
    case K_U32:
      return int_in_range(v, 0, 0xffffffff) ? 5 : -1;
    case K_U32NZ:
      return int_in_range(v, 1, 0xffffffff) ? 5 : -1;
    case K_VARNZ:
      return int_in_range(v, 1, MQTT_MAX_PAYLOAD_SIZE) ? 1 + variable_int_size(v) : -1;
    case K_UTF8: {
      const n = utf8_str_size(v as mqtt_utf8);
      return n < 0 ? -1 : 1 + n;
    }
    case K_BIN: {
      const n = bin_data_size(v as mqtt_binstr);
      return n < 0 ? -1 : 1 + n;
    }
    default: {
      const p = v as mqtt_utf8_pair;
      const a = utf8_str_size(p.name);
      const b = utf8_str_size(p.value);
      return a < 0 || b < 0 ? -1 : 1 + a + b;
    }
  }
}

/**
 * Size of the properties of `prop` that `s` allows, without the length prefix, or -EINVAL if a value
 * is out of range. Fields of `prop` that `s` does not list are ignored.
 */
export function properties_length<T extends object>(s: prop_set<T>, prop: T | undefined): number {
  if (prop === undefined) return 0;
  const bag = prop as prop_bag;
  let total = 0;
  for (const id of s.order) {
    const v = bag[NAMES[id]];
    if (v === undefined) continue;
    const kind = KINDS[id];
    if (kind === K_PAIR || (kind === K_VARNZ && s.multi_sub_id)) {
      if (!Array.isArray(v)) return -EINVAL;
      for (const item of v) {
        const n = value_size(kind, item);
        if (n < 0) return -EINVAL;
        total += n;
      }
    } else {
      const n = value_size(kind, v);
      if (n < 0) return -EINVAL;
      total += n;
    }
  }
  return total <= MQTT_MAX_PAYLOAD_SIZE ? total : -EINVAL;
}

function pack_value(b: Uint8Array, pos: number, id: number, kind: number, v: unknown): number {
  b[pos++] = id;
  switch (kind) {
    case K_BYTE01:
      return pack_uint8(b, pos, v as number);
    case K_BOOL:
      return pack_uint8(b, pos, v ? 1 : 0);
    case K_U16:
    case K_U16NZ:
      return pack_uint16(b, pos, v as number);
    case K_U32:
    case K_U32NZ:
      return pack_uint32(b, pos, v as number);
    case K_VARNZ:
      return pack_variable_int(b, pos, v as number);
    case K_UTF8:
      return pack_utf8_str(b, pos, v as mqtt_utf8);
    case K_BIN:
      return pack_bin_data(b, pos, v as mqtt_binstr);
    default: {
      const p = v as mqtt_utf8_pair;
      return pack_utf8_str(b, pack_utf8_str(b, pos, p.name), p.value);
    }
  }
}

/**
 * Writes the property length `len` (from `properties_length`) and the properties at `b[pos]`;
 * returns the position after them. The caller has checked that they fit.
 */
export function properties_encode<T extends object>(
  s: prop_set<T>,
  prop: T | undefined,
  len: number,
  b: Uint8Array,
  pos: number,
): number {
  pos = pack_variable_int(b, pos, len);
  if (prop === undefined || len === 0) return pos;
  const bag = prop as prop_bag;
  for (const id of s.order) {
    const v = bag[NAMES[id]];
    if (v === undefined) continue;
    const kind = KINDS[id];
    if (kind === K_PAIR || (kind === K_VARNZ && s.multi_sub_id)) {
      for (const item of v as unknown[]) pos = pack_value(b, pos, id, kind, item);
    } else {
      pos = pack_value(b, pos, id, kind, v);
    }
  }
  return pos;
}

/** Reads one value of `kind` bounded by `ctx.end`; returns it or a negative errno. */
function unpack_value(ctx: buf_ctx, kind: number): unknown {
  const b = ctx.buf;
  const cur = ctx.cur;
  const avail = ctx.end - cur;
  switch (kind) {
    case K_BYTE01:
    case K_BOOL: {
      if (avail < 1) return -EINVAL;
      const v = b[cur];
      if (v > 1) return -EBADMSG;
      ctx.cur = cur + 1;
      return kind === K_BOOL ? v === 1 : v;
    }
    case K_U16:
    case K_U16NZ: {
      if (avail < 2) return -EINVAL;
      const v = (b[cur] << 8) | b[cur + 1];
      if (v === 0 && kind === K_U16NZ) return -EBADMSG;
      ctx.cur = cur + 2;
      return v;
    }
    case K_U32:
    case K_U32NZ: {
      if (avail < 4) return -EINVAL;
      const v = ((b[cur] << 24) | (b[cur + 1] << 16) | (b[cur + 2] << 8) | b[cur + 3]) >>> 0;
      if (v === 0 && kind === K_U32NZ) return -EBADMSG;
      ctx.cur = cur + 4;
      return v;
    }
    case K_VARNZ: {
      const v = unpack_variable_int(ctx);
      if (v < 0) return -EINVAL;
      return v === 0 ? -EBADMSG : v;
    }
    case K_UTF8:
      return unpack_utf8_str(ctx, true);
    case K_BIN:
      return unpack_binary_data(ctx);
    default: {
      const name = unpack_utf8_str(ctx, true);
      if (typeof name === 'number') return name;
      const value = unpack_utf8_str(ctx, true);
      if (typeof value === 'number') return value;
      return { name, value };
    }
  }
}

/**
 * Decodes a property length and the properties after it at `ctx.cur`, allowing only those of `s`.
 * Returns the decoded structure (values are views into `ctx.buf`) or a negative errno; `ctx.cur`
 * ends after the properties.
 */
export function properties_decode<T extends object>(s: prop_set<T>, ctx: buf_ctx): T | number {
  const len = unpack_variable_int(ctx);
  if (len < 0) return -EINVAL;
  const end = ctx.cur + len;
  if (end > ctx.end) return -EINVAL;
  const out: prop_bag = {};
  if (len === 0) return out as T;
  const packet_end = ctx.end;
  ctx.end = end;
  let seen_lo = 0;
  let seen_hi = 0;
  const b = ctx.buf;
  let err = 0;
  while (ctx.cur < end) {
    const id = b[ctx.cur++];
    if (id >= 64 || s.allowed[id] === 0) {
      err = -EBADMSG;
      break;
    }
    const kind = KINDS[id];
    const repeatable = kind === K_PAIR || (kind === K_VARNZ && s.multi_sub_id);
    if (!repeatable) {
      const bit = 1 << (id & 31);
      if (id < 32) {
        if (seen_lo & bit) {
          err = -EBADMSG;
          break;
        }
        seen_lo |= bit;
      } else {
        if (seen_hi & bit) {
          err = -EBADMSG;
          break;
        }
        seen_hi |= bit;
      }
    }
    const v = unpack_value(ctx, kind);
    if (typeof v === 'number' && v < 0) {
      err = v;
      break;
    }
    const name = NAMES[id];
    if (repeatable) {
      const list = out[name] as unknown[] | undefined;
      if (list === undefined) out[name] = [v];
      else list.push(v);
    } else {
      out[name] = v;
    }
  }
  ctx.end = packet_end;
  return err < 0 ? err : (out as T);
}
