/**
 * The shell's own commands (Zephyr's `cmd_help` in `shell.c` and `shell_cmds.c`): `help`, and with
 * `CONFIG_SHELL_CMDS` `clear`, `history`, `rem`, `resize`, `retval` and `shell` (backends, colours,
 * echo, prompt, vt100, backspace mode). They act on the board's UART shell; on another shell (the
 * dummy backend) the terminal settings do nothing.
 */
import type { Kernel } from '../kernel/kernel.ts';
import { EINVAL, ENOEXEC } from '../libc/errno.ts';
import { helpSubcmdText } from './shell_help.ts';
import { boardShell, Shell } from './shell_instance.ts';
import { registerBuiltinInstaller } from './shell_registry.ts';
import { SHELL_ERROR, SHELL_NORMAL, SHELL_WARNING, type ShellContext, type ShellStaticEntry, type ShellCmdHandler } from './shell_types.ts';

const cmd = (syntax: string, help: string | null, handler: ShellCmdHandler | null, mandatory = 0, optional = 0,
  subcmd: ShellStaticEntry[] | null = null): ShellStaticEntry => ({
  syntax, help, handler, args: { mandatory, optional },
  subcmd: subcmd ? { kind: 'static', name: `sub_${syntax}`, entries: subcmd } : null,
});

const print = (sh: ShellContext, text: string): void => sh.write(SHELL_NORMAL, text + '\n');

/** The UART shell when `sh` is it, else null (terminal settings of other shells are not modelled). */
function uart(sh: ShellContext): Shell | null {
  return sh instanceof Shell ? sh : null;
}

function on(k: Kernel, sym: string, dflt: boolean): boolean {
  const v = k.config[sym];
  return v === undefined ? dflt : v === true;
}

const cmdHelp: ShellCmdHandler = (sh) => {
  const k = sh.kernel;
  const minimal = k.enabled('SHELL_MINIMAL');
  if (on(k, 'SHELL_TAB', !minimal)) print(sh, 'Please press the <Tab> button to see all available commands.');
  if (on(k, 'SHELL_TAB_AUTOCOMPLETION', !minimal)) {
    print(sh, 'You can also use the <Tab> button to prompt or auto-complete all commands or its subcommands.');
  }
  const help = on(k, 'SHELL_HELP', !minimal);
  if (help) print(sh, 'You can try to call commands with <-h> or <--help> parameter for more information.');
  if (on(k, 'SHELL_METAKEYS', !minimal)) {
    print(sh, '\nShell supports following meta-keys:\n  Ctrl + (a key from: abcdefklnpuw)\n  Alt  + (a key from: bf)\n'
      + 'Please refer to shell documentation for more details.');
  }
  if (help) sh.write(SHELL_NORMAL, helpSubcmdText(k, null, '\nAvailable commands:\n', sh.helpWidth));
  return 0;
};

const cmdClear: ShellCmdHandler = (sh) => {
  uart(sh)?.vt100('\x1b[H\x1b[2J');
  return 0;
};

const cmdHistory: ShellCmdHandler = (sh) => {
  const s = uart(sh);
  // The command itself is already the newest entry, as in Zephyr.
  (s?.history.entries() ?? []).forEach((line, i) => print(sh, `[${String(i).padStart(3)}] ${line}`));
  return 0;
};

const cmdResize: ShellCmdHandler = (sh, argc, argv) => {
  if (argc !== 1) {
    sh.write(SHELL_ERROR, `${argv[0]}: unknown parameter: ${argv[1]}\n`);
    return -EINVAL;
  }
  // A terminal reports its size to zsim directly; without one Zephyr's query times out.
  if (uart(sh)?.editor) return 0;
  sh.write(SHELL_WARNING, 'No response from the terminal, assumed 80x24 screen size\n');
  return -ENOEXEC;
};

