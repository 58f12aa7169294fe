/**
 * MQTT publishing benchmark: one board publishes 100,000 messages to a real mosquitto (started
 * here on a free loopback port) at QoS 0 and at QoS 1, through Zephyr's MQTT API on zsim's
 * sockets (host backend, real time, in this process). Peers measured in the same run:
 * - MQTT.js 5 (`mqtt`), the usual Node client, doing the same (target >= 1.2x);
 * - `mosquitto_pub -l` fed 100,000 lines, the broker's own C client, as the near-limit
 *   (target >= 0.7x).
 *
 * What is timed: from the first PUBLISH until the last is published as the client's API defines
 * it. At QoS 1 that is the last PUBACK (the broker accepted everything). At QoS 0, which
 * promises nothing beyond sending, it is the return of the last `mqtt_publish` (the callback of
 * MQTT.js's last `publish`; mosquitto_pub, which has no such point, is timed until it has sent
 * everything and exited, a little to its disadvantage). After the clock stops, a QoS 0 run also
 * sends one QoS 1 PUBLISH and waits for its PUBACK: mosquitto handles a connection's packets in
 * order, so it has then read all 100,000, or the run fails. Every publisher keeps at most WINDOW
 * QoS 1 messages unacknowledged; all use the same topic length, payload and TCP_NODELAY, and
 * nobody subscribes, so that the broker is not the slowest link and the publisher's own cost
 * shows (that messages arrive is the interop tests' job). The sides run alternately over ROUNDS
 * rounds (after a warm-up round) and each row keeps the round with the median ratio.
 *
 * On two cores the publisher and mosquitto each take one, and at QoS 1 mosquitto (which writes
 * every PUBACK on its own) is busy all the time: there both clients run at the broker's pace and
 * their throughputs meet (while the publisher's own cost still shows at QoS 0, and at QoS 1 on a
 * machine where something else loads the publisher's core).
 *
 * ZSIM_BENCH_MQTT_N, ZSIM_BENCH_MQTT_QOS (0 or 1) and ZSIM_BENCH_MQTT_SIDES (zsim,mqttjs,
 * mosquitto_pub) narrow a run down, e.g. for profiling one side.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { freePort, type BenchRow } from './harness.ts';
import { MemoryConsole } from '../src/kernel/console.ts';
import { Simulation } from '../src/kernel/sim.ts';
import { HostInterface } from '../src/net/host/index.ts';
import { net_if_attach } from '../src/net/net_if.ts';
import {
  AF_INET, IPPROTO_TCP, POLLIN, TCP_NODELAY, htons, sockaddr_in_new, zsock_inet_pton, zsock_poll, zsock_pollfd,
  zsock_setsockopt,
} from '../src/net/socket.ts';
import {
  MQTT_EVT_CONNACK, MQTT_EVT_PUBACK, MQTT_UTF8_LITERAL, mqtt_client, mqtt_client_init, mqtt_connect, mqtt_disconnect,
  mqtt_input, mqtt_publish, type mqtt_publish_param, type mqtt_qos,
} from '../src/net/mqtt/mqtt.ts';

const N = Number(process.env.ZSIM_BENCH_MQTT_N ?? 100_000);
const ROUNDS = 3;
const WINDOW = 1000;
const PAYLOAD = 'DOORS:OPEN_QoS1-0123456789';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => spawnSync('test', ['-x', p]).status === 0);

interface Broker {
  port: number;
  stop(): Promise<void>;
}

/** mosquitto without per-message logging (errors only), no persistence, TCP_NODELAY. */
async function startBroker(): Promise<Broker> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'zsim-bench-mosq-'));
  const conf = path.join(dir, 'mosquitto.conf');
  writeFileSync(conf, [
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    `listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false',
    'set_tcp_nodelay true', 'log_dest stderr', 'log_type error',
  ].join('\n') + '\n');
  const proc = spawn(MOSQUITTO!, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const onLog = (d: Buffer): void => void (out += String(d));
  proc.stdout!.on('data', onLog);
  proc.stderr!.on('data', onLog);
  const until = Date.now() + 5000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), resolve(true)));
      c.once('error', () => (c.destroy(), resolve(false)));
    });
    if (ok) break;
    if (Date.now() > until) throw new Error(`mosquitto did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

let seq = 0;

/** From the first PUBLISH to the broker's acceptance of the last, in ms of `performance.now()`. */
interface Span {
  start: number;
  end: number;
}

/** One board publishing N messages with Zephyr's MQTT API. */
async function zsimPublisher(port: number, topic: string, qos: mqtt_qos): Promise<Span> {
  const sim = new Simulation({ realtime: true });
  let start = 0;
  let end = 0;
  let failure = '';
  const kernel = sim.addBoard(
    {
      board: 'qemu_x86',
      config: { BOOT_BANNER: false, NETWORKING: true, NET_IPV4: true, NET_TCP: true, NET_SOCKETS: true, MQTT_LIB: true, LOG: true, MQTT_KEEPALIVE: 60 },
      console: new MemoryConsole(),
      seed: 1,
    },
    {
      instantiate: () => ({
        main: async () => {
          const client = new mqtt_client();
          mqtt_client_init(client);
          const broker = sockaddr_in_new();
          broker.sin_family = AF_INET;
          broker.sin_port = htons(port);
          zsock_inet_pton(AF_INET, '127.0.0.1', broker.sin_addr);
          let connected = false;
          let acked = 0;
          client.broker = broker;
          client.client_id = MQTT_UTF8_LITERAL(`bench-zsim-${seq}`);
          client.clean_session = 1;
          client.rx_buf = new Uint8Array(256);
          client.rx_buf_size = 256;
          client.tx_buf = new Uint8Array(256);
          client.tx_buf_size = 256;
          client.evt_cb = (_c, evt) => {
            if (evt.type === MQTT_EVT_CONNACK) connected = evt.result === 0;
            else if (evt.type === MQTT_EVT_PUBACK) acked++;
          };
          if ((await mqtt_connect(client)) !== 0) return void (failure = 'mqtt_connect failed');
          const fds = [new zsock_pollfd(client.transport.tcp.sock, POLLIN)];
          zsock_setsockopt(client.transport.tcp.sock, IPPROTO_TCP, TCP_NODELAY, 1, 4);
          while (!connected) {
            if ((await zsock_poll(fds, 1, 5000)) <= 0) return void (failure = 'no CONNACK');
            if ((await mqtt_input(client)) < 0) return void (failure = 'mqtt_input failed');
          }
          const payload = new TextEncoder().encode(PAYLOAD);
          const param: mqtt_publish_param = {
            message: { topic: { topic: MQTT_UTF8_LITERAL(topic), qos }, payload: { data: payload, len: payload.length } },
            message_id: 0,
            dup_flag: false,
            retain_flag: false,
          };
          /* Reads what arrived (PUBACKs); with `block`, waits for at least one packet. */
          const input = async (block: boolean): Promise<void> => {
            while ((await zsock_poll(fds, 1, block ? 5000 : 0)) > 0) {
              if ((await mqtt_input(client)) < 0) throw new Error('mqtt_input failed');
              block = false;
            }
          };
          start = performance.now();
          for (let i = 0; i < N; i++) {
            if (qos > 0) {
              param.message_id = (i % 65535) + 1;
              if (i - acked >= WINDOW) {
                await input(false);
                while (i - acked >= WINDOW) await input(true);
              }
            }
            const rc = await mqtt_publish(client, param);
            if (rc !== 0) return void (failure = `mqtt_publish: ${rc}`);
          }
          end = performance.now();
          if (qos === 0) {
            // The end marker: its PUBACK comes after mosquitto has read everything before it.
            param.message.topic.qos = 1;
            param.message_id = 1;
            const rc = await mqtt_publish(client, param);
            if (rc !== 0) return void (failure = `mqtt_publish: ${rc}`);
            while (acked < 1) await input(true);
          } else {
            while (acked < N) await input(true);
            end = performance.now();
          }
          await mqtt_disconnect(client);
        },
      }),
    },
  );
  net_if_attach(kernel, new HostInterface({ sim }));
  await sim.run();
  if (failure) throw new Error(`zsim publisher: ${failure}`);
  return { start, end };
}

/**
 * MQTT.js publishing N messages; resolves with the time of the first publish. Used as its
 * documentation suggests for bulk sending: publish, and wait for 'drain' when the socket says so
 * (publishing 100,000 messages without ever yielding makes MQTT.js add a 'drain' listener per
 * message and run about 50 times slower). At QoS 1 it also keeps at most WINDOW messages
 * unacknowledged, as the other publishers do (without a limit, a run with more than 65,535
 * outstanding packet ids never completes).
 */
async function mqttjsPublisher(port: number, topic: string, qos: mqtt_qos): Promise<Span> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: `bench-mqttjs-${seq}`, clean: true, keepalive: 60, reconnectPeriod: 0 });
  const payload = Buffer.from(PAYLOAD);
  const stream = client.stream as unknown as { writableNeedDrain: boolean; once(ev: 'drain', cb: () => void): void };
  const start = performance.now();
  let acked = 0;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const cb = (err?: Error): void => {
    if (err) failure = err;
    acked++;
    wake?.();
  };
  /* Resolves at the next acknowledgement (or completion callback at QoS 0). */
  const ack = (): Promise<void> => new Promise<void>((resolve) => (wake = resolve));
  for (let i = 0; i < N; i++) {
    client.publish(topic, payload, { qos }, cb);
    if (stream.writableNeedDrain) await new Promise<void>((resolve) => stream.once('drain', resolve));
    while (qos > 0 && i + 1 - acked >= WINDOW) await ack();
  }
  while (acked < N) await ack();
  const end = performance.now();
  if (qos === 0) {
    // The same end marker as the board's: a QoS 1 PUBLISH, and its PUBACK.
    client.publish(topic, payload, { qos: 1 }, cb);
    while (acked < N + 1) await ack();
  }
  if (failure) throw failure;
  await client.endAsync();
  return { start, end };
}

