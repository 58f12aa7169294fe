/**
 * Fleet scenarios: a JSON or YAML file of timed events (network faults, broker restarts, board
 * reboots, publishes), validated field by field so that a mistake is reported as
 * `scenario.yaml: events[3].at: expected a duration like "30s", got 30`.
 *
 * ```yaml
 * name: flaky cellular
 * events:
 *   - { every: 10s, type: publish, topic: tick, payload: "tick {n}", qos: 1 }
 *   - { at: 30s, type: link_down, boards: "10%", duration: 20s }
 *   - { at: 90s, type: broker_restart, sessions: keep, down: 2s }
 * ```
 *
 * The file format is documented in docs/fleet.md; this module only parses. `schedule.ts` runs it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { fsErrorReason } from '../cli/output_file.ts';
import { parseDuration, parseSelector, type BoardSelector } from './scenario_values.ts';

export { parseDuration, formatDuration, type BoardSelector } from './scenario_values.ts';

/** A scenario file that does not follow the format: the message names the file and the field. */
export class ScenarioError extends Error {}

/** When an event happens: once at `at`, or every `every` from `at` until `until` or `count` times. */
export interface EventTiming {
  /** Position in the file's `events` list (for messages and the trace). */
  index: number;
  /** First occurrence, ns of simulated time. */
  at: number;
  /** Period, ns (absent: once). */
  every?: number;
  /** No occurrence after this time, ns. */
  until?: number;
  /** At most this many occurrences. */
  count?: number;
}

export type ScenarioAction =
  | { type: 'link_down'; boards: BoardSelector; duration?: number }
  | { type: 'link_up'; boards: BoardSelector }
  | { type: 'link'; boards: BoardSelector; latency?: number; jitter?: number; loss?: number; bandwidth?: number; duration?: number }
  | { type: 'partition'; boards: BoardSelector; duration?: number }
  | { type: 'heal' }
  | { type: 'broker_restart'; sessions: 'keep' | 'drop'; down: number }
  | { type: 'reboot'; boards: BoardSelector; down: number }
  | { type: 'publish'; topic: string; payload: string; qos: 0 | 1 | 2; retain: boolean };

export type ScenarioEvent = EventTiming & ScenarioAction;

export interface Scenario {
  /** The file, as given (for messages). */
  file: string;
  name: string;
  events: ScenarioEvent[];
}

/** Action types, for messages and docs. */
export const EVENT_TYPES = ['link_down', 'link_up', 'link', 'partition', 'heal', 'broker_restart', 'reboot', 'publish'] as const;

const TIMING_FIELDS = ['at', 'every', 'until', 'count', 'type'];
const ACTION_FIELDS: Record<(typeof EVENT_TYPES)[number], string[]> = {
  link_down: ['boards', 'duration'],
  link_up: ['boards'],
  link: ['boards', 'latency', 'jitter', 'loss', 'bandwidth', 'duration'],
  partition: ['boards', 'duration'],
  heal: [],
  broker_restart: ['sessions', 'down'],
  reboot: ['boards', 'down'],
  publish: ['topic', 'payload', 'qos', 'retain'],
};

/**
 * Reads and validates a scenario file (`.json`, `.yaml` or `.yml`); one that cannot be read is
 * `FILE: cannot read the scenario file: ENOENT (no such file or directory)`.
 */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError(`${file}: cannot read the scenario file: ${fsErrorReason(e)}`);
  }
  return parseScenario(text, file);
}

/**
 * Parses scenario text; `file` names it in messages (as the user gave it) and picks JSON for
 * `.json`, else YAML. A syntax error is reported as `FILE:LINE:COL: not valid YAML: ...`.
 */
export function parseScenario(text: string, file: string): Scenario {
  let doc: unknown;
  const json = file.endsWith('.json');
  try {
    doc = json ? JSON.parse(text) : parseYaml(text, { prettyErrors: false });
  } catch (e) {
    throw new ScenarioError(syntaxError(e as Error, text, file, json));
  }
  const v = new Validator(file);
  return v.scenario(doc, file);
}

