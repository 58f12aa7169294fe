/**
 * How menuconfig changes survive the next `zsim build`, as in Zephyr: a saved configuration is
 * reused until an input fragment changes, then the build regenerates `.config` from the fragments
 * and the menuconfig changes are dropped.
 *
 * Zephyr gets this by reusing `.config` as long as the merged fragments' checksum is unchanged.
 * zsim rebuilds `.config` from the fragments on every reconfiguration, so menuconfig instead
 * leaves two files in `BUILD/zephyr/`:
 *
 * - `menuconfig.conf`: a fragment with the assignments the user made in menuconfig (not a full
 *   `.config`: Zephyr's merge checks reject assignments to promptless symbols, and a full
 *   `.config` is full of them);
 * - `menuconfig.json`: the hash of the fragments and `-D` assignments that fragment was based on.
 *
 * `westBuild` appends `menuconfig.conf` as the last fragment when {@link menuconfigFragment} says
 * it still applies. Merging the fragments and then it reproduces the saved `.config` exactly,
 * because menuconfig starts from that same merge and only adds user values.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The fragment menuconfig saves, in `BUILD/zephyr/`. */
export const MENUCONFIG_CONF = 'menuconfig.conf';
/** What the fragment was based on, in `BUILD/zephyr/`. */
export const MENUCONFIG_JSON = 'menuconfig.json';

/** The contents of `menuconfig.json`. */
export interface MenuconfigRecord {
  version: 1;
  /** {@link fragmentsHash} of the inputs the saved configuration started from. */
  fragmentsHash: string;
  /** Those inputs, for humans reading the file and for error messages. */
  fragments: string[];
  defines: string[];
  /** ISO time of the save. */
  savedAt: string;
}

/** Reads a file's bytes, or null when it is missing (a missing optional fragment is an input too). */
export type ReadFile = (file: string) => Buffer | string | null;

const readOrNull: ReadFile = (f) => (existsSync(f) ? readFileSync(f) : null);

/**
 * Hash of the configuration inputs: fragment paths in order, their contents, and the `-D`
 * assignments. Order matters (later fragments win), so it is hashed as given.
 */
export function fragmentsHash(fragments: readonly string[], defines: readonly string[] = [], read: ReadFile = readOrNull): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ fragments, defines }));
  for (const f of fragments) {
    const data = read(f);
    h.update(`\0${f}\0${data === null ? 'missing' : 'present'}\0`);
    if (data !== null) h.update(data);
  }
  return h.digest('hex');
}

/** The pure decision: a saved menuconfig applies iff it was based on exactly the current inputs. */
export function menuconfigApplies(record: MenuconfigRecord | null, currentHash: string): boolean {
  return record !== null && record.version === 1 && record.fragmentsHash === currentHash;
}

/** Parses `menuconfig.json` text; null for anything malformed (treated as "no saved menuconfig"). */
export function parseRecord(text: string): MenuconfigRecord | null {
  try {
    const r = JSON.parse(text) as Partial<MenuconfigRecord>;
    if (r.version !== 1 || typeof r.fragmentsHash !== 'string') return null;
    return {
      version: 1,
      fragmentsHash: r.fragmentsHash,
      fragments: Array.isArray(r.fragments) ? r.fragments.map(String) : [],
      defines: Array.isArray(r.defines) ? r.defines.map(String) : [],
      savedAt: typeof r.savedAt === 'string' ? r.savedAt : '',
    };
  } catch {
    return null;
  }
}

/** Reads `BUILD/zephyr/menuconfig.json`, or null. */
export function readRecord(zephyrDir: string): MenuconfigRecord | null {
  const file = path.join(zephyrDir, MENUCONFIG_JSON);
  return existsSync(file) ? parseRecord(readFileSync(file, 'utf8')) : null;
}

/**
 * What `westBuild` calls: the path of `menuconfig.conf` to append as the last fragment, or null.
 * `fragments` and `defines` are the build's inputs without menuconfig.conf. A stale saved
 * configuration (its inputs changed) is deleted, so `zsim config` no longer reports it either.
 */
export function menuconfigFragment(
  zephyrDir: string,
  fragments: readonly string[],
  defines: readonly string[] = [],
  opts: { removeStale?: boolean } = {},
): string | null {
  const conf = path.join(zephyrDir, MENUCONFIG_CONF);
  const record = readRecord(zephyrDir);
  if (!record || !existsSync(conf)) return null;
  if (menuconfigApplies(record, fragmentsHash(withoutOverlay(fragments, zephyrDir), defines))) return conf;
  if (opts.removeStale ?? true) forgetMenuconfig(zephyrDir);
  return null;
}

/** Drops menuconfig.conf from a fragment list (in case a caller stored it with the others). */
export function withoutOverlay(fragments: readonly string[], zephyrDir: string): string[] {
  const conf = path.resolve(zephyrDir, MENUCONFIG_CONF);
  return fragments.filter((f) => path.resolve(f) !== conf);
}

/** Deletes the saved menuconfig files. */
export function forgetMenuconfig(zephyrDir: string): void {
  rmSync(path.join(zephyrDir, MENUCONFIG_CONF), { force: true });
  rmSync(path.join(zephyrDir, MENUCONFIG_JSON), { force: true });
}

/** One menuconfig assignment: symbol name (no prefix) and its value as `.config` spells it. */
export interface Assignment {
  name: string;
  /** `y`/`n`/`m` for bool/tristate, digits for int/hex, the raw (unescaped) text for strings. */
  value: string;
  type: 'bool' | 'tristate' | 'int' | 'hex' | 'string';
}

/** One fragment line for an assignment. */
export function assignmentLine(a: Assignment): string {
  if (a.type === 'bool' || a.type === 'tristate') return a.value === 'n' ? `# CONFIG_${a.name} is not set` : `CONFIG_${a.name}=${a.value}`;
  if (a.type === 'string') return `CONFIG_${a.name}="${a.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return `CONFIG_${a.name}=${a.value}`;
}

const OVERLAY_HEADER = [
  "# Saved by zsim menuconfig: the changes made there, applied after the build's fragments.",
  '# Dropped automatically when a fragment (prj.conf, board defconfig, overlays, -D) changes.',
];
/** Lines before the first assignment in `menuconfig.conf`. */
export const OVERLAY_HEADER_LINES = OVERLAY_HEADER.length;

/** The text of `menuconfig.conf`: a header, then one line per assignment in the order made. */
export function overlayText(assignments: readonly Assignment[]): string {
  return [...OVERLAY_HEADER, ...assignments.map(assignmentLine)].join('\n') + '\n';
}

/** Writes `menuconfig.conf` and `menuconfig.json`. Returns the fragment's path. */
export function writeMenuconfig(
  zephyrDir: string,
  assignments: readonly Assignment[],
  based: { fragments: readonly string[]; defines: readonly string[] },
  now: Date = new Date(),
): string {
  const fragments = withoutOverlay(based.fragments, zephyrDir);
  const conf = path.join(zephyrDir, MENUCONFIG_CONF);
  writeFileSync(conf, overlayText(assignments));
  const record: MenuconfigRecord = {
    version: 1,
    fragmentsHash: fragmentsHash(fragments, based.defines),
    fragments,
    defines: [...based.defines],
    savedAt: now.toISOString(),
  };
  writeFileSync(path.join(zephyrDir, MENUCONFIG_JSON), JSON.stringify(record, null, 2) + '\n');
  return conf;
}
