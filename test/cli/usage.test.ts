/**
 * Usage as the README promises it: bad input exits 2 with one `zsim: error: ...` line naming the
 * file or option (no Node stack trace); a repeated single-valued option keeps its last value while
 * repeatable ones collect every value; --help describes each command as it behaves.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixParsedArgs } from '../../src/cli/parse_fixups.ts';
import { zsim, type CliResult } from '../helpers/cli.ts';

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'zsim-usage-'));

/** Exit 2 and a single line on stderr, `zsim: error: ` and the text expected. */
function expectUsageError(r: CliResult, expected: string | RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  if (typeof expected === 'string') expect(lines[0]).toBe(`zsim: error: ${expected}`);
  else expect(lines[0]).toMatch(expected);
  expect(r.stderr).not.toMatch(/\n\s+at |node:internal|Node\.js v/);
}

describe('output files that cannot be written', () => {
  it('zsim run --pcap / --trace: exit 2 naming the file and the reason, before the run', () => {
    for (const opt of ['--pcap', '--trace']) {
      const r = zsim(['run', '-b', 'qemu_x86', 'samples/net/mqtt_publisher', opt, '/nonexist/dir/x.out']);
      expectUsageError(r, '/nonexist/dir/x.out: cannot write: ENOENT (no such file or directory)');
      expect(r.stdout, opt).toBe('');
    }
    const dir = tmp();
    expectUsageError(zsim(['run', '-b', 'qemu_x86', 'samples/net/mqtt_publisher', '--trace', dir]), `${dir}: cannot write: EISDIR (illegal operation on a directory)`);
    expectUsageError(zsim(['run', '-b', 'qemu_x86', 'samples/net/mqtt_publisher', '--pcap']), '--pcap needs a FILE');
  });

  it('the check leaves files as they were when the run then stops on another error', () => {
    const dir = tmp();
    const old = path.join(dir, 'old.jsonl');
    writeFileSync(old, 'keep me\n');
    const fresh = path.join(dir, 'new.pcap');
    const r = zsim(['run', '-b', 'nosuchboard', 'samples/net/mqtt_publisher', '--trace', old, '--pcap', fresh]);
    expectUsageError(r, /^zsim: error: unknown board 'nosuchboard'/);
    expect(readFileSync(old, 'utf8')).toBe('keep me\n');
    expect(existsSync(fresh)).toBe(false);
  });

  it('zsim report merge -o and zsim manifest --out', () => {
    expectUsageError(zsim(['manifest', '--resolve', '--out', '/nonexist/dir/m.json']), '/nonexist/dir/m.json: cannot write: ENOENT (no such file or directory)');
    expectUsageError(zsim(['report', 'merge', 'a.json', '-o', '/nonexist/dir/m.json']), '/nonexist/dir/m.json: cannot write: ENOENT (no such file or directory)');
  });
});