/** `FILE:LINE:COL: not valid JSON|YAML: message` (1-based line and column) from a parser's error. */
function syntaxError(e: Error, text: string, file: string, json: boolean): string {
  let msg = e.message.split('\n')[0]!;
  let pos: number | null = null;
  if (json) {
    // V8: "... in JSON at position 23" (Node 20), with " (line 2 column 12)" on newer ones.
    const m = / in JSON at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(msg);
    if (m) {
      pos = Number(m[1]);
      msg = msg.slice(0, m.index);
    } else if (/end of JSON input/.test(msg)) {
      pos = text.length;
    }
  } else {
    const p = (e as Error & { pos?: [number, number] }).pos;
    if (Array.isArray(p) && p[0] >= 0) pos = p[0];
  }
  const kind = json ? 'JSON' : 'YAML';
  if (pos === null) return `${file}: not valid ${kind}: ${msg}`;
  const before = text.slice(0, Math.min(pos, text.length));
  const line = before.split('\n').length;
  const col = before.length - (before.lastIndexOf('\n') + 1) + 1;
  return `${file}:${line}:${col}: not valid ${kind}: ${msg}`;
}

/** Field-by-field checks; every failure names the path (`events[3].at`). */
class Validator {
  constructor(private readonly where: string) {}

  fail(at: string, msg: string): never {
    throw new ScenarioError(`${this.where}: ${at ? at + ': ' : ''}${msg}`);
  }

  private got(v: unknown): string {
    if (v === null) return 'null';
    if (Array.isArray(v)) return 'a list';
    if (typeof v === 'object') return 'an object';
    return JSON.stringify(v);
  }

