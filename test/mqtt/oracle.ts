/**
 * Translation between zsim's packet structures and mqtt-packet's objects, so mqtt-packet can serve
 * as an independent oracle: our bytes parsed by mqtt-packet, and mqtt-packet's bytes decoded by us,
 * must give the same fields.
 *
 * mqtt-packet has a few habits the translation has to respect: user properties are an object (so
 * names must be unique and not collide with Object.prototype, and empty values are dropped by its
 * parser), 0/1 byte properties are booleans, a single Subscription Identifier is a number, it
 * requires a user name for any password, and it checks 5.0 reason codes against the spec's lists.
 * `oracleSafe` rewrites a generated packet into that common ground.
 */

import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt-packet';
import type {
  mqtt_binstr,
  mqtt_packet,
  mqtt_topic,
  mqtt_utf8,
  mqtt_utf8_pair,
  mqtt_version,
} from '../../src/net/mqtt/index.ts';
import { u8s } from './arbitraries.ts';

type obj = Record<string, unknown>;

const td = new TextDecoder();
const str = (u: mqtt_utf8): string => td.decode(u.utf8.subarray(0, u.size));
const buf = (b: mqtt_binstr): Buffer => Buffer.from(b.data.subarray(0, b.len));
const utf8Buf = (u: mqtt_utf8): Buffer => Buffer.from(u.utf8.subarray(0, u.size));
const bin = (b: unknown): mqtt_binstr => {
  const data = new Uint8Array(b as Uint8Array);
  return { data, len: data.length };
};
const rawUtf8 = (b: unknown): mqtt_utf8 => {
  const utf8 = new Uint8Array(b as Uint8Array);
  return { utf8, size: utf8.length };
};

/* Property names and value kinds, zsim (Zephyr) name first. */
const PROPS: [string, string, 'num' | 'bool' | 'bool01' | 'str' | 'bin' | 'pairs' | 'subid'][] = [
  ['session_expiry_interval', 'sessionExpiryInterval', 'num'],
  ['receive_maximum', 'receiveMaximum', 'num'],
  ['maximum_packet_size', 'maximumPacketSize', 'num'],
  ['topic_alias_maximum', 'topicAliasMaximum', 'num'],
  ['request_response_info', 'requestResponseInformation', 'bool'],
  ['request_problem_info', 'requestProblemInformation', 'bool'],
  ['user_prop', 'userProperties', 'pairs'],
  ['auth_method', 'authenticationMethod', 'str'],
  ['auth_data', 'authenticationData', 'bin'],
  ['will_delay_interval', 'willDelayInterval', 'num'],
  ['payload_format_indicator', 'payloadFormatIndicator', 'bool01'],
  ['message_expiry_interval', 'messageExpiryInterval', 'num'],
  ['content_type', 'contentType', 'str'],
  ['response_topic', 'responseTopic', 'str'],
  ['correlation_data', 'correlationData', 'bin'],
  ['maximum_qos', 'maximumQoS', 'num'],
  ['retain_available', 'retainAvailable', 'bool01'],
  ['assigned_client_id', 'assignedClientIdentifier', 'str'],
  ['reason_string', 'reasonString', 'str'],
  ['wildcard_sub_available', 'wildcardSubscriptionAvailable', 'bool01'],
  ['subscription_ids_available', 'subscriptionIdentifiersAvailable', 'bool01'],
  ['shared_sub_available', 'sharedSubscriptionAvailable', 'bool01'],
  ['server_keep_alive', 'serverKeepAlive', 'num'],
  ['response_information', 'responseInformation', 'str'],
  ['server_reference', 'serverReference', 'str'],
  ['topic_alias', 'topicAlias', 'num'],
  ['subscription_identifier', 'subscriptionIdentifier', 'subid'],
];

function propsToTheirs(prop: object | undefined): obj | undefined {
  if (prop === undefined) return undefined;
  const ours = prop as obj;
  const out: obj = {};
  for (const [o, t, kind] of PROPS) {
    const v = ours[o];
    if (v === undefined) continue;
    switch (kind) {
      case 'num':
      case 'subid':
        out[t] = v;
        break;
      case 'bool':
        out[t] = v as boolean;
        break;
      case 'bool01':
        out[t] = v === 1;
        break;
      case 'str':
        out[t] = str(v as mqtt_utf8);
        break;
      case 'bin':
        out[t] = buf(v as mqtt_binstr);
        break;
      case 'pairs': {
        const pairs: Record<string, string> = {};
        for (const p of v as mqtt_utf8_pair[]) pairs[str(p.name)] = str(p.value);
        out[t] = pairs;
      }
    }
  }
  return out;
}

