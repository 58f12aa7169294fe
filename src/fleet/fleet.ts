/**
 * `zsim fleet`: N boards of one build in one process. Each board is a kernel of its own (its own
 * threads, heap, random stream, credential store and socket table), evaluated from the same
 * compiled app, with its own network interface and identity (`zsim/fleet`). They share one
 * simulation: in virtual time with the embedded broker, or in real time against `--broker`.
 *
 * The run: build, load, create the network (and broker), boot the shard's boards, arm the
 * scenario, run, then classify what is still open (`Ledger.finish`) and build the report.
 */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { loadApp } from '../build/app.ts';
import { westBuild } from '../build/build.ts';
import type { AppImage } from '../kernel/init.ts';
import { ZSIM_VERSION } from '../kernel/init.ts';
import type { Kernel, KConfig } from '../kernel/kernel.ts';
import { Simulation, type RunResult } from '../kernel/sim.ts';
import { BufferedOut } from '../logging/console_sink.ts';
import { shouldColor } from '../logging/log_output.ts';
import { net_if_attach } from '../net/net_if.ts';
import { SimTimer } from '../net/sim/timer.ts';
import { parseCreds, provisioningImage } from '../cli/run.ts';
import { appBrokerCerts, readBrokerTls } from '../cli/run_net.ts';
import { fleet_identity_set, type FleetIdentity } from './api.ts';
import { FleetConsole } from './console.ts';
import { createFleetNet, type FleetNet } from './fleet_net.ts';
import { AddressPlan, identityOf, parseSubnet, shardRange, type Shard } from './identity.ts';
import { Ledger } from './ledger.ts';
import { startProgress } from './progress.ts';
import { latencyOf, type FleetReport } from './report.ts';
import { formatDuration, loadScenario, type Scenario } from './scenario.ts';
import { checkScenario, repeatsForever, ScenarioRunner, type FleetControl } from './schedule.ts';

/** Addresses Zephyr's samples use when the configuration gives none (as `zsim run`). */
const DEFAULT_PEER_IPV4 = '192.0.2.2';

export interface FleetOptions {
  board?: string;
  app?: string;
  buildDir: string;
  pristine?: 'always' | 'never' | 'auto';
  defines: string[];
  extraConfFiles: string[];
  confFile?: string[];
  /** Boards in the whole fleet (all shards). */
  count: number;
  seed: number;
  /** Simulated-time limit in seconds (real seconds with `--broker`). */
  time?: number;
  broker?: string;
  scenario?: string;
  pcap?: string;
  trace?: string;
  shard?: Shard;
  /** Subnet board addresses come from (default 10.0.0.0/8). */
  subnet?: string;
  /**
   * Spread the boards' power-on over this many seconds (board i boots at i/N of it), as a real
   * fleet comes up; without it every board connects at the same instant.
   */
  ramp?: number;
  /** Show every board's console, prefixed with its id (default: quiet). */
  console: boolean;
  /** Draw the progress line on a terminal. */
  progress: boolean;
  /**
   * `TAG:TYPE:FILE` credentials (`--cred`, as `zsim run`) loaded into every board's store before
   * its main, at each boot.
   */
  creds?: string[];
}

