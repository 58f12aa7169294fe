/**
 * bin/ts-register.js, the loader the `zsim` command and `npm run bench` run TypeScript with:
 * types stripped, stack traces in .ts lines, and functions left as JavaScript makes them (no
 * `__name` wrapper redefining `name`, which made every closure of a fleet's boards heavier).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.ts';

const REGISTER = path.join(ROOT, 'bin/ts-register.js');

function runTs(source: string): { code: number; stdout: string; stderr: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'zsim-ts-loader-'));
  writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  const file = path.join(dir, 'probe.ts');
  writeFileSync(file, source);
  const r = spawnSync(process.execPath, ['--import', REGISTER, file], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('the TypeScript loader', () => {
  it('runs TypeScript with types, enums and type-only imports', () => {
    const r = runTs([
      "import type { Socket } from 'node:net';",
      'enum Color { Red = 1, Green }',
      'interface P { x: number }',
      'const p: P = { x: Color.Green };',
      'const s: Socket | null = null;',
      'console.log(p.x, s);',
    ].join('\n'));
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('2 null');
  });

  it('leaves closures without an own-property rewrite of `name`', () => {
    const r = runTs([
      'class C { readonly onData = (): number => 1; }',
      'const make = (): (() => number) => () => 2;',
      'const c = new C();',
      'const d = Object.getOwnPropertyDescriptor(c.onData, "name");',
      // JavaScript's own name: a non-writable, configurable data property, as V8 creates it.
      'console.log(JSON.stringify([c.onData.name, make.name, make()(), d?.writable, d?.configurable]));',
      'console.log(String(make).includes("__name"));',
    ].join('\n'));
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['["onData","make",2,false,true]', 'false']);
  });

  it('reports an error at its TypeScript line', () => {
    const r = runTs(['type T = { a: string };', '', 'const t: T = { a: "x" };', 'throw new Error(`boom ${t.a}`);', ''].join('\n'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('boom x');
    expect(r.stderr).toMatch(/probe\.ts:4:\d+/);
  });
});
