/**
 * The value types of scenario files: durations (`"1h30m"`, `"250ms"`) and board selectors
 * (`all`, `7`, `"zsim-00007"`, `"0-9"`, `"10%"`, `{ fraction: 0.1 }` or a list of these), and
 * how a selector picks boards: fractions are drawn from a generator seeded with the run's seed and
 * the event's position, over the whole fleet, so every shard agrees on the choice.
 */
import { Prng } from '../net/sim/prng.ts';

const UNIT_NS: Record<string, number> = { h: 3600e9, m: 60e9, s: 1e9, ms: 1e6, us: 1e3, ns: 1 };

/** `"1h30m"`, `"2.5s"`, `"250ms"`, `"0s"` to nanoseconds; null when not a duration. */
export function parseDuration(s: string): number | null {
  const text = s.trim();
  if (text === '') return null;
  const re = /(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)/y;
  let ns = 0;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return null;
    ns += Number(m[1]) * UNIT_NS[m[2]!]!;
    pos = re.lastIndex;
  }
  return Math.round(ns);
}

/** Nanoseconds as the shortest readable duration (`90s` -> `1m30s`, `0.25s` -> `250ms`). */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  if (ns % 1e9 !== 0) return ns % 1e6 === 0 ? `${ns / 1e6}ms` : ns % 1e3 === 0 ? `${ns / 1e3}us` : `${ns}ns`;
  let s = ns / 1e9;
  let out = '';
  for (const [u, n] of [['h', 3600], ['m', 60]] as const) {
    if (s >= n) {
      out += `${Math.floor(s / n)}${u}`;
      s %= n;
    }
  }
  return s > 0 || out === '' ? `${out}${s}s` : out;
}

/** One item of a selector list: an index, a device id, or an inclusive index range. */
export type SelectorItem = number | string | readonly [number, number];

/** Which boards an event applies to. */
export type BoardSelector =
  | { kind: 'all' }
  | { kind: 'fraction'; fraction: number }
  | { kind: 'list'; items: readonly SelectorItem[] };

/** One list entry: the item, or a message saying what is wrong with it. */
function item(v: unknown): { ok: SelectorItem } | { err: string } {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? { ok: v } : { err: `board index ${v} is not a whole number >= 0` };
  if (typeof v === 'string') {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(v);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      return a <= b ? { ok: [a, b] } : { err: `range ${v} runs backwards` };
    }
    if (/^\d+$/.test(v)) return { ok: Number(v) };
    if (v.length > 0 && v !== 'all' && !v.endsWith('%')) return { ok: v };
  }
  return { err: `expected "all", an index, a device id, a range like "0-9", a percentage like "10%" or a list, got ${JSON.stringify(v)}` };
}

/**
 * Parses a `boards` value; returns the selector, or a message saying what is wrong with it.
 * Integers are board indices; fractions are spelled `"10%"` or `{ fraction: 0.1 }` so that `1`
 * never has to mean "board 1 or all of them".
 */
export function parseSelector(v: unknown): BoardSelector | string {
  if (v === 'all') return { kind: 'all' };
  if (typeof v === 'string' && /^\d+(\.\d+)?%$/.test(v)) {
    const f = Number(v.slice(0, -1)) / 100;
    return f <= 1 ? { kind: 'fraction', fraction: f } : `${v} is more than 100%`;
  }
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length !== 1 || keys[0] !== 'fraction') return 'expected { fraction: 0.1 } as an object';
    const f = o.fraction;
    return typeof f === 'number' && f >= 0 && f <= 1 ? { kind: 'fraction', fraction: f } : 'fraction must be a number between 0 and 1';
  }
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) return 'expected at least one board';
  const items: SelectorItem[] = [];
  for (const x of list) {
    const it = item(x);
    if ('err' in it) return it.err;
    items.push(it.ok);
  }
  return { kind: 'list', items };
}

/** Maps a device id back to its index (`zsim-00042` -> 42), or -1. */
export type IdLookup = (id: string) => number;

/**
 * The global indices a selector picks in a fleet of `size`, sorted. Throws an Error (to be
 * prefixed with the event's path) for an index or id outside the fleet.
 */
export function resolveSelector(sel: BoardSelector, size: number, seed: number, eventIndex: number, lookup: IdLookup): number[] {
  if (sel.kind === 'all') return Array.from({ length: size }, (_, i) => i);
  if (sel.kind === 'fraction') {
    const k = Math.round(sel.fraction * size);
    // A partial Fisher-Yates shuffle over the whole fleet: the same boards whatever the shard.
    const rng = new Prng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(eventIndex + 1, 0x85ebca77)) >>> 0);
    const idx = Array.from({ length: size }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + rng.int(size - i);
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
    }
    return idx.slice(0, k).sort((a, b) => a - b);
  }
  const out = new Set<number>();
  for (const it of sel.items) {
    if (typeof it === 'number') {
      if (it >= size) throw new Error(`board ${it} is outside the fleet (${size} boards, 0-${size - 1})`);
      out.add(it);
    } else if (typeof it === 'string') {
      const i = lookup(it);
      if (i < 0 || i >= size) throw new Error(`no board has the device id ${JSON.stringify(it)}`);
      out.add(i);
    } else {
      if (it[1] >= size) throw new Error(`range ${it[0]}-${it[1]} goes past the fleet (${size} boards, 0-${size - 1})`);
      for (let i = it[0]; i <= it[1]; i++) out.add(i);
    }
  }
  return [...out].sort((a, b) => a - b);
}