/** Where a fleet writes: a terminal, a pipe, or a test's collector. */
export interface FleetStream {
  write(s: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** A fleet's input problem, worded for the user (the CLI prints it and exits 2). */
export class FleetError extends Error {}

export interface FleetRun {
  report: FleetReport;
  result: RunResult;
  wallMs: number;
}

/** Runs a fleet; output (board consoles with `console`) goes to `stdout`, progress to `stderr`. */
export async function runFleet(o: FleetOptions, stdout: FleetStream, stderr: FleetStream, log: (l: string) => void): Promise<FleetRun> {
  const built = await westBuild({
    board: o.board, app: o.app, buildDir: o.buildDir, pristine: o.pristine, confFile: o.confFile,
    extraConfFiles: o.extraConfFiles, defines: o.defines, log,
  });
  const config = built.config;
  const credSpecs = parseCreds(o.creds ?? [], config);
  const image = await loadApp(built.bundle, built.modules);
  const networked = config.NETWORKING === true;
  if (!networked && (o.broker || o.pcap)) throw new FleetError(`${o.broker ? '--broker' : '--pcap'} needs an app with CONFIG_NETWORKING=y`);
  const scenario = o.scenario ? loadScenario(o.scenario) : null;
  const peer = (typeof config.NET_CONFIG_PEER_IPV4_ADDR === 'string' && config.NET_CONFIG_PEER_IPV4_ADDR) || DEFAULT_PEER_IPV4;
  let plan: AddressPlan;
  try {
    plan = new AddressPlan(parseSubnet(o.subnet ?? '10.0.0.0/8'), peer);
  } catch (e) {
    throw new FleetError((e as Error).message);
  }
  if (o.count > plan.capacity) throw new FleetError(`--subnet ${plan.subnet.text} has room for ${plan.capacity} boards, not ${o.count}`);
  const shard = o.shard ?? { index: 0, count: 1 };
  const { first, end } = shardRange(o.count, shard);
  const slots = end - first;
  const idPrefix = 'zsim-';
  const lookup = (id: string): number => (id.startsWith(idPrefix) && /^\d+$/.test(id.slice(idPrefix.length)) ? Number(id.slice(idPrefix.length)) : -1);
  if (scenario) {
    const problems = checkScenario(scenario, { size: o.count, seed: o.seed, lookup }, { networked, hostBroker: o.broker !== undefined });
    if (problems.length) throw new FleetError(problems.join('\n'));
    const endless = o.time === undefined ? repeatsForever(scenario) : undefined;
    if (endless) throw new FleetError(`${scenario.file}: events[${endless.index}] repeats without end (every without until or count): give --time`);
    // Not an error (a long scenario can be cut short on purpose), but never silent.
    for (const ev of scenario.events) {
      if (o.time !== undefined && ev.at > o.time * 1e9) {
        log(`zsim: warning: ${scenario.file}: events[${ev.index}] at ${formatDuration(ev.at)} is after --time ${o.time} s and never happens`);
      }
    }
  }

  const sim = new Simulation({
    realtime: networked && o.broker !== undefined,
    timeLimitNs: o.time === undefined ? undefined : Math.round(o.time * 1e9),
    haltAllOnFatal: false,
  });
  const tracer = o.trace ? new TraceOut(o.trace, sim) : null;
  const ids: string[] = [];
  const ledger = new Ledger(slots, () => sim.clock.now(), networked && !o.broker, tracer ? (ev, slot, d) => tracer.board(ev, ids[slot]!, d) : null, () => sim.active);
  const out = new BufferedOut(stdout);
  const cons = new FleetConsole({
    out: o.console ? out : null,
    err: { write: (s: string) => void stderr.write(s) },
    color: shouldColor(stdout, process.env),
    idOf: (k) => (k.subsys.get('fleet.identity') as FleetIdentity | undefined)?.deviceId ?? `board-${k.index}`,
  });
  // As `zsim run`: the embedded broker serves TLS on 8883 when the app has certs/server.pem and .key.
  const tlsFiles = networked && o.broker === undefined ? appBrokerCerts(built.appDir) : null;
  const brokerTls = tlsFiles ? readBrokerTls(tlsFiles) : undefined;
  // MQTT over WebSocket (CONFIG_MQTT_LIB_WEBSOCKET): 9001, over TLS when the app uses TLS (as `zsim run`).
  const websocket = config.MQTT_LIB_WEBSOCKET === true ? { secure: config.MQTT_LIB_TLS === true && brokerTls !== undefined } : undefined;
  const mqttTls = config.MQTT_LIB === true ? config.MQTT_LIB_TLS === true : undefined;
  const net = networked
    ? await createFleetNet({ sim, ledger, seed: o.seed, peer, broker: o.broker, brokerTls, websocket, tls: mqttTls, pcap: o.pcap, boards: slots, trace: (e, d) => tracer?.event(e, d) }).catch((e: Error) => {
        throw new FleetError(e.message);
      })
    : null;

  // Every board's store gets the credentials, at each boot (a fresh kernel has an empty store),
  // after the boot banner and before main, as `zsim run` does. Each board logs its problems on its
  // console; the command line shows each distinct one once.
  const credProblems = new Set<string>();
  const bootImage = (kernel: () => Kernel): AppImage =>
    provisioningImage(image, credSpecs, kernel, (problems) => {
      for (const problem of problems) {
        if (credProblems.has(problem)) continue;
        credProblems.add(problem);
        // The consoles' lines so far (banners, provisioning) first, so 2>&1 reads in order.
        out.flush();
        log(`zsim: ${problem}`);
      }
    });
  const boards = new Boards(sim, bootImage, config, built.board.name, o.seed, cons, net, ledger);
  const rampNs = Math.round((o.ramp ?? 0) * 1e9);
  for (let s = 0; s < slots; s++) {
    const identity = identityOf(first + s, o.count, plan, idPrefix);
    ids.push(identity.deviceId);
    boards.add(identity, Math.floor((s * rampNs) / slots));
  }
  let runner: ScenarioRunner | null = null;
  if (scenario) {
    runner = new ScenarioRunner(sim, scenario, control(o, first, slots, lookup, boards, net, sim, (e, d) => tracer?.event(e, d)));
    runner.arm();
  }

  const progress = await startProgress(stderr, {
    simNs: () => sim.clock.now(),
    totalNs: o.time === undefined ? null : o.time * 1e9,
    boards: slots,
    connected: () => ledger.connectedBoards,
    deliveries: () => ledger.deliveries,
  }, o.progress);
  const onSigint = (): void => sim.stop('interrupted');
  process.once('SIGINT', onSigint);
  const flusher = setInterval(() => out.flush(), 200);
  flusher.unref();
  const wall0 = performance.now();
  let result: RunResult;
  try {
    result = await sim.run();
  } finally {
    clearInterval(flusher);
    process.removeListener('SIGINT', onSigint);
    progress.stop();
    cons.flush();
    out.flush();
  }
  const wallMs = performance.now() - wall0;
  for (let s = 0; s < slots; s++) if (boards.stopped(s)) ledger.halt(s);
  ledger.finish();
  await net?.close();
  await tracer?.close();
  const report = buildReport(o, built.appDir, built.board.name, scenario, shard, first, slots, result, ledger, boards, cons, net, runner);
  return { report, result, wallMs };
}

/** The boards of this shard, by slot: boot, reboot, and what became of them. */
class Boards {
  readonly kernels: Kernel[] = [];
  readonly identities: FleetIdentity[] = [];
  private readonly off: boolean[] = [];
  reboots = 0;

  constructor(
    private readonly sim: Simulation,
    /** The app image a board boots (with `--cred`, one that provisions that board's store). */
    private readonly image: (kernel: () => Kernel) => AppImage,
    private readonly config: KConfig,
    private readonly board: string,
    private readonly seed: number,
    private readonly cons: FleetConsole,
    private readonly net: FleetNet | null,
    private readonly ledger: Ledger,
  ) {}

  /** Adds a board; it powers on `delayNs` from now. */
  add(id: FleetIdentity, delayNs = 0): void {
    const slot = this.identities.push(id) - 1;
    // The board's node exists from the start, so scenario faults can reach a board not on yet.
    this.net?.iface(slot, id.deviceId, id.ipv4);
    if (delayNs <= 0) {
      this.boot(slot);
      return;
    }
    // Not booted yet: switched off until its turn, so a scenario leaves it alone.
    this.off[slot] = true;
    new SimTimer(this.sim, () => this.boot(slot)).start(delayNs);
  }

  private boot(slot: number): void {
    const id = this.identities[slot]!;
    const image = this.image(() => k);
    const k = this.sim.addBoard({ board: this.board, config: this.config, console: this.cons, seed: this.seed, index: id.index }, image);
    fleet_identity_set(k, id);
    if (this.net) net_if_attach(k, this.net.iface(slot, id.deviceId, id.ipv4));
    this.kernels[slot] = k;
    this.off[slot] = false;
    this.ledger.boot(slot);
  }

  /**
   * Power-cycles board `slot`: its kernel stops where it is (no thread runs again, its timers
   * stop, its sockets vanish without a FIN), and after `downNs` a fresh instance of the app boots
   * on the same node with the same identity.
   */
  reboot(slot: number, downNs: number): void {
    const k = this.kernels[slot];
    // A board that is off (rebooting, or not powered on yet) has nothing to reboot.
    if (!k || this.off[slot]) return;
    this.off[slot] = true;
    this.reboots++;
    const off = (): void => {
      // What Kernel.halt does, without reporting a fatal error: the board is only switched off.
      k.halted = true;
      for (const t of k.threads) {
        k.unready(t);
        this.sim.timeouts.remove(t.tnode);
      }
      k.shutdown();
    };
    if (this.net) this.net.powerCut(slot, off);
    else off();
    if (downNs > 0) new SimTimer(this.sim, () => this.boot(slot)).start(downNs);
    else this.boot(slot);
  }

  /** True when the board's app is done: finished, halted by a fatal error, or switched off. */
  stopped(slot: number): boolean {
    const k = this.kernels[slot];
    return k === undefined || this.off[slot]! || k.halted || k.appThreads().length === 0;
  }

  /** Boards whose app finished (main returned, no thread left). */
  finished(): number {
    return this.kernels.filter((k, s) => !this.off[s] && !k.halted && k.appThreads().length === 0).length;
  }

  fatal(): number {
    return this.kernels.filter((k, s) => !this.off[s] && k.halted).length;
  }
}

function control(o: FleetOptions, first: number, slots: number, lookup: (id: string) => number, boards: Boards, net: FleetNet | null, sim: Simulation, trace: (e: string, d: Record<string, unknown>) => void): FleetControl {
  const needNet = (): FleetNet => {
    if (!net) throw new Error('this app has no network');
    return net;
  };
  return {
    size: o.count,
    first,
    slots,
    seed: o.seed,
    lookup,
    linkParams: (s) => needNet().linkParams(s),
    setLink: (s, p) => needNet().setLink(s, p),
    partition: (s) => needNet().partition(s),
    heal: () => needNet().heal(),
    reboot: (s, down) => boards.reboot(s, down),
    publish: (topic, payload, qos, retain) => {
      // While the broker is down (a restart), the scenario's publisher cannot reach it either.
      if (needNet().broker?.publish(topic, payload, qos, retain) === true) return true;
      trace('publish_skipped', { topic, reason: 'broker down' });
      return false;
    },
    brokerRestart: (keep, downNs) => {
      const b = needNet().broker;
      if (!b) return;
      // Stopping and starting aedes are host work: hold the simulated clock while they happen.
      const endStop = sim.beginHostIo();
      void b.stop().finally(endStop);
      new SimTimer(sim, () => {
        const endStart = sim.beginHostIo();
        void b.start(!keep).finally(endStart);
      }).start(downNs);
    },
    trace,
  };
}

/** `--trace FILE`: fleet events as JSON lines, in simulated time (no wall-clock fields). */
class TraceOut {
  private readonly file: ReturnType<typeof createWriteStream>;
  private readonly out: BufferedOut;

  constructor(file: string, private readonly sim: Simulation) {
    this.file = createWriteStream(file);
    this.out = new BufferedOut(this.file);
  }

  event(event: string, detail: Record<string, unknown>): void {
    this.out.write(JSON.stringify({ t_ns: this.sim.clock.now(), event, ...detail }) + '\n');
  }

  board(event: string, id: string, detail?: Record<string, unknown>): void {
    this.out.write(JSON.stringify({ t_ns: this.sim.clock.now(), event, board: id, ...detail }) + '\n');
  }

  close(): Promise<void> {
    this.out.flush();
    return new Promise((r) => this.file.end(r));
  }
}

function buildReport(
  o: FleetOptions, appDir: string, board: string, scenario: Scenario | null, shard: Shard, first: number, slots: number,
  result: RunResult, ledger: Ledger, boards: Boards, cons: FleetConsole, net: FleetNet | null, runner: ScenarioRunner | null,
): FleetReport {
  const q = ledger.q;
  let ever = 0;
  for (let s = 0; s < slots; s++) if (ledger.everConnectedBoard(s)) ever++;
  return {
    report: 'zsim-fleet',
    format: 1,
    zsim: ZSIM_VERSION,
    board,
    app: path.relative(process.cwd(), appDir) || '.',
    seed: o.seed,
    broker: net ? (o.broker ?? 'embedded') : 'none',
    scenario: scenario ? scenario.name : null,
    fleet_size: o.count,
    shards: [{ index: shard.index, count: shard.count, first, boards: slots }],
    boards: slots,
    sim_time_s: result.timeNs / 1e9,
    end: result.reason,
    board_states: { connected_at_end: ledger.connectedBoards, ever_connected: ever, finished: boards.finished(), fatal: boards.fatal(), reboots: boards.reboots },
    connections: {
      connects: ledger.connects,
      reconnects: ledger.reconnects,
      disconnects: ledger.disconnects,
      all_connected_s: ledger.allConnectedNs < 0 ? null : ledger.allConnectedNs / 1e9,
    },
    messages: ([0, 1, 2] as const).map((i) => ({
      qos: i, published: q.published[i]!, delivered: q.delivered[i]!, duplicated: q.duplicated[i]!, lost: q.lost[i]!, in_flight: q.inFlight[i]!,
      from_scenario: ledger.scenarioPublished[i]!,
    })),
    retransmissions: ledger.retransmissions,
    scenario_events: runner?.fired ?? 0,
    scenario_publishes_skipped: runner?.publishesSkipped ?? 0,
    latency_ms: latencyOf(ledger.latency),
    bytes: { sent: ledger.bytesOut, received: ledger.bytesIn, tls: { sent: ledger.tlsBytesOut, received: ledger.tlsBytesIn }, ws: { sent: ledger.wsBytesOut, received: ledger.wsBytesIn } },
    log: { errors: cons.levels[1]!, warnings: cons.levels[2]! },
  };
}
