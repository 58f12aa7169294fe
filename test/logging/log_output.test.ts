import { describe, expect, it } from 'vitest';
import {
  LOG_LEVEL_DBG,
  LOG_LEVEL_ERR,
  LOG_LEVEL_INF,
  LOG_LEVEL_NONE,
  LOG_LEVEL_WRN,
  formatHexdump,
  formatLogLine,
  formatTimestamp,
  logLevelTag,
  shouldColor,
  type LogLevel,
} from '../../src/logging/log_output.ts';

const ESC = '\x1b';
const SEC = 1_000_000_000;
const HOUR = 3600 * SEC;

describe('formatTimestamp', () => {
  it.each([
    [0, '[00:00:00.000,000]'],
    [999, '[00:00:00.000,000]'], // sub-microsecond parts are truncated
    [1_500, '[00:00:00.000,001]'],
    [999_999, '[00:00:00.000,999]'],
    [1_000_000, '[00:00:00.001,000]'],
    [1_234_567_000, '[00:00:01.234,567]'],
    [59 * SEC + 999_999_999, '[00:00:59.999,999]'],
    [3_723_004_005_000, '[01:02:03.004,005]'],
    [24 * HOUR, '[24:00:00.000,000]'], // no day field: hours keep counting
    [25 * HOUR + 61 * SEC, '[25:01:01.000,000]'],
    [100 * HOUR + 3599 * SEC + 999_999_000, '[100:59:59.999,999]'],
    [-5, '[00:00:00.000,000]'],
    [Number.NaN, '[00:00:00.000,000]'],
  ])('%d ns -> %s', (ns, expected) => {
    expect(formatTimestamp(ns)).toBe(expected);
  });
});

describe('log levels', () => {
  it('has Zephyr values and tags', () => {
    expect([LOG_LEVEL_NONE, LOG_LEVEL_ERR, LOG_LEVEL_WRN, LOG_LEVEL_INF, LOG_LEVEL_DBG]).toEqual([0, 1, 2, 3, 4]);
    expect([1, 2, 3, 4].map((l) => logLevelTag(l as LogLevel))).toEqual(['err', 'wrn', 'inf', 'dbg']);
  });
});

