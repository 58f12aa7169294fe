/**
 * The built-in commands in Zephyr's formats: kernel, net, log, cred, and the shell's own.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { K_FOREVER, K_MSEC, K_THREAD_DEFINE, k_sleep } from '../../src/kernel/index.ts';
import { LOG_MODULE_REGISTER } from '../../src/logging/log.ts';
import type { NetInterface } from '../../src/net/conn.ts';
import { net_if_attach } from '../../src/net/net_if.ts';
import { AF_INET, IPPROTO_UDP, SOCK_DGRAM, SOCK_STREAM, zsock_socket } from '../../src/net/socket.ts';
import { SHELL_CMD_REGISTER } from '../../src/shell/shell.ts';
import { runShellBoard } from './helpers.ts';

/** The output of each command (its first run), keyed by the command line (line mode transcript). */
function byCommand(output: string): Map<string, string> {
  const m = new Map<string, string>();
  const parts = output.split(/\nuart:~\$ /).slice(1);
  parts.forEach((part, i) => {
    const nl = part.indexOf('\n');
    const cmd = nl < 0 ? part : part.slice(0, nl);
    const out = nl < 0 ? '' : part.slice(nl + 1) + (i < parts.length - 1 ? '\n' : '');
    if (!m.has(cmd)) m.set(cmd, out);
  });
  return m;
}

const fakeIface: NetInterface = {
  addrs: [{ family: 4, addr: '192.0.2.1', port: 0 }, { family: 6, addr: '2001:db8::1', port: 0 }],
  realNetwork: false,
  connect: () => -1,
  listen: () => -1,
  bindUdp: () => -1,
  resolve: async () => -1,
};

describe('kernel commands', () => {
  it('kernel threads lists every thread in Zephyr layout, the shell thread current, stack use n/a', async () => {
    const r = await runShellBoard({
      input: ['kernel threads\n'],
      module: () => {
        K_THREAD_DEFINE('worker', 512, async () => void (await k_sleep(K_MSEC(5000))), null, null, null, 5, 0, 0);
        K_THREAD_DEFINE('idler', 256, async () => void (await k_sleep(K_FOREVER)), null, null, null, 6, 0, 0);
      },
    });
    const out = byCommand(r.output).get('kernel threads')!;
    expect(out).toMatch(/^Scheduler: 0 since last call\nThreads:\n/);
    expect(out).toMatch(/\*0x[0-9a-f]{8} shell_uart\n\toptions: 0x0, priority: 14 timeout: 0\n\tstate: queued, entry: 0x[0-9a-f]{8}\n\tstack size 2048, unused n\/a, usage n\/a\n\n/);
    // 5 s at 10 kHz, plus Zephyr's extra tick.
    expect(out).toMatch(/ 0x[0-9a-f]{8} worker    \n\toptions: 0x0, priority: 5 timeout: 50001\n\tstate: sleeping, entry: 0x[0-9a-f]{8}\n\tstack size 512, /);
    expect(out).toMatch(/ 0x[0-9a-f]{8} idler     \n\toptions: 0x0, priority: 6 timeout: 0\n\tstate: suspended, /);
    // Newest first, as k_thread_foreach walks them.
    expect(out.indexOf('idler')).toBeLessThan(out.indexOf('worker'));
  });

  it('uptime, cycles, version, sleep, and argument errors', async () => {
    const r = await runShellBoard({
      input: ['kernel sleep 1234\nkernel uptime\nkernel uptime --pretty\nkernel uptime -x\nkernel cycles\nkernel version\nkernel sleep x\n'],
      config: { KERNEL_VERSION: '3.7.0' },
    });
    const m = byCommand(r.output);
    expect(m.get('kernel uptime')).toBe('Uptime: 1234 ms\n');
    expect(m.get('kernel uptime --pretty')).toBe('uptime: 0 days, 0 hours, 0 minutes, 1 seconds, 234 milliseconds\n');
    expect(m.get('kernel uptime -x')).toBe('Unsupported option: -x\n');
    expect(m.get('kernel cycles')).toBe('cycles: 1234100000 hw cycles\n');
    expect(m.get('kernel version')).toBe('Zephyr version 3.7.0\n');
    expect(m.get('kernel sleep x')).toBe('Unable to parse input (err -22)\n');
  });

  it('is absent with KERNEL_SHELL=n', async () => {
    const r = await runShellBoard({ input: ['kernel uptime\n'], config: { KERNEL_SHELL: false } });
    expect(r.output).toContain('kernel: command not found\n');
  });
});

