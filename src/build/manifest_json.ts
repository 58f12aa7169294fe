/**
 * JSON syntax errors with a place: V8's `JSON.parse` messages differ between Node versions and
 * often give no position, so when parsing fails a small scanner finds the first error itself and
 * reports it as `FILE:LINE:COLUMN: invalid JSON: ...`.
 */

/** The first syntax error in `text`: its offset and what is wrong. */
export interface JsonSyntaxError {
  offset: number;
  message: string;
}

class Stop {
  constructor(readonly error: JsonSyntaxError) {}
}

function show(ch: string | undefined): string {
  return ch === undefined ? 'end of input' : JSON.stringify(ch);
}

/** Scans `text` as JSON (RFC 8259); returns the first error, or null when it is valid. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const fail = (message: string, offset = i): never => {
    throw new Stop({ offset, message });
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const str = (): void => {
    i++; // opening quote
    for (;;) {
      const c = text[i];
      if (c === undefined) fail('unterminated string');
      else if (c === '"') {
        i++;
        return;
      } else if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape in string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(`invalid escape '\\${e ?? ''}' in string`);
      } else if (c < ' ') fail('control character in string (escape it, e.g. \\n)');
      else i++;
    }
  };
  const container = (close: '}' | ']'): void => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (close === '}') {
        if (text[i] !== '"') fail(`expected a property name in double quotes, got ${show(text[i])}`);
        str();
        ws();
        if (text[i] !== ':') fail(`expected ':' after property name, got ${show(text[i])}`);
        i++;
      }
      value();
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] !== ',') fail(`expected ',' or '${close}', got ${show(text[i])}`);
      i++;
      ws();
      if (text[i] === close) fail(`trailing comma before '${close}'`);
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') container('}');
    else if (c === '[') container(']');
    else if (c === '"') str();
    else {
      const m = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null/y;
      m.lastIndex = i;
      const hit = m.exec(text);
      if (!hit) fail(c === undefined ? 'unexpected end of input' : `unexpected ${show(c)}`);
      else i += hit[0].length;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${show(text[i])} after the JSON value`);
    return null;
  } catch (e) {
    if (e instanceof Stop) return e.error;
    throw e;
  }
}

/** 1-based line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
