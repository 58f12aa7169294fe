/**
 * `npm run bench`: runs every benchmark module and prints one table of ratios, each measured
 * against its named peer in the same run. `--only NAME` runs the modules whose file name matches.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { ratio, type BenchRow } from './harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const skip = new Set(['index.ts', 'harness.ts', 'fuzz.ts']);
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !skip.has(f) && !f.endsWith('.d.ts'))
  .filter((f) => !only || f.includes(only))
  .sort();

function fmt(n: number): string {
  if (n >= 1e6) return (n / 1e6).toFixed(2) + 'M';
  if (n >= 1e3) return (n / 1e3).toFixed(1) + 'k';
  return n.toFixed(n < 10 ? 2 : 0);
}

const rows: BenchRow[] = [];
for (const f of modules) {
  const mod = (await import(pathToFileURL(path.join(here, f)).href)) as { run?: () => Promise<BenchRow[]> };
  if (typeof mod.run !== 'function') continue;
  process.stderr.write(`bench: ${f}...\n`);
  rows.push(...(await mod.run()));
}

const header = ['benchmark', 'zsim', 'peer', 'peer figure', 'unit', 'ratio', 'target', ''];
const table = rows.map((r) => {
  const x = ratio(r);
  return [r.name, fmt(r.ours), r.peerName, fmt(r.peer), r.unit, x.toFixed(2) + 'x', '>= ' + r.target + 'x', x >= r.target ? 'ok' : 'BELOW'];
});
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
const below = rows.filter((r) => ratio(r) < r.target);
if (below.length) console.log(`\n${below.length} row(s) below target`);