describe('shell commands', () => {
  it('help lists the commands like Zephyr', async () => {
    const r = await runShellBoard({ input: ['help\n'] });
    const out = byCommand(r.output).get('help')!;
    expect(out.startsWith('Please press the <Tab> button to see all available commands.\n'
      + 'You can also use the <Tab> button to prompt or auto-complete all commands or its subcommands.\n'
      + 'You can try to call commands with <-h> or <--help> parameter for more information.\n\n'
      + 'Shell supports following meta-keys:\n')).toBe(true);
    expect(out).toContain('\nAvailable commands:\n  clear    :Clear screen.\n  help     :Prints the help message.\n');
    expect(out).toContain('  kernel   :Kernel commands\n');
    expect(out).toContain('  shell    :Useful, not Unix-like shell commands.\n');
  });

  it('history, retval, rem, shell echo/backends/prompt', async () => {
    const r = await runShellBoard({ input: ['nosuch\nretval\nrem anything\nhistory\nshell echo\nshell backends\nshell prompt off\nkernel version\n'] });
    const m = byCommand(r.output);
    expect(m.get('retval')).toBe('-8\n');
    expect(m.get('rem anything')).toBe('');
    expect(m.get('history')).toBe('[  0] history\n[  1] rem anything\n[  2] retval\n[  3] nosuch\n');
    expect(m.get('shell echo')).toBe('Echo status: on\n');
    expect(m.get('shell backends')).toBe('Active shell backends:\n   0. :uart:~$  (shell_uart)\n');
    // With the prompt off the echoed command has no prompt before it.
    expect(r.output.endsWith('kernel version\nZephyr version 3.7.0\n')).toBe(true);
  });
});

describe('net commands', () => {
  it('net iface shows the board interface: MAC from the board file, addresses from the network', async () => {
    const r = await runShellBoard({
      input: ['net iface\n', 'net iface 2\n'],
      config: { NETWORKING: true, NET_SHELL: true, NET_IPV4: true, NET_IPV6: true },
      netif: [{ type: 'ethernet', mac: '52:54:00:12:34:56' }],
      setup: (k) => void net_if_attach(k, fakeIface),
    });
    const m = byCommand(r.output);
    expect(m.get('net iface')).toMatch(new RegExp('^\\nInterface 0x[0-9a-f]{8} \\(Ethernet\\) \\[1\\]\\n={35}\\n'
      + 'Link addr : 52:54:00:12:34:56\\nMTU       : 1500\\nFlags     : AUTO_START,IPv4,IPv6\\nDevice    : eth0 \\(0x[0-9a-f]{8}\\)\\n'
      + 'IPv6 unicast addresses \\(max 3\\):\\n\\t2001:db8::1 manual preferred infinite\\n'));
    expect(m.get('net iface')).toContain('IPv4 unicast addresses (max 1):\n\t192.0.2.1/255.255.255.0 manual preferred infinite\n'
      + 'IPv4 multicast addresses (max 1):\n\t<none>\nIPv4 gateway : 0.0.0.0\n');
    expect(m.get('net iface 2')).toBe('No such interface in index 2\n');
  });

  it('net conn lists the sockets (fd, family/type/proto, local, remote) and TCP states', async () => {
    const r = await runShellBoard({
      input: ['net conn\n'],
      config: { NETWORKING: true, NET_SHELL: true, NET_IPV4: true, NET_TCP: true, NET_UDP: true, NET_SOCKETS: true },
      setup: (k) => void net_if_attach(k, fakeIface),
      main: () => {
        zsock_socket(AF_INET, SOCK_STREAM, 0);
        zsock_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
      },
    });
    const out = byCommand(r.output).get('net conn')!;
    const lines = out.split('\n');
    expect(lines[0]).toBe('     Context   \tIface  Flags            Local             Remote');
    expect(lines[1]).toMatch(/^\[ 0\] 0x[0-9a-f]{8}\t1      4ST          0\.0\.0\.0:0\t       0\.0\.0\.0:0$/);
    expect(lines[2]).toMatch(/^\[ 1\] 0x[0-9a-f]{8}\t1      4DU          0\.0\.0\.0:0\t       0\.0\.0\.0:0$/);
    expect(out).toContain('\nTCP        Context   Src port Dst port   Send-Seq   Send-Ack  MSS    State\nNo TCP connections\n');
  });

  it('net is absent without NET_SHELL', async () => {
    const r = await runShellBoard({ input: ['net conn\n'], config: { NETWORKING: true } });
    expect(r.output).toContain('net: command not found\n');
  });
});

