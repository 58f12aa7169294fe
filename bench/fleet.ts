/**
 * Fleet benchmarks (`npm run bench -- --only fleet`). Each measurement runs in a child process of
 * its own (this file again, with ZSIM_BENCH_FLEET_CHILD set), so that RSS figures belong to what is
 * measured, and with the open-file limit raised in the child's shell (`ulimit -n`).
 *
 * (a) 10,000 tick-tock boards connected to one mosquitto from one process: RSS per board (budget
 *     40 KB), time until all are connected (budget 15 s, boards powered on over `RAMP_S`, as
 *     mosquitto's listen backlog of 100 drops a simultaneous SYN storm), and memory per client
 *     against the same number of MQTT.js clients doing the same (connect, subscribe to the same
 *     three topics at QoS 2): at most 0.5x.
 * (b) 100 boards for 24 h of virtual time on the embedded broker, keep-alive 60 s: wall time
 *     (budget 10 s) of what the issue names, each board publishing QoS 1 every 10 s on its own
 *     (`CONFIG_APP_TOCK_INTERVAL_S=10`), run twice with the reports compared byte for byte; and,
 *     as a harder variant, the same boards driven by a QoS 0 tick from the broker every 10 s, each
 *     answering with a QoS 1 tock (every message also crosses the network inbound).
 *
 * (c) The floor under (b): aedes alone serving the same 864,000 QoS 1 publishes from 100 in-memory
 *     clients that do nothing but write bytes (`aedes_floor.ts`). What it takes of the 10 s budget
 *     is not available to the boards.
 *
 * RSS per board = (peak RSS during the run - RSS after the build and a GC, before any board) / N.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, type BenchRow } from './harness.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APP = path.join(ROOT, 'samples/net/mqtt_ticktock');
const BOARDS_A = Number(process.env.ZSIM_BENCH_FLEET_N ?? 10_000);
const RAMP_S = 8;
const FD_LIMIT = 20_000;

interface ChildResult {
  n: number;
  connected: number;
  allConnectedS: number | null;
  rssPerClientKB: number;
  wallS?: number;
  reportHash?: string;
  lost?: number;
  duplicated?: number;
}

/** A shell command with the open-file limit raised as far as the hard limit allows. */
function withFdLimit(cmd: string): string[] {
  return ['sh', '-c', `ulimit -n ${FD_LIMIT} 2>/dev/null || ulimit -n $(ulimit -Hn); exec ${cmd}`];
}

function runChild(mode: string, args: Record<string, string | number>): Promise<ChildResult> {
  const env = { ...process.env, ZSIM_BENCH_FLEET_CHILD: mode, ...Object.fromEntries(Object.entries(args).map(([k, v]) => [`ZSIM_BENCH_${k}`, String(v)])) };
  const [sh, ...rest] = withFdLimit(`"${process.execPath}" --expose-gc "${path.join(ROOT, 'bin/run-ts.js')}" "${path.join(ROOT, 'bench/fleet.ts')}"`);
  return new Promise((resolve, reject) => {
    const p = spawn(sh!, rest, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += String(d)));
    p.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as ChildResult);
      } catch {
        reject(new Error(`bench child ${mode} exited ${code}: ${out.slice(-500)}`));
      }
    });
  });
}

async function startMosquitto(): Promise<{ port: number; stop(): void } | null> {
  const bin = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((b) => spawnSync('test', ['-x', b]).status === 0);
  if (!bin) return null;
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'zsim-bench-fleet-'));
  const conf = path.join(dir, 'mosquitto.conf');
  const user = process.getuid?.() === 0 ? ['user root'] : [];
  writeFileSync(conf, [...user, 'persistence false', `listener ${port} 127.0.0.1`, 'allow_anonymous true', 'max_connections -1', 'max_queued_messages 100'].join('\n') + '\n');
  const [sh, ...rest] = withFdLimit(`${bin} -c ${conf}`);
  const p = spawn(sh!, rest, { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), r(true)));
      c.once('error', () => (c.destroy(), r(false)));
    });
    if (ok) return { port, stop: () => void p.kill('SIGTERM') };
    await new Promise((r) => setTimeout(r, 50));
  }
  p.kill('SIGKILL');
  return null;
}

