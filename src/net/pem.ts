/**
 * PEM and DER framing, checked the way mbedTLS reads them (`library/pem.c`), so that a credential
 * zsim accepts is one a Zephyr device would accept too, and a rejected one comes with the reason.
 *
 * Messages here never quote base64 or key material: they name lines and labels only, because the
 * callers log them and a credential may be a private key.
 */

/** One `-----BEGIN X-----` ... `-----END X-----` block. */
export interface PemBlock {
  /** The label between `BEGIN ` and the dashes, e.g. `CERTIFICATE`, `EC PRIVATE KEY`. */
  readonly label: string;
  /** 1-based line of the BEGIN marker, for messages. */
  readonly line: number;
  /** RFC 1421 headers before the base64 (`Proc-Type: 4,ENCRYPTED`...), as written. */
  readonly headers: readonly string[];
  /** The decoded body (DER), empty when the base64 was invalid. */
  readonly der: Uint8Array;
}

/** The blocks of a PEM text and what is wrong with its framing. */
export interface PemParse {
  readonly blocks: readonly PemBlock[];
  /** Framing problems, each a sentence fragment such as `block "CERTIFICATE" at line 1 has no END line`. */
  readonly problems: readonly string[];
}

const BEGIN_RE = /-----BEGIN ([A-Z0-9][A-Z0-9 ]*)-----/g;
const BASE64_LINE_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** True when the last byte is NUL: mbedTLS parses a buffer as PEM only then (`crt_is_pem`). */
export function endsWithNul(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes[bytes.length - 1] === 0;
}

/**
 * The text mbedTLS's `strstr` sees: the bytes up to the first NUL, as Latin-1 (PEM is ASCII; any
 * other byte is kept as one character so indices stay byte offsets).
 */
export function pemText(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return Buffer.from(bytes.buffer, bytes.byteOffset, nul < 0 ? bytes.length : nul).toString('latin1');
}

/**
 * True when the bytes hold something like a PEM BEGIN marker, NUL or not, even a malformed one:
 * what a person would call "a PEM file", so its problems are explained as PEM problems.
 */
export function looksLikePem(bytes: Uint8Array): boolean {
  return /-{2,} *BEGIN[ -]/i.test(pemText(bytes));
}

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Index just past a marker's optional space and line break, or -1 when no `\n` follows (mbedTLS requires one after BEGIN). */
function skipEol(text: string, i: number, required: boolean): number {
  if (text[i] === ' ') i++;
  if (text[i] === '\r') i++;
  if (text[i] === '\n') return i + 1;
  return required ? -1 : i;
}

/** Splits a block body into RFC 1421 headers and base64, checking the base64 as mbedTLS decodes it. */
function decodeBody(body: string, where: string, problems: string[]): { headers: string[]; der: Uint8Array } {
  const lines = body.split('\n').map((l) => l.trim());
  const headers: string[] = [];
  let i = 0;
  if (lines[0]?.includes(':')) {
    while (i < lines.length && lines[i] !== '') headers.push(lines[i++]);
  }
  const b64Lines = lines.slice(i).filter((l) => l !== '');
  if (b64Lines.length === 0) {
    problems.push(`${where} has no base64 data between its BEGIN and END lines`);
    return { headers, der: new Uint8Array(0) };
  }
  for (let j = 0; j < b64Lines.length; j++) {
    const l = b64Lines[j];
    const padded = l.includes('=') && j !== b64Lines.length - 1;
    if (!BASE64_LINE_RE.test(l) || padded) {
      // Say where, not what: the offending line may be part of a private key.
      problems.push(`${where} has invalid base64 on data line ${j + 1} of the block (only A-Z a-z 0-9 + / and final = padding are allowed)`);
      return { headers, der: new Uint8Array(0) };
    }
  }
  const b64 = b64Lines.join('');
  if (b64.length % 4 !== 0) {
    problems.push(`${where} has truncated base64 (${b64.length} characters, not a multiple of 4): was a line lost?`);
    return { headers, der: new Uint8Array(0) };
  }
  return { headers, der: new Uint8Array(Buffer.from(b64, 'base64')) };
}

/**
 * Finds the PEM blocks of `text` and reports framing mistakes: a BEGIN line not followed by a line
 * break (C string literals concatenated without `"\n"`), a missing or mismatched END line, bad
 * base64, an empty body, a malformed marker.
 */
export function parsePem(text: string): PemParse {
  const blocks: PemBlock[] = [];
  const problems: string[] = [];
  BEGIN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  let found = false;
  while ((m = BEGIN_RE.exec(text)) !== null) {
    found = true;
    const label = m[1];
    const line = lineOf(text, m.index);
    const where = `PEM block "${label}" at line ${line}`;
    const bodyStart = skipEol(text, m.index + m[0].length, true);
    const footer = `-----END ${label}-----`;
    const end = text.indexOf(footer, m.index);
    const nextBegin = text.indexOf('-----BEGIN', m.index + m[0].length);
    if (end < 0 || (nextBegin >= 0 && nextBegin < end)) {
      const otherEnd = /-----END ([A-Z0-9 ]*)-----/.exec(text.slice(m.index, nextBegin < 0 ? undefined : nextBegin));
      problems.push(
        otherEnd
          ? `${where} ends with "-----END ${otherEnd[1]}-----" instead of "${footer}"`
          : `${where} has no "${footer}" line (truncated file or string?)`,
      );
      continue;
    }
    BEGIN_RE.lastIndex = end + footer.length;
    if (bodyStart < 0) {
      problems.push(`${where}: the BEGIN line is not followed by a line break, which mbedTLS requires (in C, end each line of the string literal with "\\n")`);
      continue;
    }
    const { headers, der } = decodeBody(text.slice(bodyStart, end), where, problems);
    blocks.push({ label, line, headers, der });
  }
  if (!found) {
    const loose = /-+ *BEGIN[^\n]*/i.exec(text);
    if (loose) problems.push(`malformed PEM marker at line ${lineOf(text, loose.index)}: expected "-----BEGIN <LABEL>-----" with five dashes and an upper-case label`);
    else problems.push('no "-----BEGIN" line found');
  }
  return { blocks, problems };
}

/**
 * The total length of the DER element at the start of `bytes` (tag, length and contents), or null
 * when its header is not a valid definite-length DER header. Lets callers tell a truncated DER
 * credential (credlen too small) from one with trailing bytes, which mbedTLS ignores.
 */
export function derElementLength(bytes: Uint8Array): number | null {
  if (bytes.length < 2) return null;
  const first = bytes[1];
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || bytes.length < 2 + n) return null;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + bytes[2 + i];
  return 2 + n + len;
}

/** `der` wrapped as PEM text with 64-character lines, as OpenSSL writes it. */
export function derToPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.length).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