describe('log commands', () => {
  it('status lists the modules seen; disable/enable filter the shell backend; halt/go', async () => {
    const log = LOG_MODULE_REGISTER('chatty', 4);
    let n = 0;
    const r = await runShellBoard({
      input: ['log status\nlog disable chatty\nspeak\nlog enable wrn chatty\nspeak\nlog status\nlog enable xyz\n'
        + 'log disable nosuch\nlog halt\nspeak\nlog status\nlog go\nspeak\nlog list_backends\n'],
      module: () => {
        log.LOG_INF('boot');
        SHELL_CMD_REGISTER('speak', null, 'Logs.', () => {
          n++;
          log.LOG_INF('info %d', n);
          log.LOG_WRN('warn %d', n);
          return 0;
        });
      },
    });
    const m = byCommand(r.output);
    const header = 'module_name                              | current | built-in \n'
      + '----------------------------------------------------------\n';
    expect(m.get('log status')).toBe(`${header}chatty                                   | dbg     | n/a\n`);
    const speaks = r.output.split('uart:~$ speak\n').slice(1).map((s) => s.split('uart:~$')[0]);
    // After `go` the filter set before `halt` still applies.
    expect(speaks).toEqual(['', '<wrn> chatty: warn 2\n', '', '<wrn> chatty: warn 4\n']);
    expect(m.get('log enable xyz')).toBe('Invalid severity: xyz\n');
    expect(m.get('log disable nosuch')).toBe('nosuch: unknown source name.\n');
    expect(r.output).toContain(`Logs are halted!\n${header}chatty                                   | wrn     | n/a\n`);
    expect(m.get('log list_backends')).toBe('shell_uart_backend\n\t- Status: enabled\n\t- ID: 0\n\n');
  });
});

