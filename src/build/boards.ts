/**
 * Board discovery, after Zephyr's hardware model v2: `boards/<vendor>/<board>/board.yml` names the
 * board and its SoCs (with CPU clusters and variants: the board targets, `qemu_x86/atom`);
 * `<board>.yaml` (twister's metadata) gives RAM, flash and supported features;
 * `<board>_defconfig` is the board's Kconfig fragment.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

/** The zsim installation's root (where `boards/`, `kconfig/` and `samples/` live). */
export const ZSIM_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Board {
  name: string;
  fullName: string;
  vendor: string;
  dir: string;
  socs: string[];
  /**
   * Zephyr's board targets (hardware model v2), `BOARD/SOC[/CPUCLUSTER][/VARIANT]` from board.yml's
   * `socs:` (with their `cpuclusters:` and `variants:`), e.g. `qemu_x86/atom`; the first is the
   * default a plain `-b BOARD` stands for.
   */
  targets: string[];
  /** The target chosen (`findBoard`): `BOARD/QUALIFIERS`, or the plain name for a board without SoCs. */
  target: string;
  /** The qualifiers of `target` (`atom`, `esp32/procpu`), '' for a board without SoCs. */
  qualifiers: string;
  /** The target's defconfig: `<board>_<qualifiers>_defconfig` or else `<board>_defconfig`, if present. */
  defconfig: string | null;
  /** RAM and flash in KiB, from `<board>.yaml`. */
  ram: number;
  flash: number;
  arch: string;
  /** twister's `supported:` list, e.g. `netif:eth`. */
  supported: string[];
  /** Network interfaces from the `zsim:` section of `<board>.yaml`. */
  netif: BoardNetif[];
}

/** One network interface of a board. */
export interface BoardNetif {
  type: 'ethernet' | 'wifi';
  mac: string;
}

/** A board file that could not be read; names the file and what is wrong. */
export class BoardError extends Error {}

function readYaml(file: string): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new BoardError(`${file}: ${msg}`);
  }
}

/** A scalar as the user wrote it, for error messages. */
function shown(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** twister's enums (scripts/schemas/twister/platform-schema.yaml). */
const BOARD_TYPES = ['mcu', 'qemu', 'sim', 'unit', 'native'] as const;
const BOARD_ARCHES = ['arc', 'arm', 'arm64', 'mips', 'nios2', 'posix', 'riscv', 'sparc', 'x86', 'xtensa', 'unit'] as const;
/** An `arch` of twister's platform schema. */
export type BoardArch = (typeof BOARD_ARCHES)[number];
const SIMULATORS = ['qemu', 'simics', 'xt-sim', 'renode', 'nsim', 'mdb-nsim', 'tsim', 'armfvp', 'native', 'custom'] as const;

/**
 * Checks one board file's fields, each error naming the file and the field (`ram`,
 * `testing.default`, `zsim.netif[0].mac`), like `zsim.netif[0].mac must look like ...`.
 */
class FieldCheck {
  constructor(readonly file: string) {}

  fail(field: string, what: string): never {
    throw new BoardError(`${this.file}: ${field} ${what}`);
  }

  map(field: string, v: unknown): Record<string, unknown> | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) this.fail(field, `must be a mapping, got '${shown(v)}'`);
    return v as Record<string, unknown>;
  }

  string(field: string, v: unknown): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || !v) this.fail(field, `must be a non-empty string, got '${shown(v)}'`);
    return v;
  }

  bool(field: string, v: unknown): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') this.fail(field, `must be true or false, got '${shown(v)}'`);
    return v;
  }

  /** A whole number >= min (`unit` says what it counts, e.g. KiB). */
  int(field: string, v: unknown, min: number, unit = ''): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      this.fail(field, `must be a whole number${min > 0 ? ` of at least ${min}` : ' (0 or more)'}${unit ? ` (${unit})` : ''}, got '${shown(v)}'`);
    }
    return v;
  }

  number(field: string, v: unknown): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) this.fail(field, `must be a positive number, got '${shown(v)}'`);
    return v;
  }

  oneOf<T extends string>(field: string, v: unknown, values: readonly T[]): T | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) this.fail(field, `must be one of ${values.join(', ')}, got '${shown(v)}'`);
    return v as T;
  }

  list(field: string, v: unknown): unknown[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.fail(field, `must be a list, got '${shown(v)}'`);
    return v;
  }

  strings(field: string, v: unknown): string[] | undefined {
    return this.list(field, v)?.map((x, i) => this.string(`${field}[${i}]`, x) ?? this.fail(`${field}[${i}]`, 'must be a non-empty string'));
  }
}

