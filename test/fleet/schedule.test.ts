/**
 * Running a scenario, as the user sees it: every occurrence at one instant in file order (repeats
 * included), skipped publishes counted in the summary and the report, a warning for events after
 * --time, the README's scenario running as written, and the latency count matching "delivered".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSummary, type FleetReport } from '../../src/fleet/report.ts';
import { fleet, qos, scenarioFile, TICKTOCK, tmp } from './helpers.ts';

let dir = '';
let build = '';
beforeAll(() => {
  dir = tmp();
  build = path.join(dir, 'build');
});

const traceOf = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('scenario timing', () => {
  it('runs a repeat and a one-off of the same instant in file order, and counts skipped publishes', async () => {
    const scenario = scenarioFile(dir, 'order.yaml', [
      'events:',
      '  - { every: 10s, count: 2, type: publish, topic: tick, qos: 1 }',
      '  - { at: 10s, type: broker_restart }',
      '  - { at: 20s, type: broker_restart, down: 3s }',
      '  - { at: 20s, every: 5s, count: 2, type: publish, topic: tick, qos: 1 }',
    ].join('\n'));
    const trace = path.join(dir, 'order.jsonl');
    const run = await fleet(build, { count: 3, time: 40, scenario, trace });
    const at = (s: number): string[] => traceOf(trace).filter((l) => l.t_ns === s * 1e9 && l.event !== 'broker_start' && l.event !== 'broker_stop').map((l) => `${l.event}${l.index ?? ''}`);
    // 10 s: the tick's second occurrence (armed at 0 s) comes before the restart listed after it.
    expect(at(10)).toEqual(['scenario0', 'scenario1']);
    // 20 s: the restart listed first stops the broker, so the publish of that instant is skipped;
    // the one at 25 s reaches the restarted broker.
    expect(at(20)).toEqual(['scenario2', 'scenario3', 'publish_skipped']);
    expect(run.report.scenario_events).toBe(6);
    expect(run.report.scenario_publishes_skipped).toBe(1);
    // Ticks at 0 s (nobody subscribed yet), 10 s and 25 s; the one at 20 s never left.
    expect(qos(run, 1).from_scenario).toBe(3);
    expect(qos(run, 1).delivered).toBe(2 * 3);
    const summary = formatSummary(run.report);
    expect(summary).toMatch(/^resent with DUP: \d+\nscenario: 1 publish skipped \(broker down\)\n$/m);
    // Nothing skipped, nothing said.
    const quiet = await fleet(build, { count: 2, time: 15, scenario: scenarioFile(dir, 'q.yaml', 'events:\n  - { every: 5s, type: publish, topic: tick }\n') });
    expect(quiet.report.scenario_publishes_skipped).toBe(0);
    expect(formatSummary(quiet.report)).not.toMatch(/skipped/);
  });

  it('warns about events after --time, and runs anyway', async () => {
    const scenario = scenarioFile(dir, 'late.yaml', 'events:\n  - { at: 5s, type: heal }\n  - { at: 1h, type: heal }\n  - { at: 90s, every: 10s, type: heal }\n');
    const run = await fleet(build, { count: 1, time: 60, scenario });
    expect(run.result.reason).toBe('time-limit');
    expect(run.stderr).toContain(`zsim: warning: ${scenario}: events[1] at 1h is after --time 60 s and never happens\n`);
    expect(run.stderr).toContain(`zsim: warning: ${scenario}: events[2] at 1m30s is after --time 60 s and never happens\n`);
    expect(run.stderr).not.toContain('events[0]');
    expect(run.report.scenario_events).toBe(1);
  });

  it('refuses an event that repeats without end when there is no --time, naming the event', async () => {
    const scenario = scenarioFile(dir, 'endless.yaml', 'events:\n  - { at: 5s, type: heal }\n  - { every: 10s, count: 2, type: heal }\n  - { every: 10s, type: heal }\n');
    await expect(fleet(build, { count: 1, scenario })).rejects.toThrow(
      `${scenario}: events[2] repeats without end (every without until or count): give --time`,
    );
  });

  it("runs the README's ticks.yaml as written: no --time needed, every board halts", async () => {
    const readme = readFileSync(path.join(TICKTOCK, 'README.md'), 'utf8');
    const yaml = /cat > ticks\.yaml <<'EOF'\n([\s\S]*?)\nEOF\n/.exec(readme)![1]!;
    const run = await fleet(build, { count: 3, scenario: scenarioFile(dir, 'ticks.yaml', yaml) });
    expect(run.result.reason).toBe('finished');
    expect(run.report.board_states.finished).toBe(3);
    expect(qos(run, 1)).toMatchObject({ lost: 0, in_flight: 0 });
  });
});

describe('latency and delivered', () => {
  it('times every delivery "delivered" counts, also when a board hangs up with a tick on its way', async () => {
    // At 20 s the halt goes first (file order): each board disconnects, and the tick of the same
    // instant reaches a connection the board has closed: not a delivery, the session keeps it.
    const scenario = scenarioFile(dir, 'halt.yaml', [
      'events:',
      '  - { at: 20s, type: publish, topic: control/all, payload: halt, qos: 1 }',
      '  - { at: 5s, every: 5s, until: 20s, type: publish, topic: tick, qos: 1 }',
    ].join('\n'));
    const run = await fleet(build, { count: 6, time: 30, scenario });
    const delivered = run.report.messages.reduce((n, m) => n + m.delivered, 0);
    expect(run.report.board_states.finished).toBe(6);
    expect(run.report.latency_ms.count).toBe(delivered);
    expect(qos(run, 1).delivered + qos(run, 1).in_flight).toBe(4 * 6 + 6);
    expect(formatSummary(run.report)).toContain(`(${delivered} deliveries)\n`);
  });

  it('says which deliveries are not timed (messages from outside the fleet)', () => {
    const r = {
      report: 'zsim-fleet', format: 1, zsim: '0', board: 'qemu_x86', app: 'app', seed: 0, broker: 'mqtt://127.0.0.1:1883', scenario: null,
      fleet_size: 2, shards: [{ index: 0, count: 1, first: 0, boards: 2 }], boards: 2, sim_time_s: 10, end: 'time-limit',
      board_states: { connected_at_end: 2, ever_connected: 2, finished: 0, fatal: 0, reboots: 0 },
      connections: { connects: 2, reconnects: 0, disconnects: 0, all_connected_s: 0.1 },
      messages: [0, 1, 2].map((q) => ({ qos: q, published: 0, delivered: q === 0 ? 10 : 0, duplicated: 0, lost: 0, in_flight: 0, from_scenario: 0 })),
      retransmissions: 0, scenario_events: 0, scenario_publishes_skipped: 0,
      latency_ms: { count: 4, p50: 1, p99: 2, max: 2, histogram_us: [[1000, 2], [2000, 2]] },
      bytes: { sent: 100, received: 200, tls: { sent: 0, received: 0 } },
      log: { errors: 0, warnings: 0 },
    } as FleetReport;
    expect(formatSummary(r)).toContain('max 2.000 ms (4 of 10 deliveries; 6 with no known send time, from outside the fleet)\n');
    expect(formatSummary(r)).toContain('(MQTT over TCP payload)\n');
    expect(formatSummary({ ...r, bytes: { sent: 100, received: 200, tls: { sent: 100, received: 200 } } })).toContain('(MQTT inside TLS, not counting TLS records)\n');
  });
});
