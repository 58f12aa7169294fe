/**
 * `log` (Zephyr's `subsys/logging/log_cmds.c`, with `CONFIG_LOG` and the shell log backend):
 * `status`, `enable <level> [module...]`, `disable [module...]`, `halt`, `go`, `list_backends`.
 *
 * As in Zephyr, the levels set here are the shell log backend's runtime filter: they can only
 * narrow what a module's compile-time level lets through. zsim's logging keeps no registry of
 * modules, so the shell knows a module once it has logged on the board, and the "built-in" column
 * of `log status` shows n/a; "current" is the shell's filter (dbg: everything passes).
 */
import { ENOEXEC } from '../libc/errno.ts';
import type { ShellLogControl } from './console_tap.ts';
import { boardShell } from './shell_instance.ts';
import { registerBuiltinInstaller } from './shell_registry.ts';
import {
  SHELL_ERROR, SHELL_NORMAL, SHELL_WARNING, type ShellCmdHandler, type ShellContext, type ShellDynamicSet, type ShellStaticEntry,
} from './shell_types.ts';

const LEVELS = ['none', 'err', 'wrn', 'inf', 'dbg'] as const;
const LEVELS_SORTED = ['dbg', 'err', 'inf', 'none', 'wrn'] as const;
/** Zephyr's backend name for the UART shell's log backend. */
const BACKEND_NAME = 'shell_uart_backend';

/** The UART shell's log control, or an error printed as Zephyr's `shell_state_precheck` does. */
function control(sh: ShellContext): ShellLogControl | null {
  const c = boardShell(sh.kernel)?.logControl ?? null;
  if (!c) sh.write(SHELL_ERROR, 'Shell log backend not initialized.\n');
  return c;
}

/** `severity_level_get`: the level whose name the argument starts with (4 characters compared). */
function severity(arg: string): number {
  return LEVELS.findIndex((l) => arg.slice(0, 4) === l.slice(0, 4));
}

/** `filters_set`: applies `level` to the named modules, or to all of them. */
function filtersSet(sh: ShellContext, c: ShellLogControl, modules: string[], level: number): void {
  if (c.halted) sh.write(SHELL_WARNING, 'Backend not active.\n');
  if (modules.length === 0) {
    c.defaultLevel = level;
    for (const m of c.seen) c.levels.set(m, level);
    return;
  }
  for (const m of modules) {
    if (c.seen.has(m)) c.levels.set(m, level);
    else sh.write(SHELL_ERROR, `${m}: unknown source name.\n`);
  }
}

const cmdStatus: ShellCmdHandler = (sh) => {
  const c = control(sh);
  if (!c) return 0;
  if (c.halted) sh.write(SHELL_WARNING, 'Logs are halted!\n');
  let out = `${'module_name'.padEnd(40)} | current | built-in \n`;
  out += '----------------------------------------------------------\n';
  for (const m of c.seen) out += `${m.padEnd(40)} | ${LEVELS[c.levelOf(m)]!.padEnd(7)} | n/a\n`;
  sh.write(SHELL_NORMAL, out);
  return 0;
};

const cmdEnable: ShellCmdHandler = (sh, _argc, argv) => {
  const c = control(sh);
  if (!c) return 0;
  const lvl = severity(argv[1]!);
  if (lvl < 0) {
    sh.write(SHELL_ERROR, `Invalid severity: ${argv[1]}\n`);
    return -ENOEXEC;
  }
  filtersSet(sh, c, argv.slice(2), lvl);
  return 0;
};

const cmdDisable: ShellCmdHandler = (sh, _argc, argv) => {
  const c = control(sh);
  if (c) filtersSet(sh, c, argv.slice(1), 0);
  return 0;
};

const setHalted = (halted: boolean): ShellCmdHandler => (sh) => {
  const c = control(sh);
  if (c) c.halted = halted;
  return 0;
};

const cmdBackends: ShellCmdHandler = (sh) => {
  const c = boardShell(sh.kernel)?.logControl;
  sh.write(SHELL_NORMAL, `${BACKEND_NAME}\n\t- Status: ${c && !c.halted ? 'enabled' : 'disabled'}\n\t- ID: 0\n\n`);
  return 0;
};

/** Module names of the board, for completion after `log enable <level>` and `log disable`. */
function moduleNames(sh: () => ShellLogControl | null): ShellDynamicSet {
  const set: ShellDynamicSet = {
    kind: 'dynamic', name: 'dsub_module_name',
    get: (idx, e) => {
      const name = [...(sh()?.seen ?? [])][idx];
      e.syntax = name ?? null;
      e.subcmd = set;
    },
  };
  return set;
}

registerBuiltinInstaller('log', (k) => {
  if (!k.enabled('LOG') || k.config.LOG_CMDS === false || k.config.SHELL_LOG_BACKEND === false) return [];
  const ctl = (): ShellLogControl | null => boardShell(k)?.logControl ?? null;
  const modules = moduleNames(ctl);
  const levels: ShellDynamicSet = {
    kind: 'dynamic', name: 'dsub_severity_lvl',
    get: (idx, e) => {
      e.syntax = LEVELS_SORTED[idx] ?? null;
      e.subcmd = modules;
    },
  };
  const e = (syntax: string, help: string, handler: ShellCmdHandler, mandatory: number, optional: number,
    subcmd: ShellDynamicSet | null = null): ShellStaticEntry => ({ syntax, help, handler, subcmd, args: { mandatory, optional } });
  const subs = [
    e('disable', "'log disable <module_0> .. <module_n>' disables logs in specified modules (all if no modules specified).",
      cmdDisable, 1, 255, modules),
    e('enable', "'log enable <level> <module_0> ...  <module_n>' enables logs up to given level in specified modules "
      + '(all if no modules specified).', cmdEnable, 2, 255, levels),
    e('go', 'Resume logging', setHalted(false), 0, 0),
    e('halt', 'Halt logging', setHalted(true), 0, 0),
    e('list_backends', 'Lists logger backends.', cmdBackends, 1, 0),
    e('status', 'Logger status', cmdStatus, 0, 0),
  ];
  return [{ syntax: 'log', help: 'Commands for controlling logger', handler: null, args: { mandatory: 0, optional: 0 },
    subcmd: { kind: 'static', name: 'sub_log_stat', entries: subs } }];
});