  private object(v: unknown, at: string): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(at, `expected an object, got ${this.got(v)}`);
    return v as Record<string, unknown>;
  }

  private known(o: Record<string, unknown>, allowed: readonly string[], at: string): void {
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k)) this.fail(`${at}${at ? '.' : ''}${k}`, `unknown field (expected one of ${allowed.join(', ')})`);
    }
  }

  scenario(doc: unknown, file: string): Scenario {
    const o = this.object(doc, '');
    this.known(o, ['name', 'description', 'events'], '');
    if (o.name !== undefined && typeof o.name !== 'string') this.fail('name', `expected a string, got ${this.got(o.name)}`);
    if (o.description !== undefined && typeof o.description !== 'string') this.fail('description', `expected a string, got ${this.got(o.description)}`);
    if (!Array.isArray(o.events)) this.fail('events', `expected a list of events, got ${o.events === undefined ? 'nothing' : this.got(o.events)}`);
    const events = (o.events as unknown[]).map((e, i) => this.event(e, i));
    return { file, name: (o.name as string | undefined) ?? path.basename(file), events };
  }

  private duration(v: unknown, at: string, allowZero = true): number {
    const ns = typeof v === 'string' ? parseDuration(v) : null;
    if (ns === null) this.fail(at, `expected a duration like "30s", got ${this.got(v)}`);
    if (!allowZero && ns === 0) this.fail(at, `must be longer than 0s`);
    return ns;
  }

  private event(e: unknown, i: number): ScenarioEvent {
    const at = `events[${i}]`;
    const o = this.object(e, at);
    const type = o.type;
    if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
      this.fail(`${at}.type`, `expected one of ${EVENT_TYPES.join(', ')}, got ${type === undefined ? 'nothing' : this.got(type)}`);
    }
    const t = type as (typeof EVENT_TYPES)[number];
    this.known(o, [...TIMING_FIELDS, ...ACTION_FIELDS[t]], at);
    const timing: EventTiming = { index: i, at: 0 };
    if (o.at !== undefined) timing.at = this.duration(o.at, `${at}.at`);
    else if (o.every === undefined) this.fail(`${at}.at`, 'missing: say when the event happens (at: "30s", or every: "10s")');
    if (o.every !== undefined) timing.every = this.duration(o.every, `${at}.every`, false);
    if (o.until !== undefined) {
      if (timing.every === undefined) this.fail(`${at}.until`, 'only makes sense with every');
      timing.until = this.duration(o.until, `${at}.until`);
      if (timing.until < timing.at) this.fail(`${at}.until`, 'is before at');
    }
    if (o.count !== undefined) {
      if (timing.every === undefined) this.fail(`${at}.count`, 'only makes sense with every');
      if (!Number.isInteger(o.count) || (o.count as number) < 1) this.fail(`${at}.count`, `expected a whole number >= 1, got ${this.got(o.count)}`);
      timing.count = o.count as number;
    }
    return { ...timing, ...this.action(t, o, at) };
  }

  private boards(o: Record<string, unknown>, at: string): BoardSelector {
    if (o.boards === undefined) this.fail(`${at}.boards`, 'missing: which boards ("all", an index, a device id, "0-9", "10%", or a list)');
    const sel = parseSelector(o.boards);
    if (typeof sel === 'string') this.fail(`${at}.boards`, sel);
    return sel;
  }

  /** `allowZero`: a reboot's `down` may be 0s (its default: boot again at once); a broker's may not. */
  private optDuration(o: Record<string, unknown>, key: string, at: string, dflt?: number, allowZero = key !== 'down'): number | undefined {
    return o[key] === undefined ? dflt : this.duration(o[key], `${at}.${key}`, allowZero);
  }

  private action(t: (typeof EVENT_TYPES)[number], o: Record<string, unknown>, at: string): ScenarioAction {
    switch (t) {
      case 'link_down':
        return { type: t, boards: this.boards(o, at), duration: this.optDuration(o, 'duration', at) };
      case 'link_up':
        return { type: t, boards: this.boards(o, at) };
      case 'partition':
        return { type: t, boards: this.boards(o, at), duration: this.optDuration(o, 'duration', at) };
      case 'heal':
        return { type: t };
      case 'link': {
        const a: ScenarioAction = { type: t, boards: this.boards(o, at), duration: this.optDuration(o, 'duration', at) };
        if (o.latency !== undefined) a.latency = this.duration(o.latency, `${at}.latency`);
        if (o.jitter !== undefined) a.jitter = this.duration(o.jitter, `${at}.jitter`);
        if (o.loss !== undefined) a.loss = this.fraction(o.loss, `${at}.loss`);
        if (o.bandwidth !== undefined) a.bandwidth = this.bandwidth(o.bandwidth, `${at}.bandwidth`);
        if (a.latency === undefined && a.jitter === undefined && a.loss === undefined && a.bandwidth === undefined) {
          this.fail(at, 'a link event changes latency, jitter, loss or bandwidth: give at least one');
        }
        return a;
      }
      case 'broker_restart': {
        const s = o.sessions ?? 'keep';
        if (s !== 'keep' && s !== 'drop') this.fail(`${at}.sessions`, `expected keep or drop, got ${this.got(s)}`);
        return { type: t, sessions: s, down: this.optDuration(o, 'down', at, 1e9)! };
      }
      case 'reboot':
        return { type: t, boards: this.boards(o, at), down: this.optDuration(o, 'down', at, 0, true)! };
      case 'publish': {
        if (typeof o.topic !== 'string' || o.topic === '' || /[#+]/.test(o.topic)) {
          this.fail(`${at}.topic`, `expected a topic name without wildcards, got ${o.topic === undefined ? 'nothing' : this.got(o.topic)}`);
        }
        const payload = o.payload ?? '';
        if (typeof payload !== 'string' && typeof payload !== 'number') this.fail(`${at}.payload`, `expected a string, got ${this.got(payload)}`);
        const qos = o.qos ?? 0;
        if (qos !== 0 && qos !== 1 && qos !== 2) this.fail(`${at}.qos`, `expected 0, 1 or 2, got ${this.got(qos)}`);
        const retain = o.retain ?? false;
        if (typeof retain !== 'boolean') this.fail(`${at}.retain`, `expected true or false, got ${this.got(retain)}`);
        return { type: t, topic: o.topic as string, payload: String(payload), qos, retain };
      }
    }
  }

  private fraction(v: unknown, at: string): number {
    let f = typeof v === 'number' ? v : NaN;
    if (typeof v === 'string' && /^\d+(\.\d+)?%$/.test(v)) f = Number(v.slice(0, -1)) / 100;
    if (!(f >= 0 && f <= 1)) this.fail(at, `expected a probability between 0 and 1 or a percentage like "2%", got ${this.got(v)}`);
    return f;
  }

  private bandwidth(v: unknown, at: string): number {
    const m = typeof v === 'string' ? /^(\d+(?:\.\d+)?)\s*([kMG]?)bps$/.exec(v) : null;
    if (!m) this.fail(at, `expected a rate like "250kbps" or "10Mbps", got ${this.got(v)}`);
    const mult = { '': 1, k: 1e3, M: 1e6, G: 1e9 }[m[2] as '' | 'k' | 'M' | 'G'];
    return Math.round(Number(m[1]) * mult);
  }
}
