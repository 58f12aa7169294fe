/**
 * The module table apps import from (`zsim/...`) and the TypeScript paths that type-check them
 * must name the same files, or an app would type-check against one API and run against another.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ZSIM_MODULES } from '../../src/build/modules.ts';
import { ROOT } from '../helpers/cli.ts';

const tsconfig = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };

describe('zsim module table', () => {
  for (const [id, mod] of Object.entries(ZSIM_MODULES)) {
    it(`${id} type-checks against the file it loads`, async () => {
      const file = tsconfig.compilerOptions.paths[id]?.[0];
      expect(file, `tsconfig.json has no path for ${id}`).toBeDefined();
      const viaPath = await import(pathToFileURL(path.join(ROOT, file!)).href);
      expect(await mod.load()).toBe(viaPath);
    });
  }
});