/** `off`/`on` subcommands that set a flag of the UART shell. */
function flagCmds(set: (s: Shell, v: boolean) => void, offHelp: string, onHelp: string): ShellStaticEntry[] {
  const setter = (v: boolean): ShellCmdHandler => (sh) => {
    const s = uart(sh);
    if (s) set(s, v);
    return 0;
  };
  return [cmd('off', offHelp, setter(false), 1, 0), cmd('on', onHelp, setter(true), 1, 0)];
}

function shellSubcommands(k: Kernel): ShellStaticEntry[] {
  const vt100 = on(k, 'SHELL_VT100_COMMANDS', true);
  const subs: ShellStaticEntry[] = [
    cmd('backends', 'List active shell backends.\n', (sh) => {
      print(sh, 'Active shell backends:');
      const s = boardShell(sh.kernel);
      if (s) print(sh, `  ${' 0'}. :${s.prompt} (${s.name})`);
      return 0;
    }, 1, 0),
    cmd('backspace_mode', 'Toggle backspace key mode.\nSome terminals are not sending separate escape code for backspace and '
      + 'delete button. This command forces shell to interpret delete key as backspace.', null, 0, 0, [
      cmd('backspace', 'Set different escape code for backspace and delete key.', () => 0, 1, 0),
      cmd('delete', 'Set the same escape code for backspace and delete key.', () => 0, 1, 0),
    ]),
  ];
  if (vt100) {
    subs.push(cmd('colors', 'Toggle colored syntax.', null, 0, 0,
      flagCmds((s, v) => (s.useColors = v), 'Disable colored syntax.', 'Enable colored syntax.')));
    subs.push(cmd('vt100', 'Toggle vt100 commands.', null, 0, 0,
      flagCmds((s, v) => (s.useVt100 = v), 'Disable vt100 commands.', 'Enable vt100 commands.')));
  }
  subs.push(cmd('prompt', 'Toggle prompt.', null, 0, 0,
    flagCmds((s, v) => (s.prompt = v ? s.defaultPrompt : ''), 'Disable prompt.', 'Enable prompt.')));
  subs.push(cmd('echo', 'Toggle shell echo.', (sh, argc, argv) => {
    if (argc === 2) {
      sh.write(SHELL_ERROR, `${argv[0]}: unknown parameter: ${argv[1]}\n`);
      return -EINVAL;
    }
    print(sh, `Echo status: ${uart(sh)?.editor?.echo === false ? 'off' : 'on'}`);
    return 0;
  }, 1, 1, flagCmds((s, v) => {
    if (s.editor) s.editor.echo = v;
  },
    'Disable shell echo. Editing keys and meta-keys are not handled', 'Enable shell echo.')));
  return subs;
}

registerBuiltinInstaller('shell', (k) => {
  const cmds: ShellStaticEntry[] = [cmd('help', 'Prints the help message.', cmdHelp, 1, 0)];
  if (!on(k, 'SHELL_CMDS', !k.enabled('SHELL_MINIMAL'))) return cmds;
  if (on(k, 'SHELL_VT100_COMMANDS', true)) {
    cmds.push(cmd('clear', 'Clear screen.', cmdClear, 1, 0));
    cmds.push(cmd('rem', "Ignore lines beginning with 'rem '", () => 0));
  }
  if (on(k, 'SHELL_HISTORY', true)) cmds.push(cmd('history', 'Command history.', cmdHistory, 1, 0));
  if (on(k, 'SHELL_CMDS_RESIZE', true)) {
    cmds.push(cmd('resize', 'Console gets terminal screen size or assumes default in case the readout fails. It must be '
      + 'executed after each terminal width change to ensure correct text display.', cmdResize, 1, 1, [
      cmd('default', 'Assume 80 chars screen width and send this setting to the terminal.', () => 0, 1, 0),
    ]));
  }
  if (on(k, 'SHELL_CMDS_RETURN_VALUE', true)) {
    cmds.push(cmd('retval', 'Print return value of most recent command', (sh) => (print(sh, `${sh.retval}`), 0), 1, 0));
  }
  cmds.push(cmd('shell', 'Useful, not Unix-like shell commands.', null, 0, 0, shellSubcommands(k)));
  return cmds;
});