/** Runs the whole benchmark (the parent side). */
export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const mosq = await startMosquitto();
  if (!mosq) {
    process.stderr.write('bench fleet: mosquitto not installed; skipping the 10,000-board rows\n');
  } else {
    try {
      const ours = await runChild('zsim', { PORT: mosq.port, N: BOARDS_A, RAMP: RAMP_S });
      const peer = await runChild('mqttjs', { PORT: mosq.port, N: BOARDS_A, RAMP: RAMP_S });
      process.stderr.write(`bench fleet: zsim ${JSON.stringify(ours)}\nbench fleet: MQTT.js ${JSON.stringify(peer)}\n`);
      const k = `${(BOARDS_A / 1000).toFixed(0)}k`;
      rows.push(
        { name: `fleet: RSS per board, ${k} boards on mosquitto`, unit: 'KB', ours: ours.rssPerClientKB, peer: 40, peerName: 'budget 40 KB', target: 1, lowerIsBetter: true },
        {
          name: `fleet: all ${k} boards connected (ramp ${RAMP_S} s)`, unit: 's', ours: ours.allConnectedS ?? Infinity, peer: 15, peerName: 'budget 15 s',
          target: 1, lowerIsBetter: true,
        },
        {
          name: `fleet: memory per client, ${k} clients`, unit: 'KB', ours: ours.rssPerClientKB, peer: peer.rssPerClientKB, peerName: `MQTT.js ${k} clients`,
          target: 2, lowerIsBetter: true,
        },
      );
    } finally {
      mosq.stop();
    }
  }
  const day1 = await runChild('day', { MODE: 'periodic' });
  const day2 = await runChild('day', { MODE: 'periodic' });
  const ticked = await runChild('day', { MODE: 'ticked' });
  const floor = await runChild('aedes', {});
  process.stderr.write(`bench fleet: 24 h ${JSON.stringify(day1)} / rerun ${JSON.stringify(day2)} / ticked ${JSON.stringify(ticked)} / aedes alone ${JSON.stringify(floor)}\n`);
  rows.push(
    {
      name: 'fleet: aedes alone, the 24 h row\'s 864,000 QoS 1 publishes (no boards)', unit: 's', ours: floor.wallS!, peer: 10, peerName: 'budget 10 s',
      target: 1, lowerIsBetter: true,
    },
    { name: 'fleet: 100 boards x 24 h virtual (QoS 1 every 10 s)', unit: 's', ours: day1.wallS!, peer: 10, peerName: 'budget 10 s', target: 1, lowerIsBetter: true },
    { name: 'fleet: 24 h rerun gives the same report', unit: 'same', ours: day1.reportHash === day2.reportHash ? 1 : 0, peer: 1, peerName: 'identical', target: 1 },
    { name: 'fleet: 100 boards x 24 h virtual (tick in, tock out)', unit: 's', ours: ticked.wallS!, peer: 10, peerName: 'budget 10 s', target: 1, lowerIsBetter: true },
  );
  return rows;
}

// ---- children ----

const env = (k: string): number => Number(process.env[`ZSIM_BENCH_${k}`]);

function rssAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage.rss();
}

/** Samples peak RSS until stopped. */
function peakRss(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  return { stop: () => (clearInterval(t), Math.max(peak, process.memoryUsage.rss())) };
}

async function childZsim(): Promise<ChildResult> {
  const { westBuild } = await import('../src/build/build.ts');
  const { runFleet } = await import('../src/fleet/fleet.ts');
  const buildDir = mkdtempSync(path.join(tmpdir(), 'zsim-bench-fleet-build-'));
  await westBuild({ board: 'qemu_x86', app: APP, buildDir, log: () => {} });
  const n = env('N');
  const base = rssAfterGc();
  const peak = peakRss();
  const r = await runFleet(
    {
      board: 'qemu_x86', app: APP, buildDir, defines: [], extraConfFiles: [], count: n, seed: 1, time: env('RAMP') + 12,
      broker: `mqtt://127.0.0.1:${env('PORT')}`, ramp: env('RAMP'), console: false, progress: false,
    },
    { write: () => {} },
    { write: (s: string) => void process.stderr.write(s) },
    () => {},
  );
  const rss = peak.stop();
  const c = r.report.connections;
  return { n, connected: r.report.board_states.ever_connected, allConnectedS: c.all_connected_s, rssPerClientKB: (rss - base) / n / 1024 };
}