/**
 * `mosquitto_pub -l` fed N lines, in processes of at most CHUNK lines run one after the other
 * (one mosquitto_pub 2.0.11 connection stops after about 65,535 QoS 1 messages: mosquitto drops
 * it "due to out of memory"); resolves with the time the first one was started.
 */
const CHUNK = 50_000;
async function mosquittoPubPublisher(port: number, topic: string, qos: mqtt_qos, line: string): Promise<Span> {
  const start = performance.now();
  for (let sent = 0, part = 0; sent < N; sent += CHUNK, part++) {
    const count = Math.min(CHUNK, N - sent);
    const proc = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-i', `bench-mpub-${seq}-${part}`, '-t', topic, '-q', String(qos), '-M', String(WINDOW), '-l'], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    proc.stdin!.end(line.repeat(count));
    const code = await new Promise<number>((resolve) => proc.once('exit', (c) => resolve(c ?? -1)));
    if (code !== 0) throw new Error(`mosquitto_pub exited with ${code}`);
  }
  return { start, end: performance.now() };
}

type Side = 'zsim' | 'mqttjs' | 'mosquitto_pub';

/** Messages/s of one side: N / (broker accepted the last - first publish). */
async function measure(broker: Broker, side: Side, qos: mqtt_qos, line: string): Promise<number> {
  const topic = `bench/${(++seq).toString().padStart(4, '0')}`;
  const span =
    side === 'zsim' ? await zsimPublisher(broker.port, topic, qos)
    : side === 'mqttjs' ? await mqttjsPublisher(broker.port, topic, qos)
    : await mosquittoPubPublisher(broker.port, topic, qos, line);
  return (N * 1000) / (span.end - span.start);
}

