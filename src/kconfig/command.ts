/**
 * `zsim kconfig --kconfig PATH [--config FRAGMENT]... --out DIR`: Zephyr's
 * configure-time Kconfig step. Output files are only written when there are
 * no errors, as in Zephyr (no half-configured build directories).
 */
import fs from 'node:fs';
import path from 'node:path';
import { KconfigError } from './errors.ts';
import { Kconfig } from './kconfig.ts';
import { formatDiagnostic, mergeConfigs, type ExtraAssignment } from './merge.ts';

/** Options of {@link kconfigCommand}. */
export interface KconfigCommandOptions {
  /** Top-level Kconfig file (relative to $srctree when it is set, like Kconfiglib). */
  kconfig: string;
  /** Fragments in merge order. */
  configs: string[];
  /** Output directory for `.config` and `autoconf.h`. */
  out: string;
  /** Environment for the Kconfig preprocessor; defaults to process.env. */
  env?: Record<string, string>;
  /** Extra `CONFIG_X=VALUE` assignments applied last. */
  extra?: ExtraAssignment[];
}

/** Exit code and stderr lines of {@link kconfigCommand}. */
export interface KconfigCommandResult {
  exitCode: number;
  stderr: string[];
}

/** Runs the Kconfig step; never throws for Kconfig or I/O problems (they become exit code 1). */
export async function kconfigCommand(opts: KconfigCommandOptions): Promise<KconfigCommandResult> {
  const stderr: string[] = [];
  let kconf: Kconfig;
  try {
    kconf = new Kconfig(opts.kconfig, { env: opts.env });
    // $(info,...) output is printed while parsing, before any check runs.
    stderr.push(...kconf.infoMessages);
    const { diagnostics, ok } = mergeConfigs(kconf, { fragments: opts.configs, extra: opts.extra });
    for (const d of diagnostics) stderr.push(...formatDiagnostic(d).split('\n'));
    if (!ok) return { exitCode: 1, stderr };
    fs.mkdirSync(opts.out, { recursive: true });
    kconf.writeConfig(path.join(opts.out, '.config'));
    kconf.writeAutoconf(path.join(opts.out, 'autoconf.h'));
    return { exitCode: 0, stderr };
  } catch (e) {
    if (e instanceof KconfigError) {
      stderr.push(...e.message.trim().split('\n'));
      return { exitCode: 1, stderr };
    }
    if (e instanceof Error && 'code' in e) {
      stderr.push(`error: ${e.message}`);
      return { exitCode: 1, stderr };
    }
    throw e;
  }
}