function propsFromTheirs(theirs: unknown, subIdArray: boolean): obj {
  const out: obj = {};
  if (theirs === undefined) return out;
  const t = theirs as obj;
  for (const [o, name, kind] of PROPS) {
    const v = t[name];
    if (v === undefined) continue;
    switch (kind) {
      case 'num':
        out[o] = v;
        break;
      case 'subid':
        out[o] = subIdArray ? (Array.isArray(v) ? v : [v]) : v;
        break;
      case 'bool':
        out[o] = v;
        break;
      case 'bool01':
        out[o] = v ? 1 : 0;
        break;
      case 'str':
        out[o] = u8s(v as string);
        break;
      case 'bin':
        out[o] = bin(v);
        break;
      case 'pairs':
        out[o] = Object.entries(v as Record<string, string | string[]>).flatMap(([k, x]) =>
          (Array.isArray(x) ? x : [x]).map((value) => ({ name: u8s(k), value: u8s(value) })),
        );
    }
  }
  return out;
}

const CMD: Record<number, string> = {
  0x10: 'connect', 0x20: 'connack', 0x30: 'publish', 0x40: 'puback', 0x50: 'pubrec', 0x60: 'pubrel',
  0x70: 'pubcomp', 0x80: 'subscribe', 0x90: 'suback', 0xa0: 'unsubscribe', 0xb0: 'unsuback',
  0xc0: 'pingreq', 0xd0: 'pingresp', 0xe0: 'disconnect', 0xf0: 'auth',
};
const TYPE: Record<string, number> = Object.fromEntries(Object.entries(CMD).map(([k, v]) => [v, Number(k)]));

