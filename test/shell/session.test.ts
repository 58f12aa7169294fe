/**
 * The shell thread on a board: line mode and terminal mode, how it holds time while waiting for
 * input, how it ends the run, bypass input, and output around the prompt.
 */
import { describe, expect, it } from 'vitest';
import { K_MSEC, K_NO_WAIT, k_msleep } from '../../src/kernel/index.ts';
import { K_TIMER_DEFINE, k_timer_start } from '../../src/kernel/timer.ts';
import { LOG_MODULE_REGISTER } from '../../src/logging/log.ts';
import {
  SHELL_CMD, SHELL_CMD_REGISTER, shell_backend_dummy_get_output, shell_execute_cmd, shell_print,
} from '../../src/shell/shell.ts';
import { runShellBoard } from './helpers.ts';
import { Screen } from './vt100.ts';

const log = LOG_MODULE_REGISTER('app', 3);

describe('shell session, line mode (pipe)', () => {
  it('echoes each command after the prompt, runs it, and ends the run at end of input (exit 0)', async () => {
    const r = await runShellBoard({ input: ['kernel uptime\nkernel version\n', 'nosuch\n'] });
    expect(r.output).toBe('\n\nuart:~$ kernel uptime\nUptime: 0 ms\nuart:~$ kernel version\nZephyr version 3.7.0\n'
      + 'uart:~$ nosuch\nnosuch: command not found\n');
    expect(r.ends).toEqual(['eof']);
    expect(r.result).toMatchObject({ reason: 'stopped', exitCode: 0, message: 'shell input ended' });
  });

  it('runs an unterminated last line and treats CR LF as one line end', async () => {
    const r = await runShellBoard({ input: ['kernel version\r\n\r\nkernel uptime'] });
    expect(r.output).toBe('\n\nuart:~$ kernel version\nZephyr version 3.7.0\nuart:~$ \nuart:~$ kernel uptime\nUptime: 0 ms\n');
  });

  it('keeps the board at the instant of the prompt while input is awaited; a command that sleeps lets time pass', async () => {
    let ticks = 0;
    const r = await runShellBoard({
      keepOpen: true,
      module: () => {
        const t = K_TIMER_DEFINE('t', () => void ticks++, null);
        k_timer_start(t, K_MSEC(10), K_MSEC(10));
      },
      // The input arrives a while later (host time): the run must not end or move on meanwhile.
      setup: (_k, _sim, backend) => void setTimeout(() => {
        backend.push('kernel uptime\nkernel sleep 250\nkernel uptime\n');
        backend.end();
      }, 50),
    });
    expect(r.output).toContain('uart:~$ kernel uptime\nUptime: 0 ms\n');
    expect(r.output).toContain('uart:~$ kernel sleep 250\nuart:~$ kernel uptime\nUptime: 250 ms\n');
    expect(ticks).toBe(25);
  });

  it('runs app commands that block, with app output in order', async () => {
    const r = await runShellBoard({
      input: ['slow\nkernel uptime\n'],
      module: () => SHELL_CMD_REGISTER('slow', null, 'Sleeps.', async (sh) => {
        log.LOG_INF('before');
        await k_msleep(100);
        shell_print(sh, 'after %d', 100);
        return 0;
      }),
    });
    expect(r.output).toBe('\n\nuart:~$ slow\n<inf> app: before\nafter 100\nuart:~$ kernel uptime\nUptime: 100 ms\n');
  });

  it('kernel reboot halts the board and ends the run with exit 0', async () => {
    const r = await runShellBoard({ input: ['kernel reboot warm\nkernel uptime\n'] });
    expect(r.ends).toEqual(['reboot']);
    expect(r.result.exitCode).toBe(0);
    expect(r.result.message).toContain('kernel reboot warm: the board halted');
    expect(r.output).not.toContain('Uptime');
  });

  it('hands raw input to a bypass callback up to Ctrl-C (cred buf load), then reads commands again', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const b64 = Buffer.from(pem).toString('base64');
    const r = await runShellBoard({
      config: { NETWORKING: true, TLS_CREDENTIALS: true, TLS_CREDENTIALS_SHELL: true },
      input: [`cred buf load\n${b64.slice(0, 40)}\n${b64.slice(40)}\x03\ncred add 7 CA default bint\ncred get 7 CA bint\n`],
    });
    expect(r.output).toContain('uart:~$ cred buf load\nInput credential, finish with CTRL+C.\n');
    expect(r.output).toContain(`Stored ${b64.length + 1} bytes.\nuart:~$ \nuart:~$ cred add`);
    expect(r.output).toContain(`Added TLS credential of type CA_CERT, sectag 7, and length ${pem.length + 1} bytes.\n`);
    const got = r.output.split('uart:~$ cred get 7 CA bint\n')[1]!.split('\nCredential buffer cleared.')[0]!;
    expect(got.split('\n').every((l) => l.length <= 32)).toBe(true);
    expect(Buffer.from(got.replace(/\n/g, ''), 'base64').toString()).toBe(pem);
  });

  it('shell_execute_cmd runs a command from an app thread on the dummy backend', async () => {
    let out = '';
    let rc = 0;
    await runShellBoard({
      config: { SHELL_BACKEND_DUMMY: true },
      main: async () => {
        rc = await shell_execute_cmd(null, 'kernel version');
        const { shell_backend_dummy_get_ptr } = await import('../../src/shell/shell.ts');
        out = shell_backend_dummy_get_output(shell_backend_dummy_get_ptr());
      },
    });
    expect(rc).toBe(0);
    expect(out).toBe('Zephyr version 3.7.0\n');
  });
});

