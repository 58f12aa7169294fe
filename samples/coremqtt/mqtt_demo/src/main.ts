/*
 * Port of coreMQTT's plaintext demo (mqtt_demo_plaintext): over a plaintext TCP connection to
 * the broker at CONFIG_NET_CONFIG_PEER_IPV4_ADDR:1883, open a persistent MQTT session, subscribe
 * to a topic, publish QoS 1 messages to it and receive them back through the event callback,
 * disconnect; then reconnect to show the broker kept the session (and the subscription), publish
 * once more, unsubscribe and disconnect.
 *
 * Outgoing QoS 1 publishes are kept until their PUBACK (coreMQTT keeps only their state), so a
 * resumed session can resend them with MQTT_PublishToResend, DUP flag set.
 */
import { CONFIG, k_msleep, k_uptime_get_32 } from 'zsim/kernel';
import { LOG_LEVEL_INF, LOG_MODULE_REGISTER } from 'zsim/logging/log';
import {
  MQTTContext_t, MQTTPubAckInfo_array, MQTTQoS1, MQTTServerRefused, MQTTSuccess,
  MQTT_Connect, MQTT_Disconnect, MQTT_GetPacketId, MQTT_GetSubAckStatusCodes, MQTT_Init, MQTT_InitStatefulQoS,
  MQTT_PACKET_TYPE_PINGRESP, MQTT_PACKET_TYPE_PUBACK, MQTT_PACKET_TYPE_PUBLISH, MQTT_PACKET_TYPE_SUBACK,
  MQTT_PACKET_TYPE_UNSUBACK, MQTT_ProcessLoop, MQTT_Publish, MQTT_PublishToResend, MQTT_STATE_ARRAY_MAX_COUNT,
  MQTT_STATE_CURSOR_INITIALIZER, MQTT_Status_strerror, MQTT_Subscribe, MQTT_Unsubscribe, Plaintext_Connect,
  Plaintext_Disconnect, Plaintext_Recv, Plaintext_Send, Plaintext_Writev, SOCKETS_SUCCESS,
  type MQTTDeserializedInfo_t, type MQTTPacketInfo_t, type MQTTPublishInfo_t, type MQTTSubscribeInfo_t,
  type PlaintextParams_t, type TransportInterface_t,
} from 'zsim/coremqtt';

const { LOG_INF, LOG_WRN, LOG_ERR } = LOG_MODULE_REGISTER('mqtt_demo', LOG_LEVEL_INF);

const BROKER_PORT = 1883;
const CLIENT_IDENTIFIER = 'zsim-coremqtt-demo';
const TOPIC = 'zsim/coremqtt/demo';
const KEEP_ALIVE_SECONDS = 60;
const MESSAGE_COUNT = 5;
const CONNACK_RECV_TIMEOUT_MS = 1000;
/* How long one MQTT_ProcessLoop call runs while the demo waits for an ack. */
const PROCESS_LOOP_TIMEOUT_MS = 100;
/* How many of those before the demo gives up waiting. */
const MAX_WAIT_LOOPS = 50;
/* Transport timeouts: a receive waits this long for data before saying "nothing now". */
const TRANSPORT_SEND_TIMEOUT_MS = 1000;
const TRANSPORT_RECV_TIMEOUT_MS = 50;
const CONNECT_ATTEMPTS = 3;
const NETWORK_BUFFER_SIZE = 1024;

/* What the event callback learned, for the code waiting on it. */
const acks = { suback: 0, unsuback: 0, subackRefused: false, pubacks: new Set<number>() };
let received = 0;
let lastReceived = '';
/* Outgoing QoS 1 publishes not acknowledged yet, by packet identifier: resent on a resumed session. */
const unacked = new Map<number, MQTTPublishInfo_t>();

function text(bytes: Uint8Array | string | null, length: number): string {
  if (bytes === null) return '';
  return typeof bytes === 'string' ? bytes.slice(0, length) : new TextDecoder().decode(bytes.subarray(0, length));
}

function handleIncomingPublish(publish: MQTTPublishInfo_t): void {
  lastReceived = text(publish.pPayload, publish.payloadLength);
  received++;
  LOG_INF('Received PUBLISH on %s (QoS %d): %s', text(publish.pTopicName, publish.topicNameLength), publish.qos, lastReceived);
}

