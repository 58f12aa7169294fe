/**
 * The build options `zsim build` and `zsim run` share, in west's spellings: `-b`, `-d`, `-p`, and
 * CMake-style `-- -DCONF_FILE=... -DEXTRA_CONF_FILE=... -DCONFIG_X=...` after `--`.
 */
import type { Options } from 'yargs';
import { UsageError } from './errors.ts';

export const buildOptions: Record<string, Options> = {
  board: { alias: 'b', type: 'string', describe: 'board, e.g. qemu_x86 (zsim boards lists them)' },
  'build-dir': { alias: 'd', type: 'string', default: 'build', describe: 'build directory' },
  pristine: { alias: 'p', type: 'string', describe: 'always | never | auto: wipe the build directory first' },
  'extra-conf': { type: 'string', array: true, default: [], describe: 'extra Kconfig fragment (EXTRA_CONF_FILE)' },
  define: { alias: 'D', type: 'string', array: true, default: [], describe: 'CONFIG_X=value (or CONF_FILE=..., EXTRA_CONF_FILE=...)' },
};

/** `-p` as west takes it: a bare `-p` means always. */
export function pristineOf(v: unknown): 'always' | 'never' | 'auto' | undefined {
  if (v === undefined) return undefined;
  if (v === '' || v === true || v === 'always') return 'always';
  if (v === 'never' || v === 'auto') return v;
  throw new UsageError(`-p/--pristine must be always, never or auto, got '${String(v)}'`);
}

/**
 * Splits -D values and the arguments after `--` into Kconfig assignments and fragment lists. What
 * is not given comes from the build directory's cache (see westBuild).
 */
export function cmakeArgs(a: Record<string, unknown>): { defines: string[]; extraConfFiles: string[]; confFile?: string[] } {
  const raw = [...((a.define as string[] | undefined) ?? []), ...(((a['--'] as unknown[] | undefined) ?? []).map(String))];
  const defines: string[] = [];
  const extraConfFiles = [...((a['extra-conf'] as string[] | undefined) ?? [])];
  let confFile: string[] | undefined;
  for (const r0 of raw) {
    const r = r0.startsWith('-D') ? r0.slice(2) : r0;
    // Echo it as typed: `-DX=1` after `--`, `-D X=1` as an option.
    const shown = r0.startsWith('-D') ? r0 : `-D ${r0}`;
    const m = /^([A-Za-z_]\w*)=(.*)$/.exec(r);
    if (!m) throw new UsageError(`${shown}: expected CONFIG_NAME=value, CONF_FILE=... or EXTRA_CONF_FILE=...`);
    const [, key, value] = m as unknown as [string, string, string];
    const files = value.split(/[;\s]+/).filter(Boolean);
    // An empty -DEXTRA_CONF_FILE= clears the cached list (westBuild drops the '').
    if (key === 'EXTRA_CONF_FILE' || key === 'OVERLAY_CONFIG') extraConfFiles.push(...(files.length ? files : ['']));
    else if (key === 'CONF_FILE') confFile = files;
    else if (key.startsWith('CONFIG_')) defines.push(`${key}=${value}`);
    else {
      const hint = key === 'BOARD_ROOT' ? " (zsim takes board roots from the modules in manifest.json: a module's zephyr/module.yml 'build: settings: board_root:')" : '';
      throw new UsageError(`${shown}: expected CONFIG_NAME=value, CONF_FILE=... or EXTRA_CONF_FILE=...${hint}`);
    }
  }
  return { defines, extraConfFiles, confFile };
}
