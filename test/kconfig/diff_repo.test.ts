/**
 * Differential test on zsim's own Kconfig tree (kconfig/): every board
 * defconfig merged with every sample prj.conf, through Zephyr's merge checks,
 * must give what Kconfiglib gives. Boards and samples are discovered, so the
 * test follows the tree as it grows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { diffTests, requireKconfiglib, type DiffTest } from './diffcheck.ts';
import { baseEnv } from './harness.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function find(dir: string, pred: (name: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...find(p, pred));
    else if (pred(e.name)) out.push(p);
  }
  return out.sort();
}

const available = requireKconfiglib();
const kconfigDir = path.join(ROOT, 'kconfig');
const boards = find(path.join(ROOT, 'boards'), (n) => n.endsWith('_defconfig'));
const samples = find(path.join(ROOT, 'samples'), (n) => n === 'prj.conf');

describe.skipIf(!available || !fs.existsSync(path.join(kconfigDir, 'Kconfig')))('differential: zsim’s own Kconfig tree', () => {
  const tests: DiffTest[] = [];
  for (const b of boards.length ? boards : [undefined]) {
    for (const s of [undefined, ...samples]) {
      const fragments = [b, s].filter((f): f is string => f !== undefined);
      const label = fragments.map((f) => path.relative(ROOT, f)).join(' + ') || 'defaults';
      tests.push({ name: label, make: () => ({ dir: kconfigDir, kconfig: 'Kconfig', fragments, env: baseEnv(), zephyr: true }) });
    }
  }
  diffTests(tests, { run: true, temp: false });
});