/* The coreMQTT event callback: incoming publishes and acks. It only records what came. */
function eventCallback(ctx: MQTTContext_t, packet: MQTTPacketInfo_t, info: MQTTDeserializedInfo_t): void {
  if ((packet.type & 0xf0) === MQTT_PACKET_TYPE_PUBLISH) {
    handleIncomingPublish(info.pPublishInfo!);
    return;
  }
  switch (packet.type) {
    case MQTT_PACKET_TYPE_SUBACK: {
      const codes = { value: null as Uint8Array | null };
      const count = { value: 0 };
      if (MQTT_GetSubAckStatusCodes(packet, codes, count) === MQTTSuccess) {
        LOG_INF('SUBACK for packet id %d: granted QoS %d', info.packetIdentifier, codes.value![0]);
      }
      acks.subackRefused = info.deserializationResult === MQTTServerRefused;
      acks.suback = info.packetIdentifier;
      break;
    }
    case MQTT_PACKET_TYPE_UNSUBACK:
      acks.unsuback = info.packetIdentifier;
      break;
    case MQTT_PACKET_TYPE_PUBACK:
      LOG_INF('PUBACK received for packet id %d', info.packetIdentifier);
      acks.pubacks.add(info.packetIdentifier);
      unacked.delete(info.packetIdentifier);
      break;
    case MQTT_PACKET_TYPE_PINGRESP:
      /* MQTT_ProcessLoop handles keep-alive: it does not pass PINGRESPs on. */
      LOG_WRN('PINGRESP should not be handled by the application callback when using MQTT_ProcessLoop');
      break;
    default:
      LOG_ERR('Unknown packet type received: %02x', packet.type);
  }
}

/* Runs the process loop until `done()` holds; false on an error or when the wait runs out. */
async function processUntil(ctx: MQTTContext_t, what: string, done: () => boolean): Promise<boolean> {
  for (let i = 0; i < MAX_WAIT_LOOPS && !done(); i++) {
    const status = await MQTT_ProcessLoop(ctx, PROCESS_LOOP_TIMEOUT_MS);
    if (status !== MQTTSuccess) {
      LOG_ERR('MQTT_ProcessLoop failed while waiting for %s: %s', what, MQTT_Status_strerror(status));
      return false;
    }
  }
  if (!done()) LOG_ERR('Timed out waiting for %s', what);
  return done();
}

async function connectToServerWithBackoffRetries(net: PlaintextParams_t, host: string): Promise<boolean> {
  let backoffMs = 500;
  for (let attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
    LOG_INF('Establishing a TCP connection to %s:%d (attempt %d)', host, BROKER_PORT, attempt);
    const server = { pHostName: host, hostNameLength: host.length, port: BROKER_PORT };
    if ((await Plaintext_Connect(net, server, TRANSPORT_SEND_TIMEOUT_MS, TRANSPORT_RECV_TIMEOUT_MS)) === SOCKETS_SUCCESS) return true;
    if (attempt < CONNECT_ATTEMPTS) {
      LOG_WRN('Connection to the broker failed, retrying in %d ms', backoffMs);
      await k_msleep(backoffMs);
      backoffMs *= 2;
    }
  }
  return false;
}

/* Resends the publishes the resumed session still has on record, in order, with DUP set. */
async function handlePublishResend(ctx: MQTTContext_t): Promise<boolean> {
  const cursor = { value: MQTT_STATE_CURSOR_INITIALIZER };
  for (let id = MQTT_PublishToResend(ctx, cursor); id !== 0; id = MQTT_PublishToResend(ctx, cursor)) {
    const publish = unacked.get(id);
    if (!publish) continue;
    publish.dup = true;
    LOG_INF('Resending PUBLISH with packet id %d', id);
    if ((await MQTT_Publish(ctx, publish, id)) !== MQTTSuccess) return false;
  }
  return true;
}

async function establishMqttSession(ctx: MQTTContext_t, host: string, label: string): Promise<number> {
  const connectInfo = {
    cleanSession: false,
    keepAliveSeconds: KEEP_ALIVE_SECONDS,
    pClientIdentifier: CLIENT_IDENTIFIER,
    clientIdentifierLength: CLIENT_IDENTIFIER.length,
  };
  const sessionPresent = { value: false };
  const status = await MQTT_Connect(ctx, connectInfo, null, CONNACK_RECV_TIMEOUT_MS, sessionPresent);
  if (status !== MQTTSuccess) {
    LOG_ERR('MQTT_Connect failed: %s', MQTT_Status_strerror(status));
    return -1;
  }
  if (label === 'connect') LOG_INF('Connected to the broker at %s:%d, session present %d', host, BROKER_PORT, sessionPresent.value ? 1 : 0);
  else LOG_INF('Reconnected: session present %d', sessionPresent.value ? 1 : 0);
  if (sessionPresent.value) return (await handlePublishResend(ctx)) ? 1 : -1;
  /* The broker starts afresh: nothing on record can be completed any more. */
  unacked.clear();
  return 0;
}

