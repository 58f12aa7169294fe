/**
 * `zsim run --shell` as a user runs it, with commands piped into stdin.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zsim } from '../helpers/cli.ts';

const APP = 'test/fixtures/apps/shell_app';
// One build directory for the file: the fixture is built once, then reused.
const BUILD = mkdtempSync(path.join(tmpdir(), 'zsim-shell-'));
const run = (input: string, extra: string[] = []): ReturnType<typeof zsim> =>
  zsim(['run', '-b', 'qemu_x86', APP, '--shell', '-d', BUILD, ...extra], { input });

describe('zsim run --shell (piped)', () => {
  it('runs kernel uptime, kernel threads and help, then ends at EOF with exit 0', () => {
    const r = run('kernel uptime\nkernel threads\nhelp\n');
    expect(r.stderr).toBe('zsim: shell input ended\n');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('*** Booting Zephyr OS build zsim-v0.1.0 ***\n[00:00:00.000,000] <inf> app: shell app ready\n'
      + '\n\nuart:~$ kernel uptime\nUptime: 0 ms\nuart:~$ kernel threads\nScheduler: 0 since last call\nThreads:\n')).toBe(true);
    expect(r.stdout).toMatch(/\*0x[0-9a-f]{8} shell_uart\n\toptions: 0x0, priority: 14 timeout: 0\n\tstate: queued, entry: 0x[0-9a-f]{8}\n/);
    expect(r.stdout).toMatch(/ 0x[0-9a-f]{8} sysworkq  \n\toptions: 0x0, priority: -1 timeout: 0\n\tstate: pending, /);
    expect(r.stdout).toContain('uart:~$ help\nPlease press the <Tab> button to see all available commands.\n');
    expect(r.stdout).toContain('\nAvailable commands:\n  clear    :Clear screen.\n  cred     :TLS Credentials Commands\n'
      + '  demo     :Demo commands\n  hello    :say hello (RT-Thread msh)\n  help     :Prints the help message.\n');
    // No escape sequences when the input is not a terminal.
    expect(r.stdout).not.toContain('\x1b');
    // Same input, same board: the same session.
    expect(run('kernel uptime\nkernel threads\nhelp\n').stdout).toBe(r.stdout);
  });

  it("runs the app's own commands: subcommands, argument checks, blocking handlers, msh", () => {
    const r = run('demo\ndemo ping\ndemo params a "b c"\ndemo params\ndemo params 1 2 3 4\ndemo sleep 500\nkernel uptime\n'
      + 'demo sleep soon\ndemo board\nhello x y\ndemo nosuch\n');
    expect(r.code).toBe(0);
    const session = r.stdout.slice(r.stdout.indexOf('uart:~$ '));
    expect(session).toBe([
      'uart:~$ demo', 'demo - Demo commands', 'Subcommands:', '  ping    :Reply pong.', '  params  :Print 1 to 3 parameters.',
      '  sleep   :Sleep <ms> milliseconds.', '  later   :Log a tick in <ms> milliseconds.', '  board   :Print the board name.',
      'uart:~$ demo ping', 'pong',
      'uart:~$ demo params a "b c"', 'argc = 3', '  argv[0] = params', '  argv[1] = a', '  argv[2] = b c',
      'uart:~$ demo params', 'params: wrong parameter count', 'params - Print 1 to 3 parameters.',
      'uart:~$ demo params 1 2 3 4', 'params: wrong parameter count', 'params - Print 1 to 3 parameters.',
      'uart:~$ demo sleep 500', 'slept 500 ms',
      // qemu_x86 ticks at 100 Hz: a 500 ms sleep ends one tick late, as on Zephyr.
      'uart:~$ kernel uptime', 'Uptime: 510 ms',
      'uart:~$ demo sleep soon', 'soon: not a number of milliseconds', 'sleep - Sleep <ms> milliseconds.',
      'uart:~$ demo board', 'board qemu_x86',
      'uart:~$ hello x y', 'hello from msh: 3 args, last y',
      'uart:~$ demo nosuch', 'demo - Demo commands', 'Subcommands:', '  ping    :Reply pong.', '  params  :Print 1 to 3 parameters.',
      '  sleep   :Sleep <ms> milliseconds.', '  later   :Log a tick in <ms> milliseconds.', '  board   :Print the board name.',
      '',
    ].join('\n'));
  });

  it('cred add + list + get round trip with base64', () => {
    const key = Buffer.from('device-0042.sensors.example.com/kitchen');
    const b64 = key.toString('base64');
    const r = run(`cred add 42 PSK_ID default bin ${b64}\ncred list\ncred get 42 PSK_ID bin\ncred del 42 PSK_ID\ncred list\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`uart:~$ cred add 42 PSK_ID default bin ${b64}\nStored ${b64.length} bytes.\n`
      + 'Credential has been copied to heap. Memory will be leaked if this credential is deleted without using the shell.\n'
      + `Added TLS credential of type PRE_SHARED_KEY_ID, sectag 42, and length ${key.length} bytes.\nCredential buffer cleared.\n`);
    expect(r.stdout).toMatch(/uart:~\$ cred list\n42,PSK_ID,[A-Za-z0-9+/]{43}=,0\n1 credentials found\.\n/);
    const got = r.stdout.split('uart:~$ cred get 42 PSK_ID bin\n')[1]!.split('Credential buffer cleared.')[0]!;
    expect(got.split('\n').filter(Boolean).map((l) => l.length)).toEqual([32, 20]); // 24 bytes a line
    expect(Buffer.from(got.replace(/\n/g, ''), 'base64').equals(key)).toBe(true);
    expect(r.stdout).toContain('uart:~$ cred del 42 PSK_ID\nStored credential freed.\nDeleted TLS credential with sectag 42 and type PRE_SHARED_KEY_ID.\n'
      + 'uart:~$ cred list\n0 credentials found.\n');
  });

  it('keeps logging under the shell; log disable silences a module', () => {
    const r = run('demo later 10\nkernel sleep 20\nlog disable app\ndemo later 10\nkernel sleep 20\n');
    expect(r.stdout).toContain('uart:~$ kernel sleep 20\n[00:00:00.010,000] <inf> app: tick 1\nuart:~$ log disable app\n');
    expect(r.stdout).not.toContain('tick 2');
  });

  it('--json turns shell output into printk events', () => {
    const r = run('kernel version\n', ['--json']);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; text?: string });
    const text = events.filter((e) => e.type === 'printk').map((e) => e.text).join('');
    expect(text).toContain('uart:~$ kernel version\nZephyr version 3.7.0\n');
  });

  it('kernel reboot halts the board with a message, exit 0', () => {
    const r = run('kernel reboot cold\nkernel uptime\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('zsim: kernel reboot cold: the board halted (zsim does not restart an app; run it again)\n');
    expect(r.stdout).not.toContain('Uptime');
  });

  it('refuses --shell for an app without CONFIG_SHELL=y (exit 2)', () => {
    const r = zsim(['run', '-b', 'qemu_x86', 'samples/hello_world', '--shell'], { input: 'help\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('zsim: error: --shell needs an app with CONFIG_SHELL=y\n');
  });
});
