/**
 * `MQTT_MatchTopic` of coreMQTT's `core_mqtt.h`: whether a topic name matches a topic filter with
 * MQTT 3.1.1's wildcards (section 4.7). Pure, byte-wise (every character that matters is ASCII,
 * and UTF-8 never reuses ASCII bytes inside a multi-byte character).
 *
 * Matching follows coreMQTT: an exact byte match always matches; a name starting with `$` never
 * matches a filter starting with a wildcard [MQTT-4.7.2-1]; `+` matches one level, empty ones
 * included; `#` matches the parent level and everything below it, and only as a whole last
 * level; a wildcard anywhere else is an ordinary character (so it matches nothing real).
 */
import { MQTTBadParameter, MQTTSuccess, mqttBytes, type MQTTRef, type MQTTStatus_t, type MQTTString } from './core_mqtt_serializer_types.ts';

const SLASH = 0x2f;
const PLUS = 0x2b;
const HASH = 0x23;
const DOLLAR = 0x24;

function levelEnd(b: Uint8Array, from: number, end: number): number {
  let i = from;
  while (i < end && b[i] !== SLASH) i++;
  return i;
}

/** Level-by-level match of `name[0, nameLen)` against `filter[0, filterLen)`. */
function matchTopicFilter(name: Uint8Array, nameLen: number, filter: Uint8Array, filterLen: number): boolean {
  let n = 0;
  let f = 0;
  for (;;) {
    const fEnd = levelEnd(filter, f, filterLen);
    const single = fEnd - f === 1;
    // '#' is only a wildcard as the whole last level; it also matches the parent ("a/#" and "a").
    if (single && filter[f] === HASH) return fEnd === filterLen;
    // n past the end: the name has no level left for this filter level.
    if (n > nameLen) return false;
    const nEnd = levelEnd(name, n, nameLen);
    if (!(single && filter[f] === PLUS)) {
      if (fEnd - f !== nEnd - n) return false;
      for (let i = 0; i < fEnd - f; i++) if (filter[f + i] !== name[n + i]) return false;
    }
    if (fEnd === filterLen) return nEnd === nameLen;
    n = nEnd === nameLen ? nameLen + 1 : nEnd + 1;
    f = fEnd + 1;
  }
}

/**
 * `MQTT_MatchTopic`: sets `pIsMatch` and returns `MQTTSuccess`, or `MQTTBadParameter` for an empty
 * or missing name or filter (then `pIsMatch` is left alone). The name is assumed valid (no
 * wildcards), as coreMQTT assumes.
 */
export function MQTT_MatchTopic(
  pTopicName: MQTTString | null,
  topicNameLength: number,
  pTopicFilter: MQTTString | null,
  topicFilterLength: number,
  pIsMatch: MQTTRef<boolean> | null,
): MQTTStatus_t {
  if (!pIsMatch || !(topicNameLength > 0) || !(topicFilterLength > 0)) return MQTTBadParameter;
  const name = mqttBytes(pTopicName, topicNameLength);
  const filter = mqttBytes(pTopicFilter, topicFilterLength);
  if (!name || !filter) return MQTTBadParameter;
  let match = topicNameLength === topicFilterLength;
  for (let i = 0; match && i < topicNameLength; i++) match = name[i] === filter[i];
  if (!match) {
    const wildcardFirst = filter[0] === PLUS || filter[0] === HASH;
    if (!(name[0] === DOLLAR && wildcardFirst)) match = matchTopicFilter(name, topicNameLength, filter, topicFilterLength);
  }
  pIsMatch.value = match;
  return MQTTSuccess;
}
