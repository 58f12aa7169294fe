// Node module hooks that compile zsim's TypeScript sources with esbuild (Node 20 cannot strip
// types). Not tsx: tsx always compiles with esbuild's `keepNames`, which wraps every function
// expression in a `__name()` call that redefines its `name` property. That costs a call per
// closure created and turns each closure's properties into a dictionary of ~250 bytes; with
// thousands of boards, each holding dozens of bound handlers, it was a sixth of a fleet's heap.
// A plain transform (no bundling, so no renaming) keeps every name as JavaScript assigns it.
//
// Compiled files are cached by content in node_modules/.cache/zsim-ts, so a CLI start after the
// first compiles nothing.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'zsim-ts');
const TS = /\.[cm]?ts$/;

let tsconfigRaw;
function compilerOptions() {
  if (tsconfigRaw === undefined) {
    try {
      const { compilerOptions: o = {} } = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'));
      tsconfigRaw = { compilerOptions: { verbatimModuleSyntax: o.verbatimModuleSyntax, useDefineForClassFields: o.useDefineForClassFields, target: o.target } };
    } catch {
      tsconfigRaw = {};
    }
  }
  return tsconfigRaw;
}

let esbuildVersion;
function compile(file, source) {
  esbuildVersion ??= JSON.parse(readFileSync(path.join(ROOT, 'node_modules/esbuild/package.json'), 'utf8')).version;
  const key = createHash('sha1').update(`${esbuildVersion}\0${file}\0`).update(source).digest('hex');
  const cached = path.join(CACHE, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // not compiled yet
  }
  const { code } = transformSync(source, {
    loader: 'ts',
    format: file.endsWith('.cts') ? 'cjs' : 'esm',
    target: `node${process.versions.node}`,
    sourcemap: 'inline',
    sourcefile: file,
    tsconfigRaw: compilerOptions(),
  });
  try {
    mkdirSync(CACHE, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, cached); // atomic: concurrent processes never read half a file
  } catch {
    // a read-only tree: compile every time
  }
  return code;
}

/** The `load` hook: TypeScript files become modules (`.cts` CommonJS). */
export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !TS.test(url.split('?')[0])) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const source = compile(file, readFileSync(file, 'utf8'));
  return { format: file.endsWith('.cts') ? 'commonjs' : 'module', source, shortCircuit: true };
}
