/**
 * `zsim run --shell` on a real terminal: tmux runs it in a detached session of fixed size, keys are
 * sent with `send-keys` and the screen is read with `capture-pane`. Covers the prompt, Tab
 * completion and candidate listing, a command, log output redrawn under the prompt, history
 * recall with Up, and Ctrl-D ending the run with exit status 0.
 *
 * Skipped (with a message) when tmux is not installed; under CI=true a missing tmux fails.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, ZSIM, zsim } from '../helpers/cli.ts';
import { tmuxAvailable, tmuxTerminal } from '../helpers/tmux.ts';

const APP = 'test/fixtures/apps/shell_app';
const lastLine = (s: string): string => s.replace(/\s+$/, '').split('\n').pop()!;

describe('zsim run --shell in a terminal (tmux)', () => {
  if (!tmuxAvailable('test/shell/tmux.test.ts')) return;
  const term = tmuxTerminal('shell');

  it('prompt, Tab completion, a command, logs under the prompt, history with Up, Ctrl-D exits 0', async () => {
    const build = mkdtempSync(path.join(tmpdir(), 'zsim-tmux-'));
    // Build first, so the session starts at once.
    expect(zsim(['build', '-b', 'qemu_x86', APP, '-d', build]).code).toBe(0);
    const cmd = `cd ${JSON.stringify(ROOT)} && ${JSON.stringify(process.execPath)} ${JSON.stringify(ZSIM)} run -b qemu_x86 ${APP} `
      + `--shell -d ${JSON.stringify(build)}; echo "EXIT=$?"; sleep 60`;
    term.start(cmd, 100, 30, ROOT);

    await term.waitFor('the prompt', (s) => s.includes('uart:~$ '));
    expect(term.screen()).toContain('<inf> app: shell app ready');

    term.keys('ker', 'Tab');
    await term.waitFor('"ker" completed to "kernel " (with its space)', (s) => s.split('\n').includes('uart:~$ kernel '));
    term.keys('Tab', 'Tab');
    await term.waitFor('the kernel subcommands listed', (s) => /\n {2}cycles {3}reboot {3}sleep {4}threads {2}uptime {3}version\n/.test(s));

    term.keys('version', 'Enter');
    await term.waitFor('kernel version output', (s) => s.includes('uart:~$ kernel version\nZephyr version 3.7.0\nuart:~$'));

    // A log line printed while a command is being typed: the prompt and the text come back below it.
    term.keys('demo later 300', 'Enter');
    await term.waitFor('demo later', (s) => s.includes('tick in 300 ms'));
    term.keys('demo pi');
    const redrawn = await term.waitFor('the log line and the redrawn prompt', (s) => /<inf> app: tick 1\s*\nuart:~\$ demo pi/.test(s));
    expect(lastLine(redrawn)).toBe('uart:~$ demo pi');

    // Clear the line, then Up recalls the previous command.
    term.keys('C-u', 'Up');
    await term.waitFor('history recall', (s) => lastLine(s) === 'uart:~$ demo later 300');
    term.keys('Up');
    await term.waitFor('older history entry', (s) => lastLine(s) === 'uart:~$ kernel version');

    term.keys('C-u', 'C-d');
    const end = await term.waitFor('the run to end', (s) => s.includes('EXIT='));
    expect(end).toContain('zsim: shell closed (Ctrl-D)');
    expect(end).toContain('EXIT=0');
  }, 90_000);
});
