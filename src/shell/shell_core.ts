/**
 * Command dispatch, after Zephyr's `execute()` and `exec_cmd()` (`subsys/shell/shell.c`): the line
 * is split into arguments; the words that name commands are followed down the tree; the deepest
 * command with a handler runs with the remaining words as its arguments, after the argument-count
 * check of `SHELL_CMD_ARG`. Messages and return values are Zephyr's:
 *
 *     foo: command not found                      (-ENOEXEC)
 *     params: wrong parameter count               (-EINVAL, then the command's help)
 *     not terminated: "                           (-ENOEXEC)
 *     Please specify a subcommand.                (-ENOEXEC, when help is disabled)
 *
 * `-h`/`--help` after a command prints its help (`SHELL_CMD_HELP_PRINTED`), as does a command
 * without a handler.
 */
import { EINVAL, ENOEXEC } from '../libc/errno.ts';
import { isHelpRequest, makeArgv } from './shell_argv.ts';
import { printCommandHelp } from './shell_help.ts';
import { findCommand } from './shell_registry.ts';
import {
  SHELL_CMD_HELP_PRINTED, SHELL_ERROR, SHELL_OPT_ARG_CHECK_SKIP, SHELL_OPT_ARG_RAW, type ShellContext, type ShellStaticEntry,
} from './shell_types.ts';

const MSG_CMD_NOT_FOUND = ': command not found';
const MSG_SPECIFY_SUBCOMMAND = 'Please specify a subcommand.\n';
const MSG_TOO_MANY_ARGS = 'Too many arguments in the command.\n';

function helpEnabled(sh: ShellContext): boolean {
  return sh.kernel.config.SHELL_HELP === undefined || sh.kernel.enabled('SHELL_HELP');
}

/** `CONFIG_SHELL_HELP_ON_WRONG_ARGUMENT_COUNT` (Zephyr: y unless SHELL_MINIMAL). */
function helpOnWrongCount(sh: ShellContext): boolean {
  const v = sh.kernel.config.SHELL_HELP_ON_WRONG_ARGUMENT_COUNT;
  return v === undefined ? !sh.kernel.enabled('SHELL_MINIMAL') : v === true;
}

/** True when `argc` fits the command's `SHELL_CMD_ARG` counts (0 mandatory: no check). */
export function argCountOk(entry: ShellStaticEntry, argc: number): boolean {
  const { mandatory, optional } = entry.args;
  if (mandatory === 0) return true;
  const opt = optional === SHELL_OPT_ARG_CHECK_SKIP ? Infinity : optional;
  return argc >= mandatory && argc <= mandatory + opt;
}

/** The argument limit, `CONFIG_SHELL_ARGC_MAX` (Zephyr's default 20). */
function argcMax(sh: ShellContext): number {
  const v = sh.kernel.config.SHELL_ARGC_MAX;
  return typeof v === 'number' && v >= 3 ? v : 20;
}

/** What the walk down the command tree found. */
interface Resolved {
  argv: string[];
  /** Index in argv of the command whose handler runs. */
  handlerLvl: number;
  active: ShellStaticEntry | null;
  /** Deepest command with help text (whose help a bare or `-h` call prints). */
  helpEntry: ShellStaticEntry | null;
}

/**
 * Runs one command line on `sh` and resolves to its return value (also kept in `sh.retval`).
 * Handlers run in the caller's thread: the shell thread, or an app thread for `shell_execute_cmd`.
 */
export async function executeLine(sh: ShellContext, line: string): Promise<number> {
  const ret = await execute(sh, line);
  sh.retval = ret;
  return ret;
}

async function execute(sh: ShellContext, line: string): Promise<number> {
  const max = argcMax(sh);
  const parsed = makeArgv(line, max);
  if (parsed.argv.length === 0) return -ENOEXEC;
  if (parsed.openQuote !== null) {
    sh.write(SHELL_ERROR, `not terminated: ${parsed.openQuote}\n`);
    return -ENOEXEC;
  }
  if (parsed.rest !== '') {
    sh.write(SHELL_ERROR, `${MSG_TOO_MANY_ARGS}\n`);
    return -ENOEXEC;
  }
  const r = resolve(sh, parsed.argv, line);
  if (typeof r === 'number') return r;
  return run(sh, r);
}

function resolve(sh: ShellContext, argv: string[], line: string): Resolved | number {
  let parent: ShellStaticEntry | null = null;
  let active: ShellStaticEntry | null = null;
  let helpEntry: ShellStaticEntry | null = null;
  let handlerLvl = 0;
  for (let lvl = 0; lvl < argv.length; lvl++) {
    const word = argv[lvl]!;
    if (lvl > 0 && helpEnabled(sh) && isHelpRequest(word)) {
      // Asking for help makes the deeper words meaningless.
      if (helpEntry?.help) {
        sh.activeCmd = helpEntry;
        printCommandHelp(sh, helpEntry);
        return SHELL_CMD_HELP_PRINTED;
      }
      sh.write(SHELL_ERROR, MSG_SPECIFY_SUBCOMMAND);
      return -ENOEXEC;
    }
    const entry = findCommand(sh.kernel, parent, word);
    if (!entry) {
      if (lvl === 0) {
        sh.write(SHELL_ERROR, `${word}${MSG_CMD_NOT_FOUND}\n`);
        return -ENOEXEC;
      }
      break; // the rest are the handler's arguments
    }
    if (entry.handler) {
      handlerLvl = lvl;
      active = entry;
      if (entry.subcmd === null && entry.args.optional === SHELL_OPT_ARG_RAW) {
        // The words after the mandatory ones are handed over as one raw argument.
        return { argv: rawArgs(line, lvl, entry.args.mandatory), handlerLvl: lvl, active, helpEntry: entry.help ? entry : helpEntry };
      }
    }
    if (entry.help) helpEntry = entry;
    parent = entry;
  }
  return { argv, handlerLvl, active, helpEntry };
}

/** argv for a `SHELL_OPT_ARG_RAW` command at `lvl`: `mandatory` parsed words, then the raw rest. */
function rawArgs(line: string, lvl: number, mandatory: number): string[] {
  const words = lvl + Math.max(1, mandatory);
  const parsed = makeArgv(line, words);
  const rest = parsed.rest.replace(/\s+$/, '');
  return rest === '' ? parsed.argv : [...parsed.argv, rest];
}

/** `exec_cmd`: help for a command without a handler, the argument check, then the handler. */
async function run(sh: ShellContext, r: Resolved): Promise<number> {
  if (!r.active?.handler) {
    if (r.helpEntry && helpEnabled(sh)) {
      if (!r.helpEntry.help) return -ENOEXEC;
      sh.activeCmd = r.helpEntry;
      printCommandHelp(sh, r.helpEntry);
      return SHELL_CMD_HELP_PRINTED;
    }
    sh.write(SHELL_ERROR, MSG_SPECIFY_SUBCOMMAND);
    return -ENOEXEC;
  }
  const args = r.argv.slice(r.handlerLvl);
  sh.activeCmd = r.active;
  if (!argCountOk(r.active, args.length)) {
    sh.write(SHELL_ERROR, `${r.active.syntax}: wrong parameter count\n`);
    if (helpOnWrongCount(sh)) printCommandHelp(sh, r.active);
    return -EINVAL;
  }
  return r.active.handler(sh, args.length, args);
}
