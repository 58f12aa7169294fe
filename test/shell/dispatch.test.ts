/**
 * Dispatch (Zephyr's execute/exec_cmd): finding the command, argument-count checks, help, return
 * values and messages, on a fake shell.
 */
import { describe, expect, it } from 'vitest';
import { EINVAL, ENOEXEC } from '../../src/libc/errno.ts';
import {
  SHELL_CMD, SHELL_CMD_ARG, SHELL_CMD_HELP_PRINTED, SHELL_ERROR, SHELL_OPT_ARG_CHECK_SKIP, SHELL_OPT_ARG_RAW,
  SHELL_STATIC_SUBCMD_SET_CREATE, SHELL_SUBCMD_SET_END, shell_help, shell_print, type ShellCmdHandler,
} from '../../src/shell/shell.ts';
import { argCountOk, executeLine } from '../../src/shell/shell_core.ts';
import { registerRootCommand, ShellRegistrationError } from '../../src/shell/shell_registry.ts';
import { FakeShell, testKernel } from './helpers.ts';

function setup(config = {}): { sh: FakeShell; calls: string[][] } {
  const k = testKernel(config);
  const calls: string[][] = [];
  const record: ShellCmdHandler = (_sh, argc, argv) => {
    expect(argv.length).toBe(argc);
    calls.push(argv);
    return 0;
  };
  const sub = SHELL_STATIC_SUBCMD_SET_CREATE('sub_demo',
    SHELL_CMD('ping', null, 'Reply pong.', (sh) => (shell_print(sh, 'pong'), 0)),
    SHELL_CMD_ARG('params', null, 'Print 1 to 3 parameters.', record, 2, 2),
    SHELL_CMD_ARG('any', null, 'Any number of arguments.', record, 1, SHELL_OPT_ARG_CHECK_SKIP),
    SHELL_CMD_ARG('raw', null, 'The rest raw.', record, 2, SHELL_OPT_ARG_RAW),
    SHELL_CMD('helpme', null, 'Prints its help.', (sh) => (shell_help(sh), SHELL_CMD_HELP_PRINTED)),
    SHELL_CMD('fails', null, null, () => -5),
    SHELL_SUBCMD_SET_END,
  );
  registerRootCommand(SHELL_CMD('demo', sub, 'Demo commands', null), k);
  registerRootCommand(SHELL_CMD('echoargs', null, 'Echo.', record), k);
  return { sh: new FakeShell(k), calls };
}

describe('shell dispatch', () => {
  it('runs the deepest command with a handler, argv[0] being its name', async () => {
    const { sh, calls } = setup();
    expect(await executeLine(sh, 'demo params a "b c"')).toBe(0);
    expect(calls).toEqual([['params', 'a', 'b c']]);
    expect(await executeLine(sh, 'demo ping')).toBe(0);
    expect(sh.out).toBe('pong\n');
    expect(await executeLine(sh, 'echoargs x y')).toBe(0);
    expect(calls[1]).toEqual(['echoargs', 'x', 'y']);
  });

  it('says "<cmd>: command not found" in red and returns -ENOEXEC', async () => {
    const { sh } = setup();
    expect(await executeLine(sh, 'nosuch 1 2')).toBe(-ENOEXEC);
    expect(sh.out).toBe('nosuch: command not found\n');
    expect(sh.colored[0]![0]).toBe(SHELL_ERROR);
  });

  it('checks argument counts: mandatory and optional, as SHELL_CMD_ARG does', async () => {
    const { sh, calls } = setup();
    expect(await executeLine(sh, 'demo params')).toBe(-EINVAL);
    expect(sh.out).toBe('params: wrong parameter count\nparams - Print 1 to 3 parameters.\n');
    sh.out = '';
    expect(await executeLine(sh, 'demo params 1 2 3 4')).toBe(-EINVAL);
    expect(await executeLine(sh, 'demo params 1 2 3')).toBe(0);
    expect(await executeLine(sh, 'demo any 1 2 3 4 5 6 7 8 9')).toBe(0);
    expect(calls.map((c) => c.length)).toEqual([4, 10]);
    expect(argCountOk(SHELL_CMD('x', null, null, null), 99)).toBe(true);
  });

  it('prints the help of a command without a handler, and with -h/--help', async () => {
    const { sh } = setup();
    expect(await executeLine(sh, 'demo')).toBe(SHELL_CMD_HELP_PRINTED);
    expect(sh.out).toBe(
      'demo - Demo commands\nSubcommands:\n'
      + '  ping    :Reply pong.\n  params  :Print 1 to 3 parameters.\n  any     :Any number of arguments.\n'
      + '  raw     :The rest raw.\n  helpme  :Prints its help.\n  fails   :\n');
    sh.out = '';
    expect(await executeLine(sh, 'demo ping -h')).toBe(SHELL_CMD_HELP_PRINTED);
    expect(sh.out).toBe('ping - Reply pong.\n');
    sh.out = '';
    expect(await executeLine(sh, 'demo params --help extra')).toBe(SHELL_CMD_HELP_PRINTED);
    expect(sh.out).toBe('params - Print 1 to 3 parameters.\n');
    sh.out = '';
    // An unknown word under a command without a handler prints that command's help.
    expect(await executeLine(sh, 'demo nosuch')).toBe(SHELL_CMD_HELP_PRINTED);
    expect(sh.out.startsWith('demo - Demo commands\n')).toBe(true);
  });

  it('shell_help prints the running command help; handler return values come back', async () => {
    const { sh } = setup();
    expect(await executeLine(sh, 'demo helpme')).toBe(SHELL_CMD_HELP_PRINTED);
    expect(sh.out).toBe('helpme - Prints its help.\n');
    expect(await executeLine(sh, 'demo fails')).toBe(-5);
    expect(sh.retval).toBe(-5);
  });

  it('hands the rest of the line over raw for SHELL_OPT_ARG_RAW', async () => {
    const { sh, calls } = setup();
    expect(await executeLine(sh, 'demo raw first  the "rest"  of it  ')).toBe(0);
    expect(calls).toEqual([['raw', 'first', 'the "rest"  of it']]);
  });

  it('reports an unterminated quote and too many arguments', async () => {
    const { sh } = setup({ SHELL_ARGC_MAX: 4 });
    expect(await executeLine(sh, 'demo params "abc')).toBe(-ENOEXEC);
    expect(sh.out).toBe('not terminated: "\n');
    sh.out = '';
    expect(await executeLine(sh, 'demo any 1 2 3 4')).toBe(-ENOEXEC);
    expect(sh.out).toBe('Too many arguments in the command.\n\n');
  });

  it('says "Please specify a subcommand." when help is disabled', async () => {
    const { sh } = setup({ SHELL_HELP: false });
    expect(await executeLine(sh, 'demo')).toBe(-ENOEXEC);
    expect(sh.out).toBe('Please specify a subcommand.\n');
  });

  it('refuses a second command of the same name on a board', () => {
    const { sh } = setup();
    expect(() => registerRootCommand(SHELL_CMD('demo', null, null, null), sh.kernel)).toThrow(ShellRegistrationError);
    expect(() => registerRootCommand(SHELL_CMD('kernel', null, null, null), sh.kernel)).toThrow("shell command 'kernel' is already registered");
  });
});
