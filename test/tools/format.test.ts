/** Output formatting (`-v`, `-F`, `-N`) and `-l` line splitting, without a broker. */
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { parseFormat, renderMessage } from '../../src/tools/format.ts';
import { readLines } from '../../src/tools/lines.ts';
import type { ToolMessage } from '../../src/tools/client.ts';

const msg = (payload: string, extra: Partial<ToolMessage> = {}): ToolMessage => ({
  topic: 'a/b', payload: new TextEncoder().encode(payload), qos: 1, retain: false, mid: 7, ...extra,
});
const text = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));

describe('zsim sub output, as mosquitto_sub', () => {
  it('plain, -v, empty payloads, -N', () => {
    const o = { format: null, verbose: false, eol: true };
    expect(text(renderMessage(msg('hi'), o))).toBe('hi\n');
    expect(renderMessage(msg(''), o)).toBeNull();
    expect(text(renderMessage(msg('hi'), { ...o, verbose: true }))).toBe('a/b hi\n');
    expect(text(renderMessage(msg(''), { ...o, verbose: true }))).toBe('a/b (null)\n');
    expect(text(renderMessage(msg('hi'), { ...o, eol: false }))).toBe('hi');
  });

  it('-F fields, %% and escapes; unknown ones are usage errors', () => {
    const f = parseFormat('%t %p %q %r %l %m %x %X %%\\t\\\\');
    expect(text(renderMessage(msg('\x01z', { retain: true }), { format: f, verbose: false, eol: true }))).toBe('a/b \x01z 1 1 2 7 017a 017A %\t\\\n');
    expect(() => parseFormat('%z')).toThrow(/invalid format specifier 'z'/);
    expect(() => parseFormat('50%')).toThrow(/incomplete format specifier/);
    expect(() => parseFormat('\\q')).toThrow(/invalid escape/);
  });
});

describe('-l line splitting, as mosquitto_pub', () => {
  it('one message per \\n across chunk boundaries; \\r kept; the last line sent at EOF', async () => {
    const s = new PassThrough();
    const got: string[] = [];
    const ended = new Promise<void>((resolve) => readLines(s, { line: (b) => got.push(new TextDecoder().decode(b)), end: () => resolve() }));
    s.write('on');
    s.write('e\n\ntw');
    s.write('o\r\nthree');
    s.end();
    await ended;
    expect(got).toEqual(['one', '', 'two\r', 'three']);
  });
});
