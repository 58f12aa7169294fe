/**
 * The command-line parser (Zephyr's z_shell_make_argv), tab completion, history and help layout,
 * as pure functions.
 */
import { describe, expect, it } from 'vitest';
import { isHelpRequest, makeArgv } from '../../src/shell/shell_argv.ts';
import { complete, formatCandidates } from '../../src/shell/shell_complete.ts';
import { formatText, helpCmdText } from '../../src/shell/shell_help.ts';
import { ShellHistory } from '../../src/shell/shell_history.ts';
import { registerRootCommand } from '../../src/shell/shell_registry.ts';
import { SHELL_CMD, SHELL_CMD_REGISTER, SHELL_DYNAMIC_CMD_CREATE, SHELL_STATIC_SUBCMD_SET_CREATE } from '../../src/shell/shell.ts';
import { testKernel } from './helpers.ts';

describe('makeArgv', () => {
  it('splits on whitespace and keeps quoted groups', () => {
    expect(makeArgv('  demo  params a\t"b c" \'d  e\'  ').argv).toEqual(['demo', 'params', 'a', 'b c', 'd  e']);
    expect(makeArgv('').argv).toEqual([]);
  });

  it('lets quotes start and end inside a word, and escapes as Zephyr does', () => {
    expect(makeArgv('ab"c d"e').argv).toEqual(['abc de']);
    expect(makeArgv('a\\ b c').argv).toEqual(['a b', 'c']);
    expect(makeArgv('"say \\"hi\\""').argv).toEqual(['say "hi"']);
    expect(makeArgv('"\\x41\\x4a\\0101z"').argv).toEqual(['AJAz']);
    // Outside quotes an escape keeps the next character as it is.
    expect(makeArgv('\\x41').argv).toEqual(['x41']);
  });

  it('reports a quote left open and the rest beyond the argument limit', () => {
    expect(makeArgv('echo "abc').openQuote).toBe('"');
    expect(makeArgv("echo 'abc'").openQuote).toBeNull();
    const r = makeArgv('a b c d', 2);
    expect(r.argv).toEqual(['a', 'b']);
    expect(r.rest).toBe('c d');
  });

  it('knows the help flags', () => {
    expect(isHelpRequest('-h')).toBe(true);
    expect(isHelpRequest('--help')).toBe(true);
    expect(isHelpRequest('-help')).toBe(false);
  });
});

describe('completion', () => {
  const k = testKernel({ KERNEL_SHELL: true });
  const sub = SHELL_STATIC_SUBCMD_SET_CREATE('sub', SHELL_CMD('alpha', null, 'a', null), SHELL_CMD('alps', null, 'b', null),
    SHELL_CMD('beta', null, 'c', null));
  registerRootCommand(SHELL_CMD('zzdemo', sub, 'demo', null), k);
  const dyn = SHELL_DYNAMIC_CMD_CREATE('dyn', (idx, e) => {
    e.syntax = ['one', 'two'][idx] ?? null;
  });
  registerRootCommand(SHELL_CMD('zzdyn', dyn, 'dynamic', null), k);

  it('completes a unique root command', () => {
    expect(complete(k, 'ker')).toMatchObject({ insert: 'nel', unique: true, candidates: ['kernel'] });
  });

  it('lists every root command for an empty line, in name order', () => {
    const c = complete(k, '');
    expect(c.candidates).toEqual([...c.candidates].sort());
    expect(c.candidates).toEqual(expect.arrayContaining(['help', 'kernel', 'zzdemo']));
    expect(c.insert).toBe('');
  });

  it('completes subcommands to their common prefix and lists them', () => {
    expect(complete(k, 'zzdemo al')).toMatchObject({ insert: 'p', unique: false, candidates: ['alpha', 'alps'] });
    expect(complete(k, 'zzdemo ')).toMatchObject({ insert: '', candidates: ['alpha', 'alps', 'beta'] });
    expect(complete(k, 'zzdemo b')).toMatchObject({ insert: 'eta', unique: true });
    expect(complete(k, 'kernel up')).toMatchObject({ insert: 'time', unique: true });
  });

  it('completes dynamic subcommands and nothing after an unknown word', () => {
    expect(complete(k, 'zzdyn t').insert).toBe('wo');
    expect(complete(k, 'nosuch ').candidates).toEqual([]);
    expect(complete(k, 'zzdemo "al').candidates).toEqual([]);
  });

  it('lays candidates out in columns like Zephyr', () => {
    expect(formatCandidates(['cycles', 'reboot', 'sleep', 'threads', 'uptime', 'version'], 80))
      .toBe('\n  cycles   reboot   sleep    threads  uptime   version');
    expect(formatCandidates(['aaaa', 'bb', 'cc'], 14)).toBe('\n  aaaa  bb\n  cc');
  });
});

describe('history', () => {
  it('keeps commands newest first, without repeating the newest', () => {
    const h = new ShellHistory();
    h.put('a');
    h.put('b');
    h.put('b');
    h.put('');
    expect(h.entries()).toEqual(['b', 'a']);
  });

  it('walks up and down and leaves browsing past the newest entry', () => {
    const h = new ShellHistory();
    ['one', 'two', 'three'].forEach((c) => h.put(c));
    expect(h.get(false)).toBeNull();
    expect(h.get(true)).toBe('three');
    expect(h.get(true)).toBe('two');
    expect(h.get(true)).toBe('one');
    expect(h.get(true)).toBe('one');
    expect(h.get(false)).toBe('two');
    expect(h.get(false)).toBe('three');
    expect(h.get(false)).toBeNull();
    expect(h.active).toBe(false);
  });

  it('drops the oldest commands when the buffer is full', () => {
    const h = new ShellHistory(64);
    for (let i = 0; i < 10; i++) h.put(`command-${i}`);
    expect(h.entries()[0]).toBe('command-9');
    expect(h.entries().length).toBeLessThan(4);
  });
});

describe('help layout', () => {
  it('wraps help text at the width without splitting words, indented under its first column', () => {
    const text = 'Console gets terminal screen size or assumes default in case the readout fails. It must be executed.';
    expect(formatText(text, 13, 40)).toBe(
      'Console gets terminal\n             screen size or assumes\n             default in case the readout\n'
      + '             fails. It must be executed.\n');
    expect(formatText('one\ntwo', 4, 80)).toBe('one\n    two\n');
  });

  it('prints "syntax - help"', () => {
    expect(helpCmdText(SHELL_CMD('ping', null, 'Reply pong.', null), 80)).toBe('ping - Reply pong.\n');
  });

  it('SHELL_CMD_REGISTER outside a board registers for every board', () => {
    const e = SHELL_CMD_REGISTER('zz_global_cmd', null, 'global', () => 0);
    expect(complete(testKernel(), 'zz_global').candidates).toEqual(['zz_global_cmd']);
    expect(e.syntax).toBe('zz_global_cmd');
  });
});