async function childMqttJs(): Promise<ChildResult> {
  const mqtt = (await import('mqtt')).default;
  const n = env('N');
  const rampMs = env('RAMP') * 1000;
  const base = rssAfterGc();
  const peak = peakRss();
  const t0 = performance.now();
  let ready = 0;
  let allAt: number | null = null;
  const clients: unknown[] = [];
  await new Promise<void>((resolve) => {
    for (let i = 0; i < n; i++) {
      setTimeout(() => {
        const id = `mqttjs-${String(i).padStart(5, '0')}`;
        // What a tick-tock board does: a persistent session, three QoS 2 subscriptions.
        const c = mqtt.connect(`mqtt://127.0.0.1:${env('PORT')}`, { clientId: id, clean: false, keepalive: 60, reconnectPeriod: 1000 });
        clients.push(c);
        c.once('connect', () => {
          c.subscribe(['tick', `control/${id}`, 'control/all'], { qos: 2 }, () => {
            if (++ready === n) {
              allAt = (performance.now() - t0) / 1000;
              resolve();
            }
          });
        });
      }, Math.floor((i * rampMs) / n));
    }
    setTimeout(resolve, rampMs + 12_000);
  });
  const rss = peak.stop();
  return { n, connected: ready, allConnectedS: allAt, rssPerClientKB: (rss - base) / n / 1024 };
}

async function childDay(): Promise<ChildResult> {
  const { westBuild } = await import('../src/build/build.ts');
  const { runFleet } = await import('../src/fleet/fleet.ts');
  const dir = mkdtempSync(path.join(tmpdir(), 'zsim-bench-fleet-day-'));
  const periodic = process.env.ZSIM_BENCH_MODE === 'periodic';
  let scenario: string | undefined;
  if (!periodic) {
    scenario = path.join(dir, 'ticks.yaml');
    writeFileSync(scenario, 'name: a tick every 10 s\nevents:\n  - { every: 10s, type: publish, topic: tick, qos: 0 }\n');
  }
  const defines = periodic ? ['CONFIG_APP_TOCK_INTERVAL_S=10'] : [];
  await westBuild({ board: 'qemu_x86', app: APP, buildDir: dir, defines, log: () => {} });
  const t0 = performance.now();
  const r = await runFleet(
    { board: 'qemu_x86', app: APP, buildDir: dir, defines, extraConfFiles: [], count: 100, seed: 1, time: 86_400, scenario, console: false, progress: false },
    { write: () => {} },
    { write: (s: string) => void process.stderr.write(s) },
    () => {},
  );
  const wallS = (performance.now() - t0) / 1000;
  const q1 = r.report.messages[1]!;
  return {
    n: 100, connected: r.report.board_states.ever_connected, allConnectedS: r.report.connections.all_connected_s, rssPerClientKB: 0, wallS,
    reportHash: createHash('sha256').update(JSON.stringify(r.report)).digest('hex').slice(0, 16), lost: q1.lost, duplicated: r.report.messages[2]!.duplicated,
  };
}

async function childAedes(): Promise<ChildResult> {
  const { aedesFloor } = await import('./aedes_floor.ts');
  const r = await aedesFloor(8640, 100);
  return { n: 100, connected: 100, allConnectedS: null, rssPerClientKB: 0, wallS: r.wallS };
}

const mode = process.env.ZSIM_BENCH_FLEET_CHILD;
if (mode) {
  const result = mode === 'zsim' ? await childZsim() : mode === 'mqttjs' ? await childMqttJs() : mode === 'aedes' ? await childAedes() : await childDay();
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
}
