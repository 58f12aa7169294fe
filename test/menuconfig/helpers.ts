/** Shared setup for the menuconfig tests: the small model tree, and a fresh build of the test app. */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadKconfig, type Kconfig } from '../../src/kconfig/index.ts';
import { MenuconfigApp } from '../../src/build/menuconfig/app.ts';
import { MenuModel } from '../../src/build/menuconfig/model.ts';
import { ROOT, zsim } from '../helpers/cli.ts';

export const FIXTURES = path.join(ROOT, 'test/menuconfig/fixtures');

/** The model test tree (test/menuconfig/fixtures/model/Kconfig), no fragments applied. */
export function loadModelTree(): Kconfig {
  return loadKconfig('Kconfig', { srctree: path.join(FIXTURES, 'model'), env: {} });
}

/** A model over the test tree, with every symbol counted as already in `.config` (no "(NEW)"). */
export function modelOf(kconf: Kconfig = loadModelTree(), opts: { showAll?: boolean } = {}): MenuModel {
  return new MenuModel(kconf, [], { ...opts, inConfig: new Set(kconf.uniqueDefinedSyms.map((s) => s.name)) });
}

/** The shown entries as text. */
export function rows(m: MenuModel): string[] {
  return m.shown.map((n) => m.nodeStr(n));
}

/** Selects the shown entry whose text contains `text`. */
export function select(m: MenuModel, text: string): void {
  const i = m.shown.findIndex((n) => m.nodeStr(n).includes(text));
  if (i < 0) throw new Error(`no entry '${text}' in: ${rows(m).join(' | ')}`);
  m.moveBy(i - m.sel);
}

/** An app over the model tree whose saves are counted. */
export function appOf(kconf: Kconfig = loadModelTree()): { app: MenuconfigApp; saves: () => number } {
  let saves = 0;
  const app = new MenuconfigApp(modelOf(kconf), { save: () => `Configuration saved (${++saves})` });
  app.resize(100, 30);
  return { app, saves: () => saves };
}

/** Presses keys in notation order (one string per key). */
export function press(app: MenuconfigApp, ...keys: string[]): void {
  for (const k of keys) app.handle(k);
}

/** A fresh build directory holding the test app (or another app) built for qemu_x86. */
export function buildApp(app = path.join(FIXTURES, 'app')): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'zsim-mc-')), 'build');
  const r = zsim(['build', '-b', 'qemu_x86', app, '-d', dir]);
  if (r.code !== 0) throw new Error(`build failed: ${r.stderr}`);
  return dir;
}

/** A private copy of the test app, for tests that edit its prj.conf. */
export function copyApp(): string {
  const dest = path.join(mkdtempSync(path.join(tmpdir(), 'zsim-mc-app-')), 'app');
  cpSync(path.join(FIXTURES, 'app'), dest, { recursive: true });
  return dest;
}
