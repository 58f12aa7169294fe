/**
 * The fleet report: what `--json FILE` writes, what the closing summary table shows, and what
 * `zsim report merge` combines across shards. It holds only simulated-time facts (no wall time),
 * so the same build, scenario and seed give a byte-identical report.
 */
import { Histogram } from './histogram.ts';

export interface QosRow {
  qos: 0 | 1 | 2;
  published: number;
  delivered: number;
  duplicated: number;
  lost: number;
  in_flight: number;
  /**
   * Of `published`, the scenario's publishes (embedded broker). A merge of shards counts them
   * once: every shard's broker publishes the same ones, to its own boards.
   */
  from_scenario: number;
}

/** One shard's slice of the fleet. */
export interface ShardInfo {
  index: number;
  count: number;
  first: number;
  boards: number;
}

export interface FleetReport {
  report: 'zsim-fleet';
  format: 1;
  zsim: string;
  board: string;
  app: string;
  seed: number;
  /** `embedded` or the `--broker` URL. */
  broker: string;
  scenario: string | null;
  fleet_size: number;
  /** The shards this report covers (one, or several after a merge), by first board. */
  shards: ShardInfo[];
  /** Boards this report covers. */
  boards: number;
  /** Simulated time at the end, seconds (the longest shard's after a merge). */
  sim_time_s: number;
  /** Why the run ended (`time-limit`, `finished`...; `mixed` after merging different ones). */
  end: string;
  board_states: { connected_at_end: number; ever_connected: number; finished: number; fatal: number; reboots: number };
  connections: { connects: number; reconnects: number; disconnects: number; all_connected_s: number | null };
  messages: QosRow[];
  retransmissions: number;
  /** Scenario event occurrences that ran (once per fleet after a merge: every shard runs them all). */
  scenario_events: number;
  /** Scenario publishes that could not happen: the broker was down (a restart). */
  scenario_publishes_skipped: number;
  latency_ms: { count: number; p50: number; p99: number; max: number; histogram_us: [number, number][] };
  /**
   * MQTT bytes the boards sent and received; `tls`: the part of them carried inside TLS; `ws`: the
   * part carried inside websocket frames (absent from reports older than websocket fleets).
   */
  bytes: { sent: number; received: number; tls: { sent: number; received: number }; ws?: { sent: number; received: number } };
  log: { errors: number; warnings: number };
}

/** A report file that cannot be merged, worded for the user. */
export class ReportError extends Error {}

/** Latency fields from a histogram (ms, three decimals: microsecond resolution). */
export function latencyOf(h: Histogram): FleetReport['latency_ms'] {
  const ms = (us: number): number => Math.round(us) / 1000;
  return { count: h.count, p50: ms(h.quantile(0.5)), p99: ms(h.quantile(0.99)), max: ms(h.max), histogram_us: h.buckets() };
}

/** Reads a report object (parsed JSON), checking it is one. */
export function asReport(v: unknown, file: string): FleetReport {
  const r = v as Partial<FleetReport> | null;
  if (r === null || typeof r !== 'object' || r.report !== 'zsim-fleet') throw new ReportError(`${file}: not a zsim fleet report (zsim fleet --json FILE writes one)`);
  if (r.format !== 1) throw new ReportError(`${file}: report format ${String(r.format)} is not supported (this zsim reads format 1)`);
  return r as FleetReport;
}

/**
 * Merges shard reports of one fleet: counts add up, latency histograms merge (so p50/p99 are the
 * fleet's), and the shards must be disjoint slices of the same fleet, app and seed.
 */