describe('shell session, terminal mode', () => {
  it('redraws the prompt and the half-typed line below log output, as Zephyr does', async () => {
    const r = await runShellBoard({
      interactive: true,
      realtime: true,
      keepOpen: true,
      module: () => {
        const t = K_TIMER_DEFINE('t', () => log.LOG_INF('tick'), null);
        k_timer_start(t, K_MSEC(40), K_NO_WAIT);
      },
      setup: (_k, _sim, backend) => {
        backend.push('demo pa');
        setTimeout(() => backend.push('\x15\x04'), 150);
      },
    });
    const screen = new Screen(80);
    screen.write(r.output.split('\x15')[0]!);
    expect(r.ends).toEqual(['ctrl-d']);
    expect(r.result).toMatchObject({ exitCode: 0, message: 'shell closed (Ctrl-D)' });
    const text = new Screen(80);
    text.write(r.output);
    expect(text.text()).toBe('\n\n<inf> app: tick\nuart:~$');
    // Right after the log line the line being typed was back.
    expect(r.output).toMatch(/<inf> app: tick\nuart:~\$ demo pa/);
  });

  it('Ctrl-C while a command runs interrupts the run', async () => {
    const r = await runShellBoard({
      interactive: true,
      realtime: true,
      keepOpen: true,
      setup: (_k, _sim, backend) => {
        backend.push('kernel sleep 100000\r');
        setTimeout(() => backend.push('\x03'), 80);
      },
    });
    expect(r.ends).toEqual(['interrupt']);
    expect(r.result.message).toBe('interrupted');
  });

  it('colours the prompt and errors when colours are on', async () => {
    const r = await runShellBoard({ interactive: true, colors: true, input: ['nosuch\r\x04'] });
    expect(r.output).toContain('\x1b[1;32muart:~$ \x1b[0m');
    expect(r.output).toContain('\x1b[1;31mnosuch: command not found\n\x1b[0m');
    expect(r.ends).toEqual(['ctrl-d']);
  });

  it('ends at end of input too, leaving a clean line', async () => {
    const r = await runShellBoard({ interactive: true, input: ['kernel version\r'] });
    const screen = new Screen(80);
    screen.write(r.output);
    expect(screen.text()).toBe('\n\nuart:~$ kernel version\nZephyr version 3.7.0\nuart:~$');
    expect(r.output.endsWith('\n')).toBe(true);
    expect(r.ends).toEqual(['eof']);
  });
});

describe('app commands', () => {
  it('a command registered outside any board is available on each board', async () => {
    SHELL_CMD_REGISTER('zz_session_global', null, 'Global.', (sh) => (shell_print(sh, 'global on %s', sh.kernel.board), 0));
    const r = await runShellBoard({ input: ['zz_session_global\n'] });
    expect(r.output).toContain('global on qemu_x86\n');
  });

  it('SHELL_CMD entries may be used as plain values', () => {
    expect(SHELL_CMD('x', null, 'help', null)).toEqual({ syntax: 'x', subcmd: null, help: 'help', handler: null, args: { mandatory: 0, optional: 0 } });
  });
});
