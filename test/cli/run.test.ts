import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, zsim } from '../helpers/cli.ts';

const fixture = (name: string): string => path.join('test/fixtures/apps', name);

describe('zsim run', () => {
  it('runs hello_world: prints the greeting with the board name, exit 0', () => {
    const r = zsim(['run', '-b', 'qemu_x86', 'samples/hello_world']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('*** Booting Zephyr OS build zsim-v0.1.0 ***\nHello World! qemu_x86/atom\n');
    expect(r.stderr).toBe('zsim: app finished\n');
    expect(zsim(['run', '-b', 'native_sim', 'samples/hello_world']).stdout).toContain('Hello World! native_sim/native\n');
  });

  it('gives byte-identical output for the same app, board and seed (philosophers, 10 s)', () => {
    const a = zsim(['run', '-b', 'qemu_x86', 'samples/philosophers', '--time', '10']);
    const b = zsim(['run', '-b', 'qemu_x86', 'samples/philosophers', '--time', '10']);
    expect(a.code).toBe(0);
    expect(a.stderr).toContain('stopped at the time limit (00:00:10.000,000)');
    expect(a.stdout.length).toBeGreaterThan(5000);
    expect(a.stdout).toContain('EATING');
    expect(a.stdout).toBe(b.stdout);
  });

  it('the same seed gives the same random stream, another seed another', () => {
    const s1 = zsim(['run', '-b', 'qemu_x86', fixture('printk_log'), '--seed', '1']).stdout.split('\n')[1];
    const s1b = zsim(['run', '-b', 'qemu_x86', fixture('printk_log'), '--seed', '1']).stdout.split('\n')[1];
    const s2 = zsim(['run', '-b', 'qemu_x86', fixture('printk_log'), '--seed', '2']).stdout.split('\n')[1];
    expect(s1).toMatch(/^rand [0-9a-f]{8}$/);
    expect(s1).toBe(s1b);
    expect(s1).not.toBe(s2);
  });

  it('prints logs in Zephyr format with the board uptime, filtered by level, with hexdump', () => {
    const r = zsim(['run', '-b', 'qemu_x86', fixture('printk_log')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('[00:00:00.000,000] <inf> app: started, 3 items');
    // k_msleep(1234) wakes one tick late, as on Zephyr.
    expect(lines).toContain('[00:00:01.250,000] <dbg> app: debug detail');
    expect(lines).toContain('[00:00:01.250,000] <wrn> app: warning');
    expect(lines).toContain('[00:00:01.250,000] <err> app: error -11');
    expect(lines).toContain('[00:00:01.250,000] <inf> app: bytes:');
    expect(r.stdout).toMatch(/\n {30}10 20 41 42 {38}\|\. AB {13}\n/);
    const filtered = zsim(['run', '-b', 'qemu_x86', fixture('printk_log'), '-D', 'CONFIG_LOG_MAX_LEVEL=2']);
    expect(filtered.stdout).not.toContain('<dbg>');
    const off = zsim(['run', '-b', 'qemu_x86', fixture('printk_log'), '-D', 'CONFIG_LOG=n']);
    expect(off.stdout).not.toContain('<inf>');
    expect(off.stdout).toContain('rand ');
  });

  it('--json prints one JSON object per console event', () => {
    const r = zsim(['run', '-b', 'qemu_x86', fixture('printk_log'), '--json']);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events[0]).toMatchObject({ type: 'printk', board: 'qemu_x86', uptime_us: 0 });
    expect(events).toContainEqual(expect.objectContaining({ type: 'log', level: 'wrn', module: 'app', message: 'warning', uptime_us: 1250000 }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'log', message: 'bytes:', data: '10204142' }));
  });

  it('--trace writes kernel events, identical across runs', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zsim-trace-'));
    const t1 = path.join(dir, 't1.jsonl');
    const t2 = path.join(dir, 't2.jsonl');
    expect(zsim(['run', '-b', 'qemu_x86', 'samples/synchronization', '--time', '2', '--trace', t1]).code).toBe(0);
    expect(zsim(['run', '-b', 'qemu_x86', 'samples/synchronization', '--time', '2', '--trace', t2]).code).toBe(0);
    const a = readFileSync(t1, 'utf8');
    expect(a).toBe(readFileSync(t2, 'utf8'));
    const evs = a.trim().split('\n').map((l) => JSON.parse(l) as { event: string; thread: string });
    expect(evs.some((e) => e.event === 'switch' && e.thread === 'thread_b')).toBe(true);
    expect(evs.some((e) => e.event === 'pend' && e.thread === 'thread_a')).toBe(true);
  });

  it('reports a deadlock with each thread and what it waits on, exit 1', () => {
    const r = zsim(['run', '-b', 'qemu_x86', fixture('deadlock')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('zsim: deadlock: 2 thread(s) blocked forever on qemu_x86\n');
    expect(r.stdout).toMatch(/<err> os: Deadlock: 2 thread\(s\) blocked forever/);
    expect(r.stdout).toMatch(/thread 0x[0-9a-f]{8} \(main\) prio 0: pending on k_mutex 0x[0-9a-f]{8} 'lock_b', owned by 0x[0-9a-f]{8} \(worker\)/);
    expect(r.stdout).toMatch(/thread 0x[0-9a-f]{8} \(worker\) prio 0 \(inherited, base 5\): pending on k_mutex 0x[0-9a-f]{8} 'lock_a', owned by 0x[0-9a-f]{8} \(main\)/);
  });

  it('reports k_panic as a Zephyr fatal error, exit 1', () => {
    const r = zsim(['run', '-b', 'qemu_x86', fixture('panic')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('about to panic\n');
    expect(r.stdout).toMatch(/\[00:00:00\.020,000\] <err> os: >>> ZEPHYR FATAL ERROR 4: Kernel panic on CPU 0/);
    expect(r.stdout).toMatch(/<err> os: Current thread: 0x[0-9a-f]{8} \(main\)/);
    expect(r.stdout).toMatch(/<err> os: Halting system/);
    expect(r.stdout).toMatch(/<err> os: k_panic\(\) called\n.*<err> os: {5}at (Object\.)?main \(.*panic\/src\/main\.ts:6/);
    expect(r.stderr).toBe('zsim: fatal error on qemu_x86: Kernel panic\n');
  });

  it('reports an exception escaping a thread as a CPU exception with its stack, exit 1', () => {
    const r = zsim(['run', '-b', 'qemu_x86', fixture('throws')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("<err> os: TypeError: cannot parse 'bad'");
    expect(r.stdout).toMatch(/at parse \(.*throws\/src\/main\.ts:4/);
    expect(r.stdout).toContain('>>> ZEPHYR FATAL ERROR 0: CPU exception on CPU 0');
  });

  it('reports a failed __ASSERT with the condition, file and line', () => {
    const r = zsim(['run', '-b', 'qemu_x86', fixture('assert')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ASSERTION FAIL \[count === 4\] @ .*assert\/src\/main\.ts:5\n\tcount must be 4\n/);
    expect(r.stdout).toContain('>>> ZEPHYR FATAL ERROR 4: Kernel panic on CPU 0');
  });

  it('exits 2 with a one-line reason on usage and input errors', () => {
    const cases: [string[], RegExp][] = [
      [['run', '-b', 'nope', 'samples/hello_world'], /^zsim: error: unknown board 'nope' \(known boards: .*qemu_x86/],
      [['run', 'samples/hello_world'], /^zsim: error: missing required option -b\/--board/],
      [['run', '-b', 'qemu_x86', 'samples/nothing'], /^zsim: error: samples\/nothing: no such app folder/],
      [['run', '-b', 'qemu_x86', 'samples/hello_world', '--time', '-1'], /--time must be a positive number/],
      [['run', '-b', 'qemu_x86', 'samples/hello_world', '--bogus'], /Unknown argument: bogus/],
      [['run', '-b', 'qemu_x86', 'samples/hello_world', '-D', 'FOO=1'], /-D FOO=1: expected CONFIG_NAME=value/],
      [['frobnicate'], /Unknown argument: frobnicate/],
      [[], /name a command/],
    ];
    for (const [args, re] of cases) {
      const r = zsim(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n').at(-1), args.join(' ')).toMatch(re);
    }
  });

  it('builds an app that lives outside the repo the same way', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zsim-app-'));
    cpSync(path.join(ROOT, 'samples/hello_world'), dir, { recursive: true });
    const r = zsim(['run', '-b', 'qemu_x86', dir], { cwd: tmpdir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Hello World! qemu_x86/atom');
  });

  it('reports an app build error with file and line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zsim-bad-'));
    cpSync(path.join(ROOT, 'samples/hello_world'), dir, { recursive: true });
    const bad = path.join(dir, 'src/main.ts');
    writeFileSync(bad, "import { nope } from 'zsim/nonexistent';\nexport function main() {\n  nope();\n}\n");
    const r = zsim(['run', '-b', 'qemu_x86', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/src\/main\.ts:1:\d+: error: unknown zsim module 'zsim\/nonexistent'/);
  });

  it('--help and --version', () => {
    const h = zsim(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('zsim run [app]');
    const v = zsim(['--version']);
    expect(v.stdout.trim()).toBe('0.1.0');
    const rh = zsim(['run', '--help']);
    expect(rh.stdout).toContain('--realtime');
  });
});
