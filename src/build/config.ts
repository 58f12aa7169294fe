/**
 * A build's configuration: the board's defconfig, then the app's `prj.conf`, then extra fragments,
 * then `-DCONFIG_X=...` assignments; later wins, as in Zephyr.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ConfigValue, KConfig } from '../kernel/kernel.ts';

/** A problem in a configuration fragment, with its place. */
export class ConfigError extends Error {}

/** Parses one `.config` value as apps see it. */
export function parseConfigValue(raw: string): ConfigValue | undefined {
  const v = raw.trim();
  if (v === 'y') return true;
  if (v === 'n') return false;
  if (v.startsWith('"')) {
    if (!v.endsWith('"') || v.length < 2) return undefined;
    return v.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  if (/^0x[0-9a-f]+$/i.test(v)) return parseInt(v, 16);
  if (/^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

/** Applies `CONFIG_X=...` lines of a fragment to `into`. */
export function applyFragmentText(text: string, file: string, into: Record<string, ConfigValue>): void {
  text.split('\n').forEach((line, i) => {
    const l = line.trim();
    if (!l) return;
    const unset = /^#\s*CONFIG_(\w+) is not set$/.exec(l);
    if (unset) {
      into[unset[1]!] = false;
      return;
    }
    if (l.startsWith('#')) return;
    const m = /^CONFIG_(\w+)=(.*)$/.exec(l);
    if (!m) throw new ConfigError(`${file}:${i + 1}: malformed line '${l}'`);
    const v = parseConfigValue(m[2]!);
    if (v === undefined) throw new ConfigError(`${file}:${i + 1}: malformed value '${m[2]}' for CONFIG_${m[1]}`);
    into[m[1]!] = v;
  });
}

export interface ConfigInputs {
  /** Fragments in order (board defconfig, prj.conf, overlays). Missing optional files are skipped. */
  fragments: string[];
  /** `CONFIG_X=value` assignments applied last. */
  defines?: string[];
}

/** Merges the fragments into the values apps read. */
export function mergeConfig(inputs: ConfigInputs): KConfig {
  const out: Record<string, ConfigValue> = {};
  for (const f of inputs.fragments) {
    if (!existsSync(f)) throw new ConfigError(`${f}: configuration file not found`);
    applyFragmentText(readFileSync(f, 'utf8'), f, out);
  }
  applyFragmentText((inputs.defines ?? []).join('\n'), '-D', out);
  return out;
}