/** The board's twister metadata (`<board>.yaml`), checked field by field. */
function readBoardMeta(meta: string): { ram: number; flash: number; arch: string; supported: string[]; zsim: unknown } {
  const raw = existsSync(meta) ? readYaml(meta) : {};
  const c = new FieldCheck(meta);
  const m = c.map('(top level)', raw ?? {}) ?? {};
  c.string('identifier', m.identifier);
  c.string('name', m.name);
  c.string('vendor', m.vendor);
  c.oneOf('type', m.type, BOARD_TYPES);
  const arch = c.oneOf('arch', m.arch, BOARD_ARCHES) ?? '';
  const ram = c.int('ram', m.ram, 1, 'KiB') ?? 0;
  const flash = c.int('flash', m.flash, 1, 'KiB') ?? 0;
  c.int('tier', m.tier, 0);
  c.bool('sysbuild', m.sysbuild);
  c.bool('twister', m.twister);
  c.strings('toolchain', m.toolchain);
  c.strings('env', m.env);
  const supported = c.strings('supported', m.supported) ?? [];
  (c.list('simulation', m.simulation) ?? []).forEach((x, i) => {
    const sim = c.map(`simulation[${i}]`, x) ?? c.fail(`simulation[${i}]`, 'must be a mapping');
    if (sim.name === undefined) c.fail(`simulation[${i}].name`, 'is required');
    c.oneOf(`simulation[${i}].name`, sim.name, SIMULATORS);
    c.string(`simulation[${i}].exec`, sim.exec);
  });
  const testing = c.map('testing', m.testing);
  if (testing) {
    c.bool('testing.default', testing.default);
    c.number('testing.timeout_multiplier', testing.timeout_multiplier);
    c.strings('testing.only_tags', testing.only_tags);
    c.strings('testing.ignore_tags', testing.ignore_tags);
  }
  c.map('zsim', m.zsim);
  return { ram, flash, arch, supported, zsim: m.zsim };
}

function loadBoard(dir: string): Board[] {
  const file = path.join(dir, 'board.yml');
  const doc = readYaml(file) as { board?: unknown; boards?: unknown } | null;
  const entries = doc?.boards ?? (doc?.board ? [doc.board] : null);
  if (!Array.isArray(entries)) throw new BoardError(`${file}: expected a 'board:' mapping`);
  const c = new FieldCheck(file);
  return entries.map((b: unknown, i: number) => {
    const at = doc?.boards ? `boards[${i}]` : 'board';
    const rec = c.map(at, b) ?? c.fail(at, 'must be a mapping');
    if (typeof rec.name !== 'string' || !rec.name) throw new BoardError(`${file}: board ${i}: 'name' is required`);
    const name = rec.name;
    const socs: string[] = [];
    const targets: string[] = [];
    /** `variants:` of a SoC or a CPU cluster: each adds `PREFIX/VARIANT` (recursively). */
    const variants = (field: string, list: unknown, prefix: string): void => {
      (c.list(field, list) ?? []).forEach((x, k) => {
        const v = c.map(`${field}[${k}]`, x) ?? c.fail(`${field}[${k}]`, 'must be a mapping with a name');
        const vname = c.string(`${field}[${k}].name`, v.name) ?? c.fail(`${field}[${k}].name`, 'is required');
        targets.push(`${prefix}/${vname}`);
        variants(`${field}[${k}].variants`, v.variants, `${prefix}/${vname}`);
      });
    };
    (c.list(`${at}.socs`, rec.socs) ?? []).forEach((x, j) => {
      const f = `${at}.socs[${j}]`;
      const soc = c.map(f, x) ?? c.fail(f, 'must be a mapping with a name');
      const socName = c.string(`${f}.name`, soc.name) ?? c.fail(`${f}.name`, 'is required');
      socs.push(socName);
      const clusters = c.list(`${f}.cpuclusters`, soc.cpuclusters) ?? [];
      // With CPU clusters, a target names one (Zephyr has no BOARD/SOC target then).
      if (clusters.length === 0) targets.push(`${name}/${socName}`);
      clusters.forEach((y, k) => {
        const cl = c.map(`${f}.cpuclusters[${k}]`, y) ?? c.fail(`${f}.cpuclusters[${k}]`, 'must be a mapping with a name');
        const clName = c.string(`${f}.cpuclusters[${k}].name`, cl.name) ?? c.fail(`${f}.cpuclusters[${k}].name`, 'is required');
        targets.push(`${name}/${socName}/${clName}`);
        variants(`${f}.cpuclusters[${k}].variants`, cl.variants, `${name}/${socName}/${clName}`);
      });
      variants(`${f}.variants`, soc.variants, `${name}/${socName}`);
    });
    const target = targets[0] ?? name;
    const meta = path.join(dir, `${name}.yaml`);
    const m = readBoardMeta(meta);
    return {
      name,
      fullName: c.string(`${at}.full_name`, rec.full_name) ?? name,
      vendor: c.string(`${at}.vendor`, rec.vendor) ?? '',
      dir,
      socs,
      targets,
      target,
      qualifiers: target.slice(name.length + 1),
      defconfig: targetDefconfig(dir, name, target.slice(name.length + 1)),
      ram: m.ram,
      flash: m.flash,
      arch: m.arch,
      supported: m.supported,
      netif: readNetif(meta, m.zsim),
    };
  });
}

