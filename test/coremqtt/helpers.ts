/**
 * Shared pieces of the coreMQTT tests: boards (virtual time with a scripted transport, or the host
 * network against mosquitto), a context set up as coreMQTT's demos do, and mosquitto_sub /
 * mosquitto_pub as independent peers (from test/helpers/mosquitto_clients.ts).
 */
import { runBoard, type BoardRun } from '../helpers/board.ts';
import { hostBoard as hostNetBoard } from '../helpers/host_board.ts';
import type { KConfig } from '../../src/kernel/kernel.ts';
import { k_msleep, k_uptime_get_32 } from '../../src/kernel/index.ts';
import {
  MQTTContext_t, MQTTPubAckInfo_array, MQTTSuccess, MQTT_Init, MQTT_InitStatefulQoS, MQTT_PACKET_TYPE_PUBLISH,
  Plaintext_Connect, Plaintext_Recv, Plaintext_Send, SOCKETS_SUCCESS,
  type MQTTDeserializedInfo_t, type MQTTPacketInfo_t, type PlaintextParams_t, type TransportInterface_t,
} from '../../src/coremqtt/index.ts';

export { mosquittoPub, mosquittoSub } from '../helpers/mosquitto_clients.ts';

export const NET: KConfig = { NETWORKING: true, NET_IPV4: true, NET_TCP: true, NET_SOCKETS: true, COREMQTT: true };

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array | string | null, n?: number): string =>
  b === null ? '' : typeof b === 'string' ? b : new TextDecoder().decode(b.subarray(0, n ?? b.length));
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Runs `main` as a board on the host network (real time). */
export function hostBoard(main: () => Promise<void>, config: KConfig = {}, timeLimitMs = 30_000): Promise<BoardRun> {
  return hostNetBoard(main, { timeLimitMs, config: { ...NET, ...config } });
}

/** Runs `main` as a board in virtual time, with no network (for scripted transports). */
export function virtualBoard(main: () => Promise<void>, config: KConfig = {}, timeLimitMs = 600_000): Promise<BoardRun> {
  return runBoard(main, { timeLimitMs, config: { COREMQTT: true, ...config } });
}

/** One event the callback saw, copied out of the network buffer. */
export interface SeenEvent {
  type: number;
  packetId: number;
  result: number;
  topic?: string;
  payload?: string;
  qos?: number;
  dup?: boolean;
}

/** A context set up like the demos: records, buffer, callback recording events. */
export function newContext<N extends object>(
  transport: TransportInterface_t<N>,
  events: SeenEvent[],
  opts: { buffer?: number; records?: number; onEvent?: (p: MQTTPacketInfo_t, d: MQTTDeserializedInfo_t) => void } = {},
): MQTTContext_t {
  const ctx = new MQTTContext_t();
  const size = opts.buffer ?? 512;
  const cb = (_c: MQTTContext_t, p: MQTTPacketInfo_t, d: MQTTDeserializedInfo_t): void => {
    const e: SeenEvent = { type: p.type, packetId: d.packetIdentifier, result: d.deserializationResult };
    const pub = d.pPublishInfo;
    if ((p.type & 0xf0) === MQTT_PACKET_TYPE_PUBLISH && pub) {
      Object.assign(e, { topic: text(pub.pTopicName, pub.topicNameLength), payload: text(pub.pPayload, pub.payloadLength), qos: pub.qos, dup: pub.dup });
    }
    events.push(e);
    opts.onEvent?.(p, d);
  };
  if (MQTT_Init(ctx, transport, k_uptime_get_32, cb, { pBuffer: new Uint8Array(size), size }) !== MQTTSuccess) throw new Error('MQTT_Init');
  const n = opts.records ?? 10;
  if (n > 0 && MQTT_InitStatefulQoS(ctx, MQTTPubAckInfo_array(n), n, MQTTPubAckInfo_array(n), n) !== MQTTSuccess) throw new Error('MQTT_InitStatefulQoS');
  return ctx;
}

/** A plaintext transport connected to 127.0.0.1:port (from a host board). */
export async function connectTcp(port: number, recvTimeoutMs = 50): Promise<TransportInterface_t<PlaintextParams_t>> {
  const net: PlaintextParams_t = { socketDescriptor: -1 };
  const rc = await Plaintext_Connect(net, { pHostName: '127.0.0.1', hostNameLength: 9, port }, 1000, recvTimeoutMs);
  if (rc !== SOCKETS_SUCCESS) throw new Error(`Plaintext_Connect: ${rc}`);
  return { pNetworkContext: net, send: Plaintext_Send, recv: Plaintext_Recv };
}

/**
 * A transport with a scripted peer, for virtual time: `feed` queues bytes for the library to
 * read, `sent` collects what it wrote, and `onSend` may answer. An empty receive waits
 * `recvWaitMs` of virtual time, as a socket with SO_RCVTIMEO would.
 */
export class ScriptedTransport {
  readonly sent: Uint8Array[] = [];
  private rx: number[] = [];
  closed = false;
  constructor(public recvWaitMs = 10, public onSend?: (packet: Uint8Array, t: ScriptedTransport) => void) {}
  feed(...packets: (Uint8Array | number[])[]): void {
    for (const p of packets) this.rx.push(...p);
  }
  /** Every byte the library sent, concatenated. */
  all(): Uint8Array {
    return Uint8Array.from(this.sent.flatMap((b) => [...b]));
  }
  /** With `writev`, a packet made of several buffers arrives as one `sent` entry. */
  interface(withWritev = false): TransportInterface_t<ScriptedTransport> {
    const writev = async (t: ScriptedTransport, vecs: readonly { iov_base: Uint8Array; iov_len: number }[], count: number): Promise<number> => {
      if (t.closed) return -1;
      const copy = Uint8Array.from(vecs.slice(0, count).flatMap((v) => [...v.iov_base.subarray(0, v.iov_len)]));
      t.sent.push(copy);
      t.onSend?.(copy, t);
      return copy.length;
    };
    return {
      ...(withWritev ? { writev } : {}),
      pNetworkContext: this,
      recv: async (t, buf, n) => {
        if (t.closed) return -1;
        if (t.rx.length === 0) {
          await k_msleep(t.recvWaitMs);
          return 0;
        }
        const k = Math.min(n, t.rx.length);
        buf.set(t.rx.splice(0, k));
        return k;
      },
      send: async (t, buf, n) => {
        if (t.closed) return -1;
        const copy = buf.slice(0, n);
        t.sent.push(copy);
        t.onSend?.(copy, t);
        return n;
      },
    };
  }
}

/** CONNACK bytes. */
export const connack = (sessionPresent = false, rc = 0): number[] => [0x20, 2, sessionPresent ? 1 : 0, rc];
