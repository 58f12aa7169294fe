/**
 * The commands as a user runs them: `zsim fleet` (summary on stdout, the same twice; input errors
 * exit 2 naming the bad field) and `zsim report merge` of shard reports.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zsim } from '../helpers/cli.ts';
import { fleet, tmp } from './helpers.ts';

const APP = 'samples/net/mqtt_ticktock';

describe('zsim fleet and zsim report', () => {
  it('prints the same summary twice and writes the report', () => {
    const dir = tmp();
    const scen = path.join(dir, 'ticks.yaml');
    writeFileSync(scen, 'events:\n  - { every: 10s, type: publish, topic: tick, qos: 1 }\n');
    const args = ['fleet', '-b', 'qemu_x86', APP, '-n', '8', '--time', '60', '--seed', '7', '--scenario', scen, '-d', path.join(dir, 'b')];
    const a = zsim([...args, '--json', path.join(dir, 'a.json')]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^fleet: 8 boards of samples\/net\/mqtt_ticktock on qemu_x86, seed 7, 0h 1m 0s simulated \(time-limit\)$/m);
    // Ticks at 0 s (before anyone subscribed), 10..50 s (delivered) and 60 s (in flight at the end).
    expect(a.stdout).toMatch(/^1 +47 +40 +0 +0 +8$/m);
    expect(a.stderr).toMatch(/zsim: stopped at the time limit .* simulated in [\d.]+ s of wall time/);
    const b = zsim(args);
    expect(b.stdout).toBe(a.stdout);
    const report = JSON.parse(readFileSync(path.join(dir, 'a.json'), 'utf8')) as { report: string; boards: number };
    expect(report).toMatchObject({ report: 'zsim-fleet', boards: 8 });
  });

  it('CONFIG_APP_TOCK_INTERVAL_S: each board tocks on its own every N seconds, with no driver', () => {
    const dir = tmp();
    const r = zsim(['fleet', '-b', 'qemu_x86', APP, '-n', '3', '--time', '65', '-d', path.join(dir, 'b'), '--', '-DCONFIG_APP_TOCK_INTERVAL_S=10']);
    expect(r.code, r.stderr).toBe(0);
    // 10, 20 .. 60 s after connecting: 6 QoS 1 tocks per board, all acknowledged.
    expect(r.stdout).toMatch(/^1 +18 +0 +0 +0 +0$/m);
    expect(r.stdout).toMatch(/^0 +0 +0 +0 +0 +0$/m);
  });

  it('exits 2 on a bad scenario, naming the file and the field', () => {
    const dir = tmp();
    const scen = path.join(dir, 'scenario.yaml');
    writeFileSync(scen, 'events:\n  - { at: 1s, type: heal }\n  - { at: 30, type: heal }\n');
    const r = zsim(['fleet', '-b', 'qemu_x86', APP, '-n', '2', '--time', '5', '--scenario', scen, '-d', path.join(dir, 'b')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`zsim: error: ${scen}: events[1].at: expected a duration like "30s", got 30`);
    // The file as given, in every message: relative here, for a field and for a board range alike.
    writeFileSync(scen, 'events:\n  - { at: 1s, type: reboot, boards: 5 }\n');
    const rel = path.relative(process.cwd(), scen);
    const range = zsim(['fleet', '-b', 'qemu_x86', APP, '-n', '2', '--time', '5', '--scenario', rel, '-d', path.join(dir, 'b')]);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain(`zsim: error: ${rel}: events[0].boards: board 5 is outside the fleet (2 boards, 0-1)`);
    writeFileSync(scen, 'events:\n  - { at: 1s, type: heal\n  - [\n');
    const syntax = zsim(['fleet', '-b', 'qemu_x86', APP, '-n', '2', '--time', '5', '--scenario', rel, '-d', path.join(dir, 'b')]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(new RegExp(`^zsim: error: ${rel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:3: not valid YAML: `, 'm'));
    const s = zsim(['fleet', '-b', 'qemu_x86', APP, '-n', '2', '--shard', '2/2', '-d', path.join(dir, 'b')]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/--shard 2\/2: I must be below N/);
  });

  it('output files that cannot be written: exit 2 naming the file, before the fleet runs', () => {
    const dir = tmp();
    for (const opt of ['--json', '--trace', '--pcap']) {
      const r = zsim(['fleet', '-b', 'qemu_x86', APP, '-n', '2', '--time', '5', opt, '/nonexist/dir/x.out', '-d', path.join(dir, 'b')]);
      expect(r.code, opt).toBe(2);
      expect(r.stderr, opt).toBe('zsim: error: /nonexist/dir/x.out: cannot write: ENOENT (no such file or directory)\n');
      expect(r.stdout, opt).toBe('');
    }
  });

  it('warns about a shard with no boards, and still exits 0', () => {
    const dir = tmp();
    const empty = zsim(['fleet', '-b', 'qemu_x86', APP, '-n', '3', '--shard', '0/4', '--time', '5', '-d', path.join(dir, 'b')]);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stderr.split('\n')).toContain('zsim: warning: shard 0/4 of 3 boards has no boards');
    expect(empty.stdout).toMatch(/^fleet: 0 of 3 boards/m);
    const one = zsim(['fleet', '-b', 'qemu_x86', APP, '-n', '3', '--shard', '1/4', '--time', '5', '-d', path.join(dir, 'b')]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).not.toContain('warning');
    expect(one.stdout).toMatch(/^fleet: 1 of 3 boards/m);
  });

  it('merges shard reports into one, and refuses overlapping shards', async () => {
    const dir = tmp();
    const files: string[] = [];
    const scenario = path.join(dir, 'ticks.yaml');
    writeFileSync(scenario, 'name: ticks\nevents:\n  - { at: 2s, every: 2s, type: publish, topic: tick, qos: 1 }\n');
    const runs = [];
    for (const index of [0, 1]) {
      const run = await fleet(path.join(dir, 'b'), { count: 6, time: 10, scenario, shard: { index, count: 2 } });
      runs.push(run);
      files.push(path.join(dir, `shard${index}.json`));
      writeFileSync(files[index]!, JSON.stringify(run.report, null, 2) + '\n');
    }
    const out = path.join(dir, 'merged.json');
    const m = zsim(['report', 'merge', ...files, '-o', out]);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/^fleet: 6 boards of .*mqtt_ticktock on qemu_x86, 2 shards/m);
    expect(m.stdout).toMatch(/^connections: 6 connects/m);
    // Each shard ran the whole scenario (5 ticks, each on its own embedded broker): counted once,
    // as in the fleet run in one piece; the boards' tocks and the deliveries add up.
    expect(runs.map((r) => r.report.scenario_events)).toEqual([5, 5]);
    expect(m.stdout).toMatch(/^broker: embedded; scenario: ticks \(5 events\)$/m);
    const whole = await fleet(path.join(dir, 'b'), { count: 6, time: 10, scenario });
    const q1 = (r: { messages: { qos: number; published: number; delivered: number }[] }) => r.messages.find((x) => x.qos === 1)!;
    const merged = JSON.parse(readFileSync(out, 'utf8')) as typeof whole.report;
    expect(q1(merged).published).toBe(q1(whole.report).published);
    expect(q1(merged).delivered).toBe(q1(whole.report).delivered);
    expect(q1(merged).published).toBe(5 + q1(runs[0]!.report).published - 5 + q1(runs[1]!.report).published - 5);
    // Shards of different scenarios are not one fleet.
    writeFileSync(files[1]!, JSON.stringify({ ...runs[1]!.report, scenario: 'other' }));
    const mixed = zsim(['report', 'merge', ...files]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/shard1\.json: scenario is "other", but .*shard0\.json has "ticks": not shards of one fleet/);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ boards: 6, shards: [{ first: 0, boards: 3 }, { first: 3, boards: 3 }] });
    const dup = zsim(['report', 'merge', files[0]!, files[0]!]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/board 0 is also in .*shard0\.json: the shards overlap/);
  });
});