async function subscribe(ctx: MQTTContext_t, subscribeToTopic: boolean): Promise<boolean> {
  const list: MQTTSubscribeInfo_t[] = [{ qos: MQTTQoS1, pTopicFilter: TOPIC, topicFilterLength: TOPIC.length }];
  const id = MQTT_GetPacketId(ctx);
  const status = subscribeToTopic ? await MQTT_Subscribe(ctx, list, 1, id) : await MQTT_Unsubscribe(ctx, list, 1, id);
  if (status !== MQTTSuccess) {
    LOG_ERR('%s failed: %s', subscribeToTopic ? 'MQTT_Subscribe' : 'MQTT_Unsubscribe', MQTT_Status_strerror(status));
    return false;
  }
  if (subscribeToTopic) {
    if (!(await processUntil(ctx, 'SUBACK', () => acks.suback === id))) return false;
    if (acks.subackRefused) {
      LOG_ERR('The broker refused the subscription to %s', TOPIC);
      return false;
    }
    LOG_INF('Subscribed to %s with QoS 1', TOPIC);
  } else {
    if (!(await processUntil(ctx, 'UNSUBACK', () => acks.unsuback === id))) return false;
    LOG_INF('Unsubscribed from %s', TOPIC);
  }
  return true;
}

/* Publishes messages #first to #last at QoS 1, each time waiting for its PUBACK and its echo. */
async function publishLoop(ctx: MQTTContext_t, first: number, last: number): Promise<boolean> {
  for (let i = first; i <= last; i++) {
    const payload = `Hello #${i} from ${CONFIG.BOARD as string}`;
    const publish: MQTTPublishInfo_t = {
      qos: MQTTQoS1, retain: false, dup: false,
      pTopicName: TOPIC, topicNameLength: TOPIC.length,
      pPayload: payload, payloadLength: payload.length,
    };
    const id = MQTT_GetPacketId(ctx);
    unacked.set(id, publish);
    const status = await MQTT_Publish(ctx, publish, id);
    if (status !== MQTTSuccess) {
      LOG_ERR('MQTT_Publish failed: %s', MQTT_Status_strerror(status));
      return false;
    }
    LOG_INF('Sent PUBLISH packet id %d: %s', id, payload);
    /* The broker acknowledges the publish and, as we subscribed, sends it back. */
    if (!(await processUntil(ctx, `PUBACK ${id} and message #${i}`, () => acks.pubacks.has(id) && received >= i))) return false;
  }
  return lastReceived === `Hello #${last} from ${CONFIG.BOARD as string}`;
}

export async function main(): Promise<number> {
  const host = CONFIG.NET_CONFIG_PEER_IPV4_ADDR as string;
  const net: PlaintextParams_t = { socketDescriptor: -1 };
  const transport: TransportInterface_t<PlaintextParams_t> = {
    pNetworkContext: net, send: Plaintext_Send, recv: Plaintext_Recv, writev: Plaintext_Writev,
  };
  const networkBuffer = { pBuffer: new Uint8Array(NETWORK_BUFFER_SIZE), size: NETWORK_BUFFER_SIZE };
  const outgoing = MQTTPubAckInfo_array(MQTT_STATE_ARRAY_MAX_COUNT());
  const incoming = MQTTPubAckInfo_array(MQTT_STATE_ARRAY_MAX_COUNT());
  const ctx = new MQTTContext_t();

  if (MQTT_Init(ctx, transport, k_uptime_get_32, eventCallback, networkBuffer) !== MQTTSuccess ||
      MQTT_InitStatefulQoS(ctx, outgoing, outgoing.length, incoming, incoming.length) !== MQTTSuccess) {
    LOG_ERR('MQTT_Init failed');
    return -1;
  }

  /* First session: subscribe, then publish to the topic and get every message back. */
  if (!(await connectToServerWithBackoffRetries(net, host))) {
    LOG_ERR('Failed to connect to the broker at %s:%d', host, BROKER_PORT);
    return -1;
  }
  let ok = (await establishMqttSession(ctx, host, 'connect')) >= 0;
  ok = ok && (await subscribe(ctx, true));
  ok = ok && (await publishLoop(ctx, 1, MESSAGE_COUNT));
  ok = ok && (await MQTT_Disconnect(ctx)) === MQTTSuccess;
  Plaintext_Disconnect(net);
  if (!ok) {
    LOG_ERR('Demo failed');
    return -1;
  }
  LOG_INF('Disconnected; %d messages published and received back', received);

  /*
   * Second session: the broker kept the first one (cleanSession was false), subscription
   * included, so one more message comes back without subscribing again.
   */
  if (!(await connectToServerWithBackoffRetries(net, host))) return -1;
  ok = (await establishMqttSession(ctx, host, 'reconnect')) === 1;
  if (!ok) LOG_ERR('The broker did not resume the session');
  ok = ok && (await publishLoop(ctx, MESSAGE_COUNT + 1, MESSAGE_COUNT + 1));
  ok = ok && (await subscribe(ctx, false));
  ok = ok && (await MQTT_Disconnect(ctx)) === MQTTSuccess;
  Plaintext_Disconnect(net);
  if (!ok) {
    LOG_ERR('Demo failed');
    return -1;
  }
  LOG_INF('Demo completed successfully');
  return 0;
}