describe('repeated options', () => {
  it('a single-valued option keeps the last value given', () => {
    const t = zsim(['run', '-b', 'qemu_x86', 'samples/hello_world', '--time', '5', '--time', 'abc']);
    expectUsageError(t, "--time must be a positive number of seconds, got 'abc'");
    const b = zsim(['run', '-b', 'qemu_x86', '-b', 'nosuchboard', 'samples/hello_world']);
    expectUsageError(b, /^zsim: error: unknown board 'nosuchboard' \(known boards: /);
    const ok = zsim(['run', '-b', 'nosuchboard', '-b', 'qemu_x86', 'samples/hello_world', '--time', 'abc', '--time', '5']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Hello World! qemu_x86/atom');
  });

  it('repeatable options (-D, --cred) still collect every value', () => {
    const dir = path.join(tmp(), 'build');
    const b = zsim(['build', '-b', 'qemu_x86', 'samples/hello_world', '-d', dir, '-D', 'CONFIG_BOOT_BANNER=n', '-D', 'CONFIG_MAIN_STACK_SIZE=2048']);
    expect(b.code, b.stderr).toBe(0);
    const c = zsim(['config', '-d', dir]);
    expect(c.stdout).toMatch(/^CONFIG_BOOT_BANNER=n +\(set on the command line \(-D\)\)$/m);
    expect(c.stdout).toMatch(/^CONFIG_MAIN_STACK_SIZE=2048 +\(set on the command line \(-D\)\)$/m);
    // The first --cred is parsed too: it is the malformed one.
    const cred = zsim(['run', '-b', 'qemu_x86', 'samples/hello_world', '--cred', 'bad', '--cred', '1:ca:ca.pem']);
    expect(cred.code).toBe(2);
    expect(cred.stderr).toBe('zsim: error: --cred "bad": expected TAG:TYPE:FILE, e.g. 1:ca:certs/ca.pem\n');
  });

  it('a number option echoes what was typed, not NaN', () => {
    expectUsageError(zsim(['run', '-b', 'qemu_x86', 'samples/hello_world', '--time', 'abc']), "--time must be a positive number of seconds, got 'abc'");
    expectUsageError(zsim(['run', '-b', 'qemu_x86', 'samples/hello_world', '--seed=x7']), "--seed must be an integer from 0 to 4294967295, got 'x7'");
    expectUsageError(zsim(['fleet', '-b', 'qemu_x86', 'samples/net/mqtt_ticktock', '-n', 'abc']), "-n/--count must be a whole number >= 1, got 'abc'");
    expectUsageError(zsim(['fleet', '-b', 'qemu_x86', 'samples/net/mqtt_ticktock', '--time', 'abc']), "--time must be a positive number of seconds, got 'abc'");
    expectUsageError(zsim(['twister', '-j', 'many']), "-j must be a positive integer, got 'many'");
  });

  it('--time and --ramp must be finite; --seed must fit the 32 bits the random streams take', () => {
    const fleet = ['fleet', '-b', 'qemu_x86', 'samples/net/mqtt_ticktock', '-n', '2'];
    expectUsageError(zsim([...fleet, '--time', 'Infinity']), "--time must be a positive number of seconds, got 'Infinity'");
    expectUsageError(zsim([...fleet, '--time', '1e400']), "--time must be a positive number of seconds, got 'Infinity'");
    expectUsageError(zsim([...fleet, '--time', '5', '--ramp', 'Infinity']), "--ramp must be a number of seconds >= 0, got 'Infinity'");
    expectUsageError(zsim(['run', '-b', 'qemu_x86', 'samples/hello_world', '--time', 'Infinity']), "--time must be a positive number of seconds, got 'Infinity'");
    // 2^32 would run as seed 0, -1 as 4294967295, under the number typed.
    expectUsageError(zsim([...fleet, '--time', '5', '--seed', '4294967296']), "--seed must be an integer from 0 to 4294967295, got '4294967296'");
    expectUsageError(zsim([...fleet, '--time', '5', '--seed=-1']), "--seed must be an integer from 0 to 4294967295, got '-1'");
    expectUsageError(zsim(['run', '-b', 'qemu_x86', 'samples/hello_world', '--seed', '4294967296']), "--seed must be an integer from 0 to 4294967295, got '4294967296'");
  });

  it('fixParsedArgs: last value for single-valued options and their aliases, every value for arrays', () => {
    const opts = { array: ['topic', 'files'], number: ['count', 'n'], alias: { topic: ['t'], count: ['n'], 'build-dir': ['d'] } };
    const argv: Record<string, unknown> = {
      _: ['x'], '--': ['-DCONFIG_A=y', '-DCONFIG_B=y'], topic: ['a', 'b'], t: ['a', 'b'], files: ['f'],
      'build-dir': ['b1', 'b2'], d: ['b1', 'b2'], buildDir: ['b1', 'b2'], count: NaN, n: NaN,
    };
    fixParsedArgs(argv, opts, ['x', '-n', '3', '--count', 'abc', '-d', 'b1', '-d', 'b2', '--', '--count', 'zz']);
    expect(argv).toEqual({
      _: ['x'], '--': ['-DCONFIG_A=y', '-DCONFIG_B=y'], topic: ['a', 'b'], t: ['a', 'b'], files: ['f'],
      'build-dir': 'b2', d: 'b2', buildDir: 'b2', count: 'abc', n: 'abc',
    });
  });
});

describe('--help and missing arguments', () => {
  const commands = ['build', 'run', 'fleet', 'report', 'boards', 'kconfig', 'config', 'menuconfig', 'list', 'manifest', 'pub', 'sub', 'twister', 'broker'];

  it('no command lists an alias twice', () => {
    for (const c of commands) {
      const r = zsim([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toContain(`zsim ${c}`);
      expect(r.stdout, c).not.toMatch(/(-\w), \1\b/);
    }
    expect(zsim(['run', '--help']).stdout).toMatch(/^ {2}-b, --board /m);
  }, 90_000);

  it('--broker: run and fleet take mqtt and mqtts, and ws and wss for websocket apps', () => {
    const run = zsim(['run', '--help']).stdout.replace(/\s+/g, ' ');
    expect(run).toMatch(/--broker [^[]*mqtt:\/\/[^[]*mqtts:\/\/[^[]*ws:\/\/[^[]*wss:\/\//);
    const fleet = zsim(['fleet', '--help']).stdout.replace(/\s+/g, ' ');
    expect(fleet).toMatch(/--broker [^[]*mqtt:\/\/HOST:PORT or mqtts:\/\/HOST:PORT \(ws:\/\/, wss:\/\/ for apps with CONFIG_MQTT_LIB_WEBSOCKET\)/);
  });

  it('zsim report names what is missing', () => {
    expectUsageError(zsim(['report', 'show']), 'missing the report file: zsim report show FILE');
    expectUsageError(zsim(['report', 'merge']), 'missing the report files: zsim report merge A.json B.json... [-o OUT]');
    expectUsageError(zsim(['report']), /^zsim: error: missing the action: zsim report merge .* or zsim report show FILE$/);
    expectUsageError(zsim(['report', 'bogus', 'a.json']), /^zsim: error: unknown action 'bogus': zsim report merge /);
    expectUsageError(zsim(['report', 'show', 'a.json', '-o', 'b.json']), '-o/--output goes with zsim report merge only');
    expectUsageError(zsim(['report', 'show', '/nonexist/r.json']), '/nonexist/r.json: cannot read the report: ENOENT (no such file or directory)');
    const dir = tmp();
    expectUsageError(zsim(['report', 'merge', dir, dir]), `${dir}: cannot read the report: EISDIR (illegal operation on a directory)`);
    const notJson = path.join(dir, 'not.json');
    writeFileSync(notJson, 'nope\n');
    expectUsageError(zsim(['report', 'show', notJson]), new RegExp(`^zsim: error: ${notJson}: not JSON \\(Unexpected token .*"nope\\\\n" is not valid JSON\\)$`));
  });
});

describe('a reader that goes away', () => {
  it('`zsim ... | head -1` ends quietly with status 0, not an EPIPE stack trace', async () => {
    const { spawnSync } = await import('node:child_process');
    const { ZSIM } = await import('../helpers/cli.ts');
    const d = tmp();
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${ZSIM}" build -b qemu_x86 samples/hello_world -d "${d}" 2>&1 | head -1; echo "status \${PIPESTATUS:-}"`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stdout.split('\n')[0]).toMatch(/^-- zsim: board qemu_x86/);
    expect(r.stdout).not.toMatch(/EPIPE|node:internal/);
    const status = spawnSync('bash', ['-c', `"${process.execPath}" "${ZSIM}" build -b qemu_x86 samples/hello_world -d "${d}" -p always 2>/dev/null | head -1 >/dev/null; echo \${PIPESTATUS[0]}`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(status.stdout.trim()).toBe('0');
  }, 60_000);
});