/** Drops undefined fields, which mqtt-packet's generator does not all tolerate. */
function compact(o: obj): obj {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Our packet as an mqtt-packet object. */
export function toTheirs(v: mqtt_version, pkt: mqtt_packet): Packet {
  const cmd = CMD[pkt.type];
  const v5 = v === 5;
  let o: obj;
  switch (pkt.type) {
    case 0x10: {
      const p = pkt.param;
      o = {
        protocolId: p.protocol_version === 3 ? 'MQIsdp' : 'MQTT',
        protocolVersion: p.protocol_version,
        clean: p.clean_session,
        keepalive: p.keepalive,
        clientId: str(p.client_id),
        username: p.user_name && str(p.user_name),
        password: p.password && utf8Buf(p.password),
        properties: propsToTheirs(p.prop),
        will:
          p.will_topic &&
          compact({
            topic: str(p.will_topic.topic),
            qos: p.will_topic.qos,
            retain: p.will_retain,
            payload: utf8Buf(p.will_message ?? u8s('')),
            properties: propsToTheirs(p.will_prop),
          }),
      };
      break;
    }
    case 0x20:
      o = v5
        ? { sessionPresent: pkt.param.session_present_flag, reasonCode: pkt.param.return_code, properties: propsToTheirs(pkt.param.prop) }
        : { sessionPresent: pkt.param.session_present_flag, returnCode: pkt.param.return_code };
      break;
    case 0x30: {
      const p = pkt.param;
      o = {
        topic: str(p.message.topic.topic),
        payload: buf(p.message.payload),
        qos: p.message.topic.qos,
        dup: p.dup_flag,
        retain: p.retain_flag,
        messageId: p.message.topic.qos > 0 ? p.message_id : undefined,
        properties: propsToTheirs(p.prop),
      };
      break;
    }
    case 0x40:
    case 0x50:
    case 0x60:
    case 0x70:
      o = { messageId: pkt.param.message_id, reasonCode: pkt.param.reason_code, properties: propsToTheirs(pkt.param.prop) };
      break;
    case 0x80:
      o = {
        messageId: pkt.param.message_id,
        subscriptions: pkt.param.list.map((t) =>
          v5
            ? { topic: str(t.topic), qos: t.qos, nl: t.no_local, rap: t.retain_as_published, rh: t.retain_handling }
            : { topic: str(t.topic), qos: t.qos },
        ),
        properties: propsToTheirs(pkt.param.prop),
      };
      break;
    case 0x90:
      o = { messageId: pkt.param.message_id, granted: Array.from(pkt.param.return_codes.data), properties: propsToTheirs(pkt.param.prop) };
      break;
    case 0xa0:
      o = { messageId: pkt.param.message_id, unsubscriptions: pkt.param.list.map((t) => str(t.topic)), properties: propsToTheirs(pkt.param.prop) };
      break;
    case 0xb0:
      o = {
        messageId: pkt.param.message_id,
        granted: pkt.param.reason_codes && Array.from(pkt.param.reason_codes.data),
        properties: propsToTheirs(pkt.param.prop),
      };
      break;
    case 0xe0:
      o = v5 ? { reasonCode: pkt.param.reason_code, properties: propsToTheirs(pkt.param.prop) } : {};
      break;
    case 0xf0:
      o = { reasonCode: pkt.param.reason_code, properties: propsToTheirs(pkt.param.prop) };
      break;
    default:
      o = {};
  }
  return compact({ cmd, ...o }) as unknown as Packet;
}

/** An mqtt-packet object as our packet, in our decoder's canonical form. */
export function fromTheirs(v: mqtt_version, packet: Packet): mqtt_packet {
  const t = packet as unknown as obj;
  const type = TYPE[t.cmd as string];
  const v5 = v === 5;
  const props = (subIdArray = false) => propsFromTheirs(t.properties, subIdArray);
  const withProps = <T extends object>(param: T, subIdArray = false): T => (v5 ? { ...param, prop: props(subIdArray) } : param);
  const ack = () => (v5 ? { message_id: t.messageId as number, reason_code: (t.reasonCode as number) ?? 0, prop: props() } : { message_id: t.messageId as number });
  switch (type) {
    case 0x10: {
      const will = t.will as obj | undefined;
      const version = t.protocolVersion as mqtt_version;
      const p: obj = {
        protocol_version: version,
        client_id: u8s(t.clientId as string),
        keepalive: t.keepalive,
        clean_session: t.clean,
        will_retain: will !== undefined && will.retain === true,
      };
      if (version === 5) p.prop = props();
      if (will !== undefined) {
        p.will_topic = { topic: u8s(will.topic as string), qos: will.qos };
        p.will_message = rawUtf8(will.payload);
        if (version === 5) p.will_prop = propsFromTheirs(will.properties, false);
      }
      if (t.username !== undefined) p.user_name = u8s(t.username as string);
      if (t.password !== undefined) p.password = rawUtf8(t.password);
      return { type: 0x10, param: p } as unknown as mqtt_packet;
    }
    case 0x20:
      return {
        type,
        param: withProps({ session_present_flag: t.sessionPresent as boolean, return_code: (v5 ? t.reasonCode : t.returnCode) as number }),
      };
    case 0x30: {
      const qos = t.qos as 0 | 1 | 2;
      const param = {
        message: { topic: { topic: u8s(t.topic as string), qos }, payload: bin(t.payload) },
        message_id: qos > 0 ? (t.messageId as number) : 0,
        dup_flag: t.dup as boolean,
        retain_flag: t.retain as boolean,
      };
      return { type, param: withProps(param, true) };
    }
    case 0x40:
    case 0x50:
    case 0x60:
    case 0x70:
      return { type, param: ack() } as mqtt_packet;
    case 0x80: {
      const list = (t.subscriptions as obj[]).map((s): mqtt_topic =>
        v5
          ? { topic: u8s(s.topic as string), qos: s.qos as 0, no_local: s.nl as boolean, retain_as_published: s.rap as boolean, retain_handling: s.rh as 0 }
          : { topic: u8s(s.topic as string), qos: s.qos as 0 },
      );
      return { type, param: withProps({ list, list_count: list.length, message_id: t.messageId as number }) };
    }
    case 0x90:
      return { type, param: withProps({ message_id: t.messageId as number, return_codes: bin(Uint8Array.from(t.granted as number[])) }) };
    case 0xa0: {
      const list = (t.unsubscriptions as string[]).map((s): mqtt_topic => ({ topic: u8s(s), qos: 0 }));
      return { type, param: withProps({ list, list_count: list.length, message_id: t.messageId as number }) };
    }
    case 0xb0:
      return v5
        ? { type, param: { message_id: t.messageId as number, reason_codes: bin(Uint8Array.from(t.granted as number[])), prop: props() } }
        : { type, param: { message_id: t.messageId as number } };
    case 0xc0:
    case 0xd0:
      return { type } as mqtt_packet;
    case 0xe0:
      return { type, param: v5 ? { reason_code: (t.reasonCode as number) ?? 0, prop: props() } : {} };
    default:
      return { type: 0xf0, param: { reason_code: (t.reasonCode as number) ?? 0, prop: props() } };
  }
}

/** Parses `bytes` with mqtt-packet; throws on a parse error or if it is not exactly one packet. */
export function theirParse(v: mqtt_version, bytes: Uint8Array): Packet {
  const parser = mqttPacket.parser({ protocolVersion: v });
  const packets: Packet[] = [];
  let error: unknown;
  parser.on('packet', (p: Packet) => packets.push(p));
  parser.on('error', (e: unknown) => {
    error = e;
  });
  parser.parse(Buffer.from(bytes));
  if (error !== undefined) throw error;
  if (packets.length !== 1) throw new Error(`mqtt-packet parsed ${packets.length} packets`);
  return packets[0];
}

/** Generates bytes with mqtt-packet. */
export function theirGenerate(v: mqtt_version, pkt: Packet): Uint8Array {
  return new Uint8Array(mqttPacket.generate(pkt, { protocolVersion: v }));
}

const CODES: Record<number, number[]> = {
  0x20: [0, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 140, 144, 149, 151, 153, 154, 155, 156, 157, 159],
  0x40: [0, 16, 128, 131, 135, 144, 145, 151, 153],
  0x50: [0, 16, 128, 131, 135, 144, 145, 151, 153],
  0x60: [0, 146],
  0x70: [0, 146],
  0x90: [0, 1, 2, 128, 131, 135, 143, 145, 151, 158, 161, 162],
  0xb0: [0, 17, 128, 131, 135, 143, 145],
  0xe0: [0, 4, 128, 129, 130, 131, 135, 137, 139, 141, 142, 143, 144, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162],
  0xf0: [0, 24, 25],
};
const pick = (type: number, code: number): number => CODES[type][code % CODES[type].length];

function safePairs(prop: object | undefined): void {
  const p = prop as { user_prop?: mqtt_utf8_pair[] } | undefined;
  if (p?.user_prop === undefined) return;
  p.user_prop = p.user_prop.map((x, i) => ({ name: u8s(`k${i}`), value: x.value.size > 0 ? x.value : u8s('v') }));
}

/** A copy of a generated packet rewritten into what both codecs accept the same way. */
export function oracleSafe(v: mqtt_version, pkt: mqtt_packet): mqtt_packet {
  const p = structuredClone(pkt);
  if (!('param' in p)) return p;
  const param = p.param as obj;
  safePairs(param.prop as object | undefined);
  safePairs(param.will_prop as object | undefined);
  switch (p.type) {
    case 0x10:
      if (p.param.password !== undefined && p.param.user_name === undefined) delete p.param.password;
      if (p.param.client_id.size === 0) p.param.client_id = u8s('c');
      break;
    case 0x20:
      p.param.return_code = v === 5 ? pick(0x20, p.param.return_code) : p.param.return_code % 6;
      break;
    case 0x90: {
      const codes = Array.from(p.param.return_codes.data, (c) => (v === 5 ? pick(0x90, c) : c));
      p.param.return_codes = bin(Uint8Array.from(codes.length > 0 ? codes : [0]));
      break;
    }
    case 0xb0:
      if (p.param.reason_codes !== undefined) {
        const codes = Array.from(p.param.reason_codes.data, (c) => pick(0xb0, c));
        p.param.reason_codes = bin(Uint8Array.from(codes.length > 0 ? codes : [0]));
      }
      break;
    default:
      if (v === 5 && 'reason_code' in param && CODES[p.type] !== undefined) param.reason_code = pick(p.type, param.reason_code as number);
  }
  return p;
}
