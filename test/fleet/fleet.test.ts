/**
 * Fleets of the tick-tock sample on the embedded broker: delivery accounting through link flaps,
 * a partition and a broker restart (nothing lost at QoS 1, nothing duplicated at QoS 2),
 * determinism (byte-identical report and trace), reboots, and shards.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSummary, mergeReports } from '../../src/fleet/report.ts';
import { fleet, qos, scenarioFile, tmp } from './helpers.ts';

let dir = '';
let build = '';
beforeAll(() => {
  dir = tmp();
  build = path.join(dir, 'build');
});

const FLAPS = [
  'name: flaps and a broker restart',
  'events:',
  '  - { at: 1s, every: 5s, type: publish, topic: tick, payload: "tick {n}", qos: 1 }',
  '  - { at: 2s, every: 7s, type: publish, topic: tick, payload: "tock please {n}", qos: 2 }',
  '  - { at: 20s, every: 30s, until: 200s, type: link_down, boards: "25%", duration: 12s }',
  '  - { at: 40s, type: link_down, boards: "0-4", duration: 40s }',
  '  - { at: 90s, type: broker_restart, sessions: keep, down: 3s }',
  '  - { at: 130s, type: partition, boards: "10%", duration: 20s }',
  '  - { at: 160s, type: link, boards: all, latency: 40ms, jitter: 20ms, duration: 30s }',
].join('\n');

describe('zsim fleet on the embedded broker', () => {
  it('loses no QoS 1 message and duplicates no QoS 2 message through flaps and a broker restart', async () => {
    const scenario = scenarioFile(dir, 'flaps.yaml', FLAPS);
    const run = await fleet(build, { count: 20, time: 240, scenario, seed: 3 });
    const r = run.report;
    expect(run.result.reason).toBe('time-limit');
    expect(r.boards).toBe(20);
    expect(r.board_states.connected_at_end).toBe(20);
    // The faults did happen: boards lost their connections and came back with their sessions.
    expect(r.connections.reconnects).toBeGreaterThan(10);
    expect(r.scenario_events).toBeGreaterThan(80);
    // Every tick reached every board: 47 QoS 1 ticks (one fell in the broker's downtime) and
    // 35 QoS 2 ticks, each to 20 boards, and each tick answered with a QoS 1 tock.
    expect(qos(run, 1).lost).toBe(0);
    expect(qos(run, 2).lost).toBe(0);
    expect(qos(run, 2).duplicated).toBe(0);
    expect(qos(run, 1).delivered + qos(run, 1).in_flight).toBe(47 * 20);
    expect(qos(run, 2).delivered + qos(run, 2).in_flight).toBe(34 * 20);
    // Tocks: one per tick the app got, a QoS 1 duplicate included (only QoS 2 is exactly once).
    const got = qos(run, 1).delivered + qos(run, 1).duplicated + qos(run, 2).delivered;
    expect(qos(run, 1).published - 47).toBeLessThanOrEqual(got);
    expect(qos(run, 1).published - 47).toBeGreaterThanOrEqual(got - 20);
    expect(r.latency_ms.p50).toBeCloseTo(2, 1);
    expect(run.stdout).toBe('');
  });

  it('gives a byte-identical report and trace for the same build, scenario and seed', async () => {
    const scenario = scenarioFile(dir, 'det.yaml', FLAPS.replace('until: 200s', 'until: 60s'));
    const runs: { json: string; trace: string; summary: string }[] = [];
    for (const name of ['a', 'b']) {
      const trace = path.join(dir, `${name}.jsonl`);
      const run = await fleet(build, { count: 12, time: 100, scenario, seed: 9, trace });
      runs.push({ json: JSON.stringify(run.report, null, 2), trace: readFileSync(trace, 'utf8'), summary: formatSummary(run.report) });
    }
    expect(runs[1]!.json).toBe(runs[0]!.json);
    expect(runs[1]!.trace).toBe(runs[0]!.trace);
    expect(runs[1]!.summary).toBe(runs[0]!.summary);
    expect(runs[0]!.trace).toMatch(/"event":"broker_stop"/);
    expect(runs[0]!.trace).toMatch(/"event":"connect","board":"zsim-00011","session":"resumed"/);
    // Another seed picks other boards for the 25% flaps.
    const other = await fleet(build, { count: 12, time: 100, scenario, seed: 10 });
    expect(JSON.stringify(other.report, null, 2)).not.toBe(runs[0]!.json);
  });

  it('reboots boards: a fresh app on the same node and identity resumes the session', async () => {
    const scenario = scenarioFile(dir, 'reboot.yaml', [
      'events:',
      '  - { every: 10s, at: 5s, until: 35s, type: publish, topic: tick, qos: 1 }',
      '  - { at: 12s, type: reboot, boards: [1, "zsim-00003"], down: 2s }',
      '  - { at: 40s, type: publish, topic: control/all, payload: halt, qos: 1 }',
    ].join('\n'));
    const trace = path.join(dir, 'reboot.jsonl');
    const run = await fleet(build, { count: 4, time: 60, scenario, trace });
    const lines = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.event === 'reboot').map((l) => l.board)).toEqual(['zsim-00001', 'zsim-00003']);
    expect(lines.filter((l) => l.event === 'connect' && l.board === 'zsim-00003').map((l) => l.session)).toEqual(['new', 'resumed']);
    expect(run.report.board_states.reboots).toBe(2);
    // `halt` on control/all ends every app with main() returning 0.
    expect(run.result.reason).toBe('finished');
    expect(run.report.board_states.finished).toBe(4);
    expect(qos(run, 1).lost).toBe(0);
  });

  it('runs disjoint shards that merge into the whole fleet', async () => {
    const scenario = scenarioFile(dir, 'ticks.yaml', 'events:\n  - { every: 5s, type: publish, topic: tick, qos: 1 }\n');
    const shards: { run: Awaited<ReturnType<typeof fleet>>; ids: Set<string | undefined> }[] = [];
    for (const index of [0, 1, 2]) {
      const trace = path.join(dir, `shard${index}.jsonl`);
      const run = await fleet(build, { count: 10, time: 20, scenario, shard: { index, count: 3 }, trace });
      const ids = new Set(readFileSync(trace, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { board?: string }).board).filter(Boolean));
      shards.push({ run, ids });
    }
    expect(shards.map((s) => s.run.report.boards)).toEqual([3, 3, 4]);
    expect(shards.map((s) => s.run.report.shards[0]!.first)).toEqual([0, 3, 6]);
    const all = shards.flatMap((s) => [...s.ids]);
    expect(new Set(all).size).toBe(10);
    expect(all.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `zsim-${String(i).padStart(5, '0')}`));
    const merged = mergeReports(shards.map((s, i) => ({ file: `s${i}.json`, report: s.run.report })));
    expect(merged.boards).toBe(10);
    expect(merged.connections.connects).toBe(10);
    expect(qos({ report: merged } as never, 1).delivered).toBe(shards.reduce((n, s) => n + qos(s.run, 1).delivered, 0));
    expect(() => mergeReports([{ file: 'a.json', report: shards[0]!.run.report }, { file: 'b.json', report: shards[0]!.run.report }])).toThrow(
      /b\.json: board 0 is also in a\.json: the shards overlap/,
    );
  });
});