/**
 * A target's defconfig, as Zephyr picks it: `<board>_<qualifiers, / as _>_defconfig`
 * (`qemu_x86_atom_nopae_defconfig`) when the board has one, else `<board>_defconfig`.
 */
function targetDefconfig(dir: string, name: string, qualifiers: string): string | null {
  const files = [...(qualifiers ? [`${name}_${qualifiers.replace(/\//g, '_')}_defconfig`] : []), `${name}_defconfig`];
  return files.map((f) => path.join(dir, f)).find((f) => existsSync(f)) ?? null;
}

function readNetif(file: string, zsim: unknown): BoardNetif[] {
  const list = (zsim as { netif?: unknown } | undefined)?.netif;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new BoardError(`${file}: zsim.netif must be a list`);
  return list.map((n: unknown, i: number) => {
    const r = n as { type?: unknown; mac?: unknown };
    if (r?.type !== 'ethernet' && r?.type !== 'wifi') throw new BoardError(`${file}: zsim.netif[${i}].type must be ethernet or wifi`);
    if (typeof r.mac !== 'string' || !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(r.mac)) {
      throw new BoardError(`${file}: zsim.netif[${i}].mac must look like 00:11:22:33:44:55`);
    }
    return { type: r.type, mac: r.mac.toLowerCase() };
  });
}

function findBoardDirs(root: string, depth: number, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  if (names.includes('board.yml')) {
    out.push(root);
    return;
  }
  if (depth === 0) return;
  for (const n of names.sort()) {
    const p = path.join(root, n);
    if (statSync(p).isDirectory()) findBoardDirs(p, depth - 1, out);
  }
}

/** Every board under the given board roots (default: zsim's own `boards/`). */
export function listBoards(roots: string[] = [path.join(ZSIM_ROOT, 'boards')]): Board[] {
  const dirs: string[] = [];
  for (const r of roots) findBoardDirs(r, 3, dirs);
  return dirs.flatMap(loadBoard).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The board for `-b NAME` or a Zephyr board target `-b BOARD/SOC[/CPUCLUSTER][/VARIANT]`, with
 * `target` and `qualifiers` set (a plain name stands for the board's first target, as Zephyr fills
 * in the default SoC); a BoardError lists the known boards, or the board's valid targets.
 */
export function findBoard(name: string, roots?: string[]): Board {
  const boards = listBoards(roots);
  const slash = name.indexOf('/');
  const boardName = slash < 0 ? name : name.slice(0, slash);
  const b = boards.find((x) => x.name === boardName);
  if (!b) throw new BoardError(`unknown board '${name}' (known boards: ${boards.map((x) => x.name).join(', ')})`);
  if (slash < 0) return b;
  const target = b.targets.find((t) => t === name);
  if (!target) {
    const valid = b.targets.length ? b.targets.join(', ') : `${b.name} (it has no qualifiers)`;
    throw new BoardError(`board qualifiers '${name.slice(slash)}' for board '${b.name}' not found: valid board targets are ${valid}`);
  }
  const qualifiers = target.slice(b.name.length + 1);
  return { ...b, target, qualifiers, defconfig: targetDefconfig(b.dir, b.name, qualifiers) };
}
