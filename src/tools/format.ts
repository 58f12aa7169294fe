/**
 * How `zsim sub` prints a message, as mosquitto_sub 2.x does: the payload and a newline; with
 * `-v`, `topic payload` (`topic (null)` for an empty payload); with `-F`, a format string. An
 * empty payload without `-v`/`-F` prints nothing (the message still counts for `-C`). `-N`
 * drops the newline.
 *
 * `-F` subset: `%t` topic, `%p` payload, `%q` QoS, `%r` retain flag (0/1), `%l` payload length,
 * `%m` message id, `%x`/`%X` payload in hex, `%%`; escapes `\\`, `\n`, `\t`, `\r`, `\a`, `\e`,
 * `\v`, `\0`.
 */
import { UsageError } from '../cli/errors.ts';
import type { ToolMessage } from './client.ts';

/** A parsed `-F` string: literal bytes and field letters. */
export type FormatPart = { text: string } | { field: 't' | 'p' | 'q' | 'r' | 'l' | 'm' | 'x' | 'X' };

const FIELDS = new Set(['t', 'p', 'q', 'r', 'l', 'm', 'x', 'X']);
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', n: '\n', t: '\t', r: '\r', a: '\x07', e: '\x1b', v: '\v', '0': '\0' };

/** Parses a `-F` string; an unknown `%` or `\` sequence is a usage error, as in mosquitto_sub. */
export function parseFormat(fmt: string): FormatPart[] {
  const parts: FormatPart[] = [];
  let text = '';
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i]!;
    if (ch !== '%' && ch !== '\\') {
      text += ch;
      continue;
    }
    const next = fmt[i + 1];
    if (next === undefined) {
      if (ch === '%') throw new UsageError('-F: incomplete format specifier at the end (use %% for a %)');
      throw new UsageError('-F: incomplete escape at the end (use \\\\ for a \\)');
    }
    i++;
    if (ch === '%') {
      if (next === '%') text += '%';
      else if (FIELDS.has(next)) {
        if (text) parts.push({ text });
        text = '';
        parts.push({ field: next as 't' });
      } else throw new UsageError(`-F: invalid format specifier '${next}' (zsim sub knows %t %p %q %r %l %m %x %X %%)`);
    } else {
      const e = ESCAPES[next];
      if (e === undefined) throw new UsageError(`-F: invalid escape sequence '\\${next}'`);
      text += e;
    }
  }
  if (text) parts.push({ text });
  return parts;
}

/** How messages are printed. */
export interface OutputOptions {
  format: FormatPart[] | null;
  verbose: boolean;
  /** Newline after each message (off with `-N`). */
  eol: boolean;
}

const enc = new TextEncoder();

/** The bytes to write for `m`, or null for nothing (an empty payload without `-v`/`-F`). */
export function renderMessage(m: ToolMessage, o: OutputOptions): Uint8Array | null {
  const chunks: Uint8Array[] = [];
  const nl = o.eol ? '\n' : '';
  if (o.format) {
    for (const part of o.format) {
      if ('text' in part) chunks.push(enc.encode(part.text));
      else chunks.push(field(m, part.field));
    }
    chunks.push(enc.encode(nl));
  } else if (o.verbose) {
    if (m.payload.length === 0) chunks.push(enc.encode(`${m.topic} (null)${nl}`));
    else chunks.push(enc.encode(`${m.topic} `), m.payload, enc.encode(nl));
  } else {
    if (m.payload.length === 0) return null;
    chunks.push(m.payload, enc.encode(nl));
  }
  return Buffer.concat(chunks);
}

function field(m: ToolMessage, f: 't' | 'p' | 'q' | 'r' | 'l' | 'm' | 'x' | 'X'): Uint8Array {
  switch (f) {
    case 't':
      return enc.encode(m.topic);
    case 'p':
      return m.payload;
    case 'q':
      return enc.encode(String(m.qos));
    case 'r':
      return enc.encode(m.retain ? '1' : '0');
    case 'l':
      return enc.encode(String(m.payload.length));
    case 'm':
      return enc.encode(String(m.mid));
    case 'x':
      return enc.encode(Buffer.from(m.payload).toString('hex'));
    case 'X':
      return enc.encode(Buffer.from(m.payload).toString('hex').toUpperCase());
  }
}