describe('cred commands', () => {
  const config = { NETWORKING: true, TLS_CREDENTIALS: true, TLS_CREDENTIALS_SHELL: true, MBEDTLS_PSK_MAX_LEN: 64 };
  const psk = Buffer.from(Array.from({ length: 42 }, (_, i) => (i * 37 + 11) & 0xff));
  const b64 = psk.toString('base64');

  it('add + list + get round trip with base64, as Zephyr prints them', async () => {
    const r = await runShellBoard({
      config,
      input: [`cred add 3 PSK default bin ${b64}\ncred add 3 psk_id DEFAULT strt dev-1\ncred list\ncred list 3 PSK\n`
        + 'cred get 3 PSK bin\ncred get 3 PSK_ID strt\ncred get 3 PSK_ID str\ncred list any CA\n'],
    });
    const m = byCommand(r.output);
    expect(m.get(`cred add 3 PSK default bin ${b64}`)).toBe(`Stored ${b64.length} bytes.\n`
      + 'Credential has been copied to heap. Memory will be leaked if this credential is deleted without using the shell.\n'
      + 'Added TLS credential of type PRE_SHARED_KEY, sectag 3, and length 42 bytes.\nCredential buffer cleared.\n');
    const digest = (b: Buffer): string => createHash('sha256').update(b).digest('base64');
    expect(m.get('cred list')).toBe(`3,PSK,${digest(psk)},0\n3,PSK_ID,${digest(Buffer.from('dev-1\0'))},0\n2 credentials found.\n`);
    expect(m.get('cred list 3 PSK')).toBe(`3,PSK,${digest(psk)},0\n1 credentials found.\n`);
    // 24 bytes per line: 32 characters of base64.
    expect(m.get('cred get 3 PSK bin')).toBe(`${psk.subarray(0, 24).toString('base64')}\n${psk.subarray(24).toString('base64')}\n`
      + 'Credential buffer cleared.\n');
    expect(m.get('cred get 3 PSK_ID strt')).toBe('dev-1\nCredential buffer cleared.\n');
    expect(m.get('cred get 3 PSK_ID str')).toBe('dev-1?\nNon-printable characters were included in the output and filtered. '
      + 'Have you selected the correct storage format?\nCredential buffer cleared.\n');
    expect(m.get('cred list any CA')).toBe('0 credentials found.\n');
  });

  it('buf accumulates, del frees, and errors read as in Zephyr', async () => {
    const r = await runShellBoard({
      config,
      input: [`cred buf ${b64.slice(0, 20)}\ncred buf ${b64.slice(20)}\ncred add 5 PK default bin\ncred add 5 PK default bin x\n`
        + 'cred add x CA default bin AAAA\ncred add 1 CERT default bin AAAA\ncred add 1 CA flash bin AAAA\n'
        + 'cred add 1 CA default b64 AAAA\ncred add 1 CA default bin\ncred add 1 CA default bin A!AA\n'
        + 'cred del 5 PK\ncred del 5 PK\ncred get 9 CA bin\ncred buf clear\ncred add 2 CA bint QUJD\ncred get 2 CA bin\n'],
    });
    const m = byCommand(r.output);
    expect(m.get(`cred buf ${b64.slice(0, 20)}`)).toBe('Stored 20 bytes.\n');
    expect(m.get('cred add 5 PK default bin')).toContain('Added TLS credential of type PRIVATE_KEY, sectag 5, and length 42 bytes.\n');
    expect(m.get('cred add 5 PK default bin x')).toBe('Stored 1 bytes.\nTLS credential with sectag 5 and type PRIVATE_KEY already exists.\n'
      + 'Credential buffer cleared.\n');
    expect(m.get('cred add x CA default bin AAAA')).toBe('x is not a valid sectag.\n');
    expect(m.get('cred add 1 CERT default bin AAAA')).toBe('CERT is not a valid credential type.\n');
    expect(m.get('cred add 1 CA flash bin AAAA')).toBe('flash is not a valid backend.\n');
    expect(m.get('cred add 1 CA default b64 AAAA')).toBe('b64 is not a valid storage format.\n');
    expect(m.get('cred add 1 CA default bin')).toBe('Please provide a credential to add.\n');
    expect(m.get('cred add 1 CA default bin A!AA')).toBe('Stored 4 bytes.\nCould not decode input from base64, error: -22\n'
      + 'Credential buffer cleared.\n');
    expect(m.get('cred del 5 PK')).toBe('Stored credential freed.\nDeleted TLS credential with sectag 5 and type PRIVATE_KEY.\n');
    expect(r.output).toContain('uart:~$ cred del 5 PK\nThere is no TLS credential with sectag 5 and type PRIVATE_KEY.\n');
    expect(m.get('cred get 9 CA bin')).toBe('There is no TLS credential with sectag 9 and type CA_CERT.\n');
    expect(m.get('cred buf clear')).toBe('Credential buffer cleared.\n');
    expect(m.get('cred get 2 CA bin')).toBe('QUJDAA==\nCredential buffer cleared.\n');
  });

  it('accepts the form without the backend word', async () => {
    const r = await runShellBoard({ config, input: ['cred add 4 CA str hello\ncred get 4 CA str\n'] });
    expect(byCommand(r.output).get('cred get 4 CA str')).toBe('hello\nCredential buffer cleared.\n');
  });
});