function median<T>(xs: T[], key: (x: T) => number): T {
  const s = [...xs].sort((a, b) => key(a) - key(b));
  return s[Math.floor(s.length / 2)]!;
}

const QOS: readonly mqtt_qos[] = process.env.ZSIM_BENCH_MQTT_QOS ? [Number(process.env.ZSIM_BENCH_MQTT_QOS) as mqtt_qos] : [0, 1];
const SIDES: readonly Side[] = (process.env.ZSIM_BENCH_MQTT_SIDES?.split(',') as Side[] | undefined) ?? ['zsim', 'mqttjs', 'mosquitto_pub'];

export async function run(): Promise<BenchRow[]> {
  if (!MOSQUITTO || spawnSync('mosquitto_pub', ['--help']).error) {
    process.stderr.write('bench: mqtt.ts skipped (mosquitto and mosquitto-clients are not installed)\n');
    return [];
  }
  const broker = await startBroker();
  const line = `${PAYLOAD}\n`;
  const rows: BenchRow[] = [];
  try {
    for (const qos of QOS) {
      const rounds: Record<Side, number>[] = [];
      // A warm-up round for the JIT, not counted.
      for (let r = 0; r <= ROUNDS; r++) {
        const round = {} as Record<Side, number>;
        for (const side of SIDES) round[side] = await measure(broker, side, qos, line);
        if (r > 0) rounds.push(round);
        process.stderr.write(`bench: mqtt QoS ${qos} round ${r}: ${SIDES.map((x) => `${x} ${round[x].toFixed(0)}`).join(', ')} msg/s\n`);
      }
      const vsJs = median(rounds, (x) => x.zsim / x.mqttjs);
      const vsMosq = median(rounds, (x) => x.zsim / x.mosquitto_pub);
      rows.push(
        { name: `MQTT publish QoS ${qos}, ${N / 1000}k msgs to mosquitto`, unit: 'msg/s', ours: vsJs.zsim, peer: vsJs.mqttjs, peerName: 'MQTT.js 5', target: 1.2 },
        { name: `MQTT publish QoS ${qos}, ${N / 1000}k msgs to mosquitto`, unit: 'msg/s', ours: vsMosq.zsim, peer: vsMosq.mosquitto_pub, peerName: 'mosquitto_pub -l', target: 0.7 },
      );
    }
  } finally {
    await broker.stop();
  }
  return rows;
}