export function mergeReports(reports: readonly { file: string; report: FleetReport }[]): FleetReport {
  if (reports.length === 0) throw new ReportError('nothing to merge: name at least one report');
  const first = reports[0]!;
  const a = first.report;
  for (const { file, report: r } of reports.slice(1)) {
    for (const k of ['fleet_size', 'app', 'board', 'seed', 'broker'] as const) {
      if (r[k] !== a[k]) throw new ReportError(`${file}: ${k} is ${JSON.stringify(r[k])}, but ${first.file} has ${JSON.stringify(a[k])}: not shards of one fleet`);
    }
  }
  const owner = new Map<number, string>();
  for (const { file, report: r } of reports) {
    for (const s of r.shards) {
      for (let i = s.first; i < s.first + s.boards; i++) {
        const prev = owner.get(i);
        if (prev !== undefined) throw new ReportError(`${file}: board ${i} is also in ${prev}: the shards overlap (the same shard twice?)`);
        owner.set(i, file);
      }
    }
  }
  const h = new Histogram();
  const sum = (f: (r: FleetReport) => number): number => reports.reduce((n, x) => n + f(x.report), 0);
  const ends = new Set(reports.map((x) => x.report.end));
  const allConn = reports.map((x) => x.report.connections.all_connected_s);
  for (const { report: r } of reports) h.merge(r.latency_ms.histogram_us, Math.round(r.latency_ms.max * 1000));
  // Every shard runs the whole scenario (its own embedded broker, or the same events against one
  // --broker): the shards must have run the same one, and its events and publishes count once.
  for (const { file, report: r } of reports.slice(1)) {
    if (r.scenario !== a.scenario) throw new ReportError(`${file}: scenario is ${JSON.stringify(r.scenario)}, but ${first.file} has ${JSON.stringify(a.scenario)}: not shards of one fleet`);
  }
  const once = (f: (r: FleetReport) => number | undefined): number => Math.max(...reports.map((x) => f(x.report) ?? 0));
  return {
    report: 'zsim-fleet',
    format: 1,
    zsim: a.zsim,
    board: a.board,
    app: a.app,
    seed: a.seed,
    broker: a.broker,
    scenario: a.scenario,
    fleet_size: a.fleet_size,
    shards: reports.flatMap((x) => x.report.shards).sort((x, y) => x.first - y.first),
    boards: sum((r) => r.boards),
    sim_time_s: Math.max(...reports.map((x) => x.report.sim_time_s)),
    end: ends.size === 1 ? a.end : 'mixed',
    board_states: {
      connected_at_end: sum((r) => r.board_states.connected_at_end),
      ever_connected: sum((r) => r.board_states.ever_connected),
      finished: sum((r) => r.board_states.finished),
      fatal: sum((r) => r.board_states.fatal),
      reboots: sum((r) => r.board_states.reboots),
    },
    connections: {
      connects: sum((r) => r.connections.connects),
      reconnects: sum((r) => r.connections.reconnects),
      disconnects: sum((r) => r.connections.disconnects),
      all_connected_s: allConn.some((x) => x === null) ? null : Math.max(...(allConn as number[])),
    },
    messages: ([0, 1, 2] as const).map((qos) => {
      const row = (r: FleetReport): QosRow => r.messages.find((m) => m.qos === qos)!;
      const fromScenario = once((r) => row(r).from_scenario);
      return {
        qos,
        published: sum((r) => row(r).published - (row(r).from_scenario ?? 0)) + fromScenario,
        delivered: sum((r) => row(r).delivered),
        duplicated: sum((r) => row(r).duplicated),
        lost: sum((r) => row(r).lost),
        in_flight: sum((r) => row(r).in_flight),
        from_scenario: fromScenario,
      };
    }),
    retransmissions: sum((r) => r.retransmissions),
    scenario_events: once((r) => r.scenario_events),
    scenario_publishes_skipped: once((r) => r.scenario_publishes_skipped),
    latency_ms: latencyOf(h),
    bytes: {
      sent: sum((r) => r.bytes.sent),
      received: sum((r) => r.bytes.received),
      tls: { sent: sum((r) => r.bytes.tls?.sent ?? 0), received: sum((r) => r.bytes.tls?.received ?? 0) },
      ws: { sent: sum((r) => r.bytes.ws?.sent ?? 0), received: sum((r) => r.bytes.ws?.received ?? 0) },
    },
    log: { errors: sum((r) => r.log.errors), warnings: sum((r) => r.log.warnings) },
  };
}

function bytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

function table(rows: string[][]): string[] {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ').trimEnd());
}

/** Simulated seconds as `1h 0m 0s` / `12.5 s`. */
export function formatSimTime(s: number): string {
  if (s < 60) return `${Number(s.toFixed(3))} s`;
  const t = Math.round(s);
  return `${Math.floor(t / 3600)}h ${Math.floor(t / 60) % 60}m ${t % 60}s`;
}

