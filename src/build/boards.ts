/**
 * Board discovery, after Zephyr's hardware model v2: `boards/<vendor>/<board>/board.yml` names the
 * board; `<board>.yaml` (twister's metadata) gives RAM, flash and supported features;
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
  /** `<board>_defconfig`, if present. */
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

function loadBoard(dir: string): Board[] {
  const file = path.join(dir, 'board.yml');
  const doc = readYaml(file) as { board?: unknown; boards?: unknown } | null;
  const entries = doc?.boards ?? (doc?.board ? [doc.board] : null);
  if (!Array.isArray(entries)) throw new BoardError(`${file}: expected a 'board:' mapping`);
  return entries.map((b: unknown, i: number) => {
    const rec = b as Record<string, unknown>;
    if (typeof rec?.name !== 'string' || !rec.name) throw new BoardError(`${file}: board ${i}: 'name' is required`);
    const name = rec.name;
    const meta = path.join(dir, `${name}.yaml`);
    const m = (existsSync(meta) ? readYaml(meta) : {}) as Record<string, unknown>;
    const defconfig = path.join(dir, `${name}_defconfig`);
    const socs = Array.isArray(rec.socs) ? rec.socs.map((s) => String((s as { name?: unknown }).name ?? s)) : [];
    return {
      name,
      fullName: typeof rec.full_name === 'string' ? rec.full_name : name,
      vendor: typeof rec.vendor === 'string' ? rec.vendor : '',
      dir,
      socs,
      defconfig: existsSync(defconfig) ? defconfig : null,
      ram: typeof m.ram === 'number' ? m.ram : 0,
      flash: typeof m.flash === 'number' ? m.flash : 0,
      arch: typeof m.arch === 'string' ? m.arch : '',
      supported: Array.isArray(m.supported) ? m.supported.map(String) : [],
      netif: readNetif(meta, m.zsim),
    };
  });
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

/** The board called `name`, or a BoardError listing the known ones. */
export function findBoard(name: string, roots?: string[]): Board {
  const boards = listBoards(roots);
  const b = boards.find((x) => x.name === name);
  if (!b) throw new BoardError(`unknown board '${name}' (known boards: ${boards.map((x) => x.name).join(', ')})`);
  return b;
}
