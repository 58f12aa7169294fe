/**
 * Where root commands live, and how the command tree is walked (Zephyr's `shell_utils.c`:
 * `z_shell_cmd_get`, `z_shell_find_cmd`).
 *
 * In Zephyr, `SHELL_CMD_REGISTER` puts an entry in a linker section that the shell walks sorted by
 * name. In zsim an app's code is evaluated once per board, so a registration made while a board
 * runs (`cpu.kernel` set) belongs to that board; one made by shared code outside any board (a zsim
 * library module) belongs to every board, like a command linked into every image. The built-in
 * command modules (kernel, net, log, cred...) contribute through installers that look at the
 * board's configuration, as Zephyr's Kconfig decides what is linked in.
 */
import { cpu } from '../kernel/cpu.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { ShellCmdSet, ShellDynamicEntry, ShellStaticEntry } from './shell_types.ts';

/** Builds a board's built-in root commands from its configuration (empty when disabled). */
export type BuiltinInstaller = (k: Kernel) => ShellStaticEntry[];

interface BoardRegistry {
  readonly builtins: ShellStaticEntry[];
  readonly app: Map<string, ShellStaticEntry>;
}

const SUBSYS_KEY = 'shell.registry';
const installers = new Map<string, BuiltinInstaller>();
const globalCommands = new Map<string, ShellStaticEntry>();

/**
 * Registers a module of built-in commands. Keyed by name so a module evaluated twice replaces its
 * installer. Boards whose registry already exists are not affected.
 */
export function registerBuiltinInstaller(name: string, install: BuiltinInstaller): void {
  installers.set(name, install);
}

function boardRegistry(k: Kernel): BoardRegistry {
  let r = k.subsys.get(SUBSYS_KEY) as BoardRegistry | undefined;
  if (!r) {
    const builtins = k.enabled('SHELL') ? [...installers.values()].flatMap((install) => install(k)) : [];
    r = { builtins, app: new Map() };
    k.subsys.set(SUBSYS_KEY, r);
  }
  return r;
}

/** A command registered twice under one name (Zephyr fails to link). */
export class ShellRegistrationError extends Error {}

/**
 * Adds a root command for the running board, or for every board when called outside one.
 * Throws when the name is taken, as two `SHELL_CMD_REGISTER` of one name do not link in Zephyr.
 */
export function registerRootCommand(entry: ShellStaticEntry, k: Kernel | null = cpu.kernel): void {
  const taken = (name: string): boolean =>
    globalCommands.has(name) || (k !== null && (boardRegistry(k).app.has(name) || boardRegistry(k).builtins.some((e) => e.syntax === name)));
  if (taken(entry.syntax)) {
    throw new ShellRegistrationError(`shell command '${entry.syntax}' is already registered`);
  }
  if (k) boardRegistry(k).app.set(entry.syntax, entry);
  else globalCommands.set(entry.syntax, entry);
}

/** Removes a root command (tests, and apps undoing a registration); true when it existed. */
export function unregisterRootCommand(name: string, k: Kernel | null = cpu.kernel): boolean {
  if (k && boardRegistry(k).app.delete(name)) return true;
  return globalCommands.delete(name);
}

/** The board's root commands sorted by name, as Zephyr's sorted section gives them. */
export function rootCommands(k: Kernel): ShellStaticEntry[] {
  const r = boardRegistry(k);
  const all = [...r.builtins, ...r.app.values(), ...globalCommands.values()];
  return all.sort((a, b) => (a.syntax < b.syntax ? -1 : a.syntax > b.syntax ? 1 : 0));
}

/** A fresh entry for a dynamic getter to fill. */
function blankDynamic(): ShellDynamicEntry {
  return { syntax: null, help: null, subcmd: null, handler: null, args: { mandatory: 0, optional: 0 } };
}

/** The `idx`-th entry of a subcommand set, or null past its end (`z_shell_cmd_get`). */
export function setEntry(set: ShellCmdSet, idx: number): ShellStaticEntry | null {
  if (set.kind === 'static') return set.entries[idx] ?? null;
  const d = blankDynamic();
  set.get(idx, d);
  if (d.syntax === null) return null;
  return { syntax: d.syntax, help: d.help, subcmd: d.subcmd, handler: d.handler, args: { ...d.args } };
}

/** Every entry of a level: the root commands (`parent` null) or a command's subcommands. */
export function levelEntries(k: Kernel, parent: ShellStaticEntry | null): ShellStaticEntry[] {
  if (parent === null) return rootCommands(k);
  const set = parent.subcmd;
  if (!set) return [];
  const out: ShellStaticEntry[] = [];
  // A dynamic getter that never ends would hang the shell; Zephyr's are bounded by their tables.
  for (let i = 0; i < 4096; i++) {
    const e = setEntry(set, i);
    if (!e) break;
    out.push(e);
  }
  return out;
}

/** The entry of a level whose syntax is exactly `name` (`z_shell_find_cmd`). */
export function findCommand(k: Kernel, parent: ShellStaticEntry | null, name: string): ShellStaticEntry | null {
  return levelEntries(k, parent).find((e) => e.syntax === name) ?? null;
}