/**
 * The latency line. Its count is of the deliveries whose message's send time is known: every
 * first arrival of a fleet or scenario message, so normally all of "delivered"; a message from
 * outside the fleet (`mosquitto_pub` with --broker) is delivered but not timed, and the line says so.
 */
function latencyLine(r: FleetReport): string {
  const delivered = r.messages.reduce((n, m) => n + m.delivered, 0);
  const l = r.latency_ms;
  const of = l.count === delivered ? `${l.count} deliveries` : `${l.count} of ${delivered} deliveries; ${delivered - l.count} with no known send time, from outside the fleet`;
  if (l.count === 0) return delivered === 0 ? 'latency: no deliveries' : `latency: none timed (${of})`;
  return `latency: p50 ${l.p50.toFixed(3)} ms, p99 ${l.p99.toFixed(3)} ms, max ${l.max.toFixed(3)} ms (${of})`;
}

/** What the bytes line counts: MQTT bytes over plain TCP, inside TLS, inside websocket frames. */
function bytesWhat(b: FleetReport['bytes']): string {
  const total = b.sent + b.received;
  const tls = (b.tls?.sent ?? 0) + (b.tls?.received ?? 0);
  const ws = (b.ws?.sent ?? 0) + (b.ws?.received ?? 0);
  if (total === 0) return 'MQTT bytes';
  if (ws > 0) {
    const over = tls === 0 ? ' over TCP' : tls === total ? ' inside TLS' : '';
    const not = tls === 0 ? 'not counting frame headers' : 'not counting frame headers or TLS records';
    return ws === total ? `MQTT inside WebSocket frames${over}, ${not}` : `MQTT bytes, ${bytes(ws)} of them inside WebSocket frames, ${not}`;
  }
  if (tls === 0) return 'MQTT over TCP payload';
  if (tls === total) return 'MQTT inside TLS, not counting TLS records';
  return 'MQTT over TCP payload, and inside TLS not counting TLS records';
}

/** The closing summary (also `zsim report`'s output). Deterministic: no wall-clock figures. */
export function formatSummary(r: FleetReport): string {
  const shard = r.shards.length === 1 && r.shards[0]!.count > 1 ? `, shard ${r.shards[0]!.index}/${r.shards[0]!.count}` : r.shards.length > 1 ? `, ${r.shards.length} shards` : '';
  const boardsOf = r.boards === r.fleet_size ? `${r.boards} boards` : `${r.boards} of ${r.fleet_size} boards`;
  const b = r.board_states;
  const c = r.connections;
  const skipped = r.scenario_publishes_skipped ?? 0;
  const lines = [
    `fleet: ${boardsOf} of ${r.app} on ${r.board}${shard}, seed ${r.seed}, ${formatSimTime(r.sim_time_s)} simulated (${r.end})`,
    `broker: ${r.broker}; scenario: ${r.scenario ?? 'none'}${r.scenario !== null ? ` (${r.scenario_events} events)` : ''}`,
    '',
    `boards: ${b.connected_at_end}/${r.boards} connected at the end, ${b.ever_connected} ever; ${b.finished} finished, ${b.fatal} fatal, ${b.reboots} reboots`,
    `connections: ${c.connects} connects, ${c.reconnects} reconnects, ${c.disconnects} disconnects; ` +
      (c.all_connected_s === null ? 'never all connected at once' : `all connected at ${formatSimTime(c.all_connected_s)}`),
    '',
    ...table([
      ['QoS', 'published', 'delivered', 'duplicated', 'lost', 'in flight'],
      ...r.messages.map((m) => [String(m.qos), String(m.published), String(m.delivered), String(m.duplicated), String(m.lost), String(m.in_flight)]),
    ]),
    `resent with DUP: ${r.retransmissions}`,
    ...(skipped > 0 ? [`scenario: ${skipped} ${skipped === 1 ? 'publish' : 'publishes'} skipped (broker down)`] : []),
    '',
    latencyLine(r),
    `bytes: ${bytes(r.bytes.sent)} sent, ${bytes(r.bytes.received)} received by the boards (${bytesWhat(r.bytes)})`,
    `log: ${r.log.errors} errors, ${r.log.warnings} warnings`,
  ];
  return lines.join('\n') + '\n';
}