describe('formatLogLine', () => {
  const base = { uptimeNs: 1_234_567_000, module: 'app', message: 'hello 42', color: false } as const;

  it.each([
    [LOG_LEVEL_ERR, '[00:00:01.234,567] <err> app: hello 42'],
    [LOG_LEVEL_WRN, '[00:00:01.234,567] <wrn> app: hello 42'],
    [LOG_LEVEL_INF, '[00:00:01.234,567] <inf> app: hello 42'],
    [LOG_LEVEL_DBG, '[00:00:01.234,567] <dbg> app: hello 42'],
  ] as const)('level %d without colour', (level, expected) => {
    const line = formatLogLine({ ...base, level });
    expect(line).toBe(expected);
    expect(line).not.toContain(ESC);
  });

  it('colours errors bold red from the level tag to the end of the message', () => {
    expect(formatLogLine({ ...base, level: LOG_LEVEL_ERR, color: true })).toBe(
      `[00:00:01.234,567] ${ESC}[1m${ESC}[31m<err> app: hello 42${ESC}[39m${ESC}[22m`,
    );
  });

  it('colours warnings bold yellow', () => {
    expect(formatLogLine({ ...base, level: LOG_LEVEL_WRN, color: true })).toBe(
      `[00:00:01.234,567] ${ESC}[1m${ESC}[33m<wrn> app: hello 42${ESC}[39m${ESC}[22m`,
    );
  });

  it.each([
    [LOG_LEVEL_INF, 'inf'],
    [LOG_LEVEL_DBG, 'dbg'],
  ] as const)('wraps level %d in reset codes only, as Zephyr does', (level, tag) => {
    expect(formatLogLine({ ...base, level, color: true })).toBe(`[00:00:01.234,567] ${ESC}[0m<${tag}> app: hello 42${ESC}[0m`);
  });

  it('colours regardless of the environment', () => {
    const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR };
    process.env.NO_COLOR = '1';
    process.env.FORCE_COLOR = '0';
    try {
      expect(formatLogLine({ ...base, level: LOG_LEVEL_ERR, color: true })).toContain(`${ESC}[31m`);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('puts the function name into the message, as CONFIG_LOG_FUNC_NAME_PREFIX does', () => {
    expect(formatLogLine({ ...base, level: LOG_LEVEL_DBG, func: 'tick' })).toBe('[00:00:01.234,567] <dbg> app: tick: hello 42');
  });

  it('omits an empty module name', () => {
    expect(formatLogLine({ ...base, level: LOG_LEVEL_INF, module: '' })).toBe('[00:00:01.234,567] <inf> hello 42');
  });

  it('prints an empty message', () => {
    expect(formatLogLine({ ...base, level: LOG_LEVEL_INF, uptimeNs: 0, message: '' })).toBe('[00:00:00.000,000] <inf> app: ');
  });
});

describe('formatHexdump', () => {
  const base = { uptimeNs: 0, level: LOG_LEVEL_INF, module: 'app', message: 'dump', color: false } as const;
  const HEAD = '[00:00:00.000,000] <inf> app: dump';
  // Width of "[00:00:00.000,000] <inf> app: ": 19 + 6 + 5.
  const IND = ' '.repeat(30);
  const bytes = (n: number, from = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => from + i);

  it('prints only the message line for 0 bytes', () => {
    expect(formatHexdump({ ...base, data: new Uint8Array(0) })).toEqual([HEAD]);
  });

  it('pads a 5-byte row to full width', () => {
    expect(formatHexdump({ ...base, data: new TextEncoder().encode('hello') })).toEqual([
      HEAD,
      IND + '68 65 6c 6c 6f                                   |hello            ',
    ]);
  });

  it('prints 16 bytes as exactly one row with a gap after 8', () => {
    expect(formatHexdump({ ...base, data: bytes(16, 0x41) })).toEqual([
      HEAD,
      IND + '41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50 |ABCDEFGH IJKLMNOP',
    ]);
  });

  it('starts a second row for the 17th byte', () => {
    expect(formatHexdump({ ...base, data: bytes(17, 0x61) })).toEqual([
      HEAD,
      IND + '61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70 |abcdefgh ijklmnop',
      IND + '71                                               |q                ',
    ]);
  });

  it('prints 40 bytes as three rows with non-printables as dots', () => {
    expect(formatHexdump({ ...base, data: bytes(40) })).toEqual([
      HEAD,
      IND + '00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f |........ ........',
      IND + '10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f |........ ........',
      IND + `20 21 22 23 24 25 26 27                          | !"#$%&'         `,
    ]);
  });

  it('treats DEL and bytes above 0x7e as non-printable', () => {
    const [, row] = formatHexdump({ ...base, data: Uint8Array.of(0x7e, 0x7f, 0x80, 0xe9, 0xff) });
    expect(row).toBe(IND + '7e 7f 80 e9 ff                                   |~....            ');
  });

  it('indents to the prefix width, which grows with the timestamp and excludes the function name', () => {
    const lines = formatHexdump({ ...base, uptimeNs: 100 * HOUR, module: 'net_tcp', func: 'rx', data: Uint8Array.of(1) });
    expect(lines[0]).toBe('[100:00:00.000,000] <inf> net_tcp: rx: dump');
    expect(lines[1]).toBe(' '.repeat(20 + 6 + 9) + '01' + ' '.repeat(47) + '|.                ');
  });

  it('colours every line of an error dump on its own', () => {
    const lines = formatHexdump({ ...base, level: LOG_LEVEL_ERR, color: true, data: bytes(17, 0x61) });
    expect(lines).toEqual([
      `[00:00:00.000,000] ${ESC}[1m${ESC}[31m<err> app: dump${ESC}[39m${ESC}[22m`,
      `${ESC}[1m${ESC}[31m${IND}61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70 |abcdefgh ijklmnop${ESC}[39m${ESC}[22m`,
      `${ESC}[1m${ESC}[31m${IND}71                                               |q                ${ESC}[39m${ESC}[22m`,
    ]);
  });

  it('has no escape codes without colour', () => {
    for (const level of [LOG_LEVEL_ERR, LOG_LEVEL_WRN, LOG_LEVEL_INF, LOG_LEVEL_DBG] as const) {
      expect(formatHexdump({ ...base, level, data: bytes(40) }).join('\n')).not.toContain(ESC);
    }
  });
});

describe('shouldColor', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it.each([
    ['TTY, clean env', tty, {}, true],
    ['not a TTY', pipe, {}, false],
    ['isTTY missing', {}, {}, false],
    ['NO_COLOR set', tty, { NO_COLOR: '1' }, false],
    ['NO_COLOR empty is ignored', tty, { NO_COLOR: '' }, true],
    ['FORCE_COLOR=1 on a pipe', pipe, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR=3 beats NO_COLOR', pipe, { FORCE_COLOR: '3', NO_COLOR: '1' }, true],
    ['FORCE_COLOR empty forces on, as in Node and chalk', pipe, { FORCE_COLOR: '' }, true],
    ['FORCE_COLOR=0 forces off', tty, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR=false forces off', tty, { FORCE_COLOR: 'false' }, false],
  ] as const)('%s', (_name, stream, env, expected) => {
    expect(shouldColor(stream, env)).toBe(expected);
  });
});
