/**
 * Scenario files: the format's checks (every error names the file and the field), durations,
 * board selectors, and the seeded choice of fractions (the same boards whatever the shard).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatDuration, loadScenario, parseDuration, parseScenario, ScenarioError } from '../../src/fleet/scenario.ts';
import { parseSelector, resolveSelector } from '../../src/fleet/scenario_values.ts';

const bad = (text: string, file = 'scenario.yaml'): string => {
  try {
    parseScenario(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('expected the scenario to be refused');
};

describe('scenario validation', () => {
  it('names the file, the event and the field of a bad duration', () => {
    const text = ['events:', '  - { at: 1s, type: heal }', '  - { at: 2s, type: heal }', '  - { at: 3s, type: heal }', '  - { at: 30, type: heal }'].join('\n');
    expect(bad(text)).toBe('scenario.yaml: events[3].at: expected a duration like "30s", got 30');
  });

  it('refuses unknown fields, unknown types and missing fields, with what is allowed', () => {
    expect(bad('events:\n  - { at: 1s, type: link_down, boards: all, tpye: x }')).toMatch(/^scenario\.yaml: events\[0\]\.tpye: unknown field \(expected one of at, every, until, count, type, boards, duration\)$/);
    expect(bad('events:\n  - { at: 1s, type: unplug }')).toMatch(/events\[0\]\.type: expected one of link_down, link_up, link, partition, heal, broker_restart, reboot, publish, got "unplug"/);
    expect(bad('events:\n  - { type: heal }')).toMatch(/events\[0\]\.at: missing/);
    expect(bad('events:\n  - { at: 1s, type: link_down }')).toMatch(/events\[0\]\.boards: missing/);
    expect(bad('events:\n  - { at: 1s, type: link, boards: all }')).toMatch(/events\[0\]: a link event changes latency, jitter, loss or bandwidth/);
    expect(bad('name: x')).toBe('scenario.yaml: events: expected a list of events, got nothing');
    expect(bad('events: []\nfoo: 1')).toMatch(/^scenario\.yaml: foo: unknown field/);
  });

  it('checks values: QoS, topics, selectors, loss, bandwidth, repetition', () => {
    expect(bad('events:\n  - { at: 1s, type: publish, topic: tick, qos: 3 }')).toMatch(/events\[0\]\.qos: expected 0, 1 or 2, got 3/);
    expect(bad('events:\n  - { at: 1s, type: publish, topic: "a/#" }')).toMatch(/events\[0\]\.topic: expected a topic name without wildcards/);
    expect(bad('events:\n  - { at: 1s, type: reboot, boards: "9-2" }')).toMatch(/events\[0\]\.boards: range 9-2 runs backwards/);
    expect(bad('events:\n  - { at: 1s, type: reboot, boards: "150%" }')).toMatch(/events\[0\]\.boards: 150% is more than 100%/);
    expect(bad('events:\n  - { at: 1s, type: link, boards: all, loss: 2 }')).toMatch(/events\[0\]\.loss: expected a probability/);
    expect(bad('events:\n  - { at: 1s, type: link, boards: all, bandwidth: fast }')).toMatch(/events\[0\]\.bandwidth: expected a rate like "250kbps"/);
    expect(bad('events:\n  - { at: 1s, until: 5s, type: heal }')).toMatch(/events\[0\]\.until: only makes sense with every/);
    expect(bad('events:\n  - { at: 1s, every: 0s, type: heal }')).toMatch(/events\[0\]\.every: must be longer than 0s/);
    expect(bad('events:\n  - { at: 1s, type: broker_restart, sessions: maybe }')).toMatch(/events\[0\]\.sessions: expected keep or drop/);
    expect(bad('events:\n  - { at: 1s, type: broker_restart, down: 0s }')).toMatch(/events\[0\]\.down: must be longer than 0s/);
  });

  it("takes a reboot's down: 0s, its documented default, when written out", () => {
    const s = parseScenario('events:\n  - { at: 1s, type: reboot, boards: 1, down: 0s }', 'r.yaml');
    expect(s.events[0]).toMatchObject({ type: 'reboot', down: 0 });
    expect(parseScenario('events:\n  - { at: 1s, type: reboot, boards: 1 }', 'r.yaml').events[0]).toMatchObject({ down: 0 });
  });

  it('reports syntax errors of YAML and JSON files as FILE:LINE:COL', () => {
    expect(bad('events:\n  - { at: 1s, type: heal\n  - [\n', 'flaky.yaml')).toBe(
      'flaky.yaml:3:3: not valid YAML: Flow map in block collection must be sufficiently indented and end with a }',
    );
    expect(bad('{"events": [\n  {"at": "1s", "type": "heal"}}', 'x/flaky.json')).toBe("x/flaky.json:2:31: not valid JSON: Expected ',' or ']' after array element");
    expect(bad('{"events": [', 'flaky.json')).toMatch(/^flaky\.json:1:13: not valid JSON: /);
  });

  it('says why a scenario file cannot be read, with the errno', () => {
    const read = (file: string): string => {
      try {
        loadScenario(file);
      } catch (e) {
        expect(e).toBeInstanceOf(ScenarioError);
        return (e as Error).message;
      }
      throw new Error('expected the scenario to be refused');
    };
    expect(read('/nonexist/ticks.yaml')).toBe('/nonexist/ticks.yaml: cannot read the scenario file: ENOENT (no such file or directory)');
    const dir = mkdtempSync(path.join(tmpdir(), 'zsim-scenario-'));
    expect(read(dir)).toBe(`${dir}: cannot read the scenario file: EISDIR (illegal operation on a directory)`);
  });

  it('names the file as the user gave it, in every message', () => {
    expect(bad('events:\n  - { at: 30, type: heal }', '/tmp/x/bad1.yaml')).toBe('/tmp/x/bad1.yaml: events[0].at: expected a duration like "30s", got 30');
    expect(bad('events:\n  - { at: 30, type: heal }', './bad1.yaml')).toMatch(/^\.\/bad1\.yaml: events\[0\]\.at: /);
  });

  it('parses a complete scenario, JSON or YAML', () => {
    const yaml = [
      'name: flaky',
      'events:',
      '  - { every: 10s, type: publish, topic: tick, payload: "tick {n}", qos: 1 }',
      '  - { at: 1m30s, type: link_down, boards: "10%", duration: 20s }',
      '  - { at: 2m, type: link, boards: [0, "zsim-00003", "5-7"], latency: 50ms, jitter: 5ms, loss: "2%", bandwidth: 250kbps }',
      '  - { at: 3m, type: broker_restart, sessions: drop }',
      '  - { at: 4m, type: reboot, boards: { fraction: 0.5 }, down: 2s }',
    ].join('\n');
    const s = parseScenario(yaml, 'flaky.yaml');
    expect(s.name).toBe('flaky');
    expect(s.events.map((e) => e.type)).toEqual(['publish', 'link_down', 'link', 'broker_restart', 'reboot']);
    expect(s.events[0]).toMatchObject({ at: 0, every: 10e9, topic: 'tick', payload: 'tick {n}', qos: 1, retain: false });
    expect(s.events[1]).toMatchObject({ at: 90e9, duration: 20e9, boards: { kind: 'fraction', fraction: 0.1 } });
    expect(s.events[2]).toMatchObject({ latency: 50e6, jitter: 5e6, loss: 0.02, bandwidth: 250000 });
    expect(s.events[3]).toMatchObject({ sessions: 'drop', down: 1e9 });
    const json = parseScenario(JSON.stringify({ events: [{ at: '5s', type: 'heal' }] }), 'x.json');
    expect(json.events[0]).toMatchObject({ type: 'heal', at: 5e9 });
  });
});

describe('durations', () => {
  it('parses and prints compound durations', () => {
    expect(parseDuration('1h30m')).toBe(5400e9);
    expect(parseDuration('2.5s')).toBe(2.5e9);
    expect(parseDuration('250ms')).toBe(250e6);
    expect(parseDuration('10us')).toBe(10e3);
    expect(parseDuration('0s')).toBe(0);
    expect(parseDuration('30')).toBeNull();
    expect(parseDuration('1 h')).toBeNull();
    expect(formatDuration(5400e9)).toBe('1h30m');
    expect(formatDuration(250e6)).toBe('250ms');
    expect(formatDuration(90e9)).toBe('1m30s');
  });
});

describe('board selectors', () => {
  const lookup = (id: string): number => (/^zsim-\d+$/.test(id) ? Number(id.slice(5)) : -1);

  it('resolves indices, ids, ranges and all', () => {
    const sel = parseSelector([0, 'zsim-00003', '5-7']);
    expect(typeof sel).not.toBe('string');
    expect(resolveSelector(sel as Exclude<typeof sel, string>, 10, 1, 0, lookup)).toEqual([0, 3, 5, 6, 7]);
    expect(resolveSelector({ kind: 'all' }, 3, 1, 0, lookup)).toEqual([0, 1, 2]);
    expect(() => resolveSelector({ kind: 'list', items: [12] }, 10, 1, 0, lookup)).toThrow(/board 12 is outside the fleet \(10 boards, 0-9\)/);
    expect(() => resolveSelector({ kind: 'list', items: ['nope'] }, 10, 1, 0, lookup)).toThrow(/no board has the device id "nope"/);
  });

  it('draws fractions from the seed and the event, the same for every shard', () => {
    const a = resolveSelector({ kind: 'fraction', fraction: 0.1 }, 200, 7, 3, lookup);
    expect(a).toHaveLength(20);
    expect(resolveSelector({ kind: 'fraction', fraction: 0.1 }, 200, 7, 3, lookup)).toEqual(a);
    expect(resolveSelector({ kind: 'fraction', fraction: 0.1 }, 200, 8, 3, lookup)).not.toEqual(a);
    expect(resolveSelector({ kind: 'fraction', fraction: 0.1 }, 200, 7, 4, lookup)).not.toEqual(a);
  });
});
