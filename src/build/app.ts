/**
 * Building and loading apps. An app is a folder with `src/main.ts` exporting `main`. esbuild
 * bundles it (with its own imports) into one CommonJS file wrapped in a factory: zsim modules stay
 * outside the bundle and are handed in at load time, so every board shares zsim's code and state
 * while each board gets its own evaluation of the app (its own static objects and variables).
 */
import { build, type Message, type Plugin } from 'esbuild';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AppExports, AppImage } from '../kernel/init.ts';
import type { KConfig } from '../kernel/kernel.ts';
import { ZSIM_MODULES } from './modules.ts';

/** A build failure, already worded for the user (file:line: message). */
export class BuildError extends Error {}

/** The entry file of an app folder. */
export function appEntry(appDir: string): string {
  for (const f of ['src/main.ts', 'src/main.js', 'src/main.mts']) {
    const p = path.join(appDir, f);
    if (existsSync(p)) return p;
  }
  throw new BuildError(`${appDir}: not an app (no src/main.ts)`);
}

function enabled(config: KConfig, sym: string): boolean {
  const v = config[sym];
  return v !== undefined && v !== false && v !== 0;
}

function zsimPlugin(config: KConfig, used: Set<string>): Plugin {
  return {
    name: 'zsim-modules',
    setup(b) {
      b.onResolve({ filter: /^zsim(\/|$)/ }, (args) => {
        const mod = ZSIM_MODULES[args.path];
        if (!mod) {
          return { errors: [{ text: `unknown zsim module '${args.path}' (available: ${Object.keys(ZSIM_MODULES).join(', ')})` }] };
        }
        const missing = mod.requires.filter((s) => !enabled(config, s));
        if (missing.length > 0) {
          const list = missing.map((s) => `CONFIG_${s}=y`).join(' and ');
          return { errors: [{ text: `'${args.path}' (${mod.header}) is not enabled in this build: set ${list} in prj.conf` }] };
        }
        used.add(args.path);
        return { path: args.path, external: true };
      });
    },
  };
}

function formatMessage(m: Message, appDir: string): string {
  const file = m.location ? path.relative(process.cwd(), path.resolve(appDir, m.location.file)) || m.location.file : '';
  const loc = m.location ? `${file}:${m.location.line}:${m.location.column + 1}: ` : '';
  return `${loc}error: ${m.text}`;
}

export interface BuildResult {
  /** The bundle written. */
  bundle: string;
  /** zsim modules the app imports. */
  modules: string[];
  /** Absolute paths of every file bundled, so that a change to any of them rebuilds. */
  sources: string[];
}

/** Bundles the app at `appDir` into `outDir/zsim_app.cjs`. */
export async function buildApp(appDir: string, outDir: string, config: KConfig): Promise<BuildResult> {
  const entry = appEntry(appDir);
  mkdirSync(outDir, { recursive: true });
  const bundle = path.join(outDir, 'zsim_app.cjs');
  const used = new Set<string>();
  let sources: string[] = [];
  try {
    const r = await build({
      metafile: true,
      entryPoints: [entry],
      absWorkingDir: path.resolve(appDir),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: bundle,
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      plugins: [zsimPlugin(config, used)],
      banner: { js: 'module.exports = function zsim_app(require) { const module = { exports: {} }; const exports = module.exports;' },
      footer: { js: 'return module.exports; };' },
    });
    if (r.errors.length) throw new BuildError(r.errors.map((m) => formatMessage(m, appDir)).join('\n'));
    sources = Object.keys(r.metafile.inputs).map((f) => path.resolve(appDir, f)).sort();
  } catch (e) {
    if (e instanceof BuildError) throw e;
    const errs = (e as { errors?: Message[] }).errors;
    if (errs?.length) throw new BuildError(errs.map((m) => formatMessage(m, appDir)).join('\n'));
    throw e;
  }
  return { bundle, modules: [...used].sort(), sources };
}

/** Loads a built app: resolves the zsim modules it uses and returns its per-board factory. */
export async function loadApp(bundle: string, modules: readonly string[]): Promise<AppImage> {
  process.setSourceMapsEnabled(true);
  const req = createRequire(import.meta.url);
  const abs = path.resolve(bundle);
  delete req.cache[abs];
  const factory = req(abs) as (r: (id: string) => unknown) => AppExports;
  const mods = new Map<string, object>();
  for (const id of modules) {
    const m = ZSIM_MODULES[id];
    if (!m) throw new BuildError(`${bundle}: imports unknown zsim module '${id}'`);
    mods.set(id, await m.load());
  }
  const appRequire = (id: string): unknown => mods.get(id) ?? req(id);
  // A zsim module may supply the app's main(), as Zephyr's ztest library links one in: an app
  // that exports no main runs the `z_default_main` of a module it imports (zsim/ztest).
  const defaultMain = [...mods.values()]
    .map((m) => (m as { z_default_main?: unknown }).z_default_main)
    .find((f): f is () => unknown => typeof f === 'function');
  if (!defaultMain) return { instantiate: () => factory(appRequire) };
  return {
    instantiate: () => {
      const exp = factory(appRequire);
      return typeof exp.main === 'function' ? exp : { ...exp, main: defaultMain };
    },
  };
}
