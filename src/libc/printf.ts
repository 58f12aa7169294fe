/**
 * C-style formatting with the semantics of Zephyr's complete cbprintf (`lib/os/cbprintf_complete.c`,
 * configured with CBPRINTF_FULL_INTEGRAL, CBPRINTF_FP_SUPPORT and CBPRINTF_FP_A_SUPPORT).
 *
 * Where Zephyr deliberately differs from glibc we follow Zephyr, because simulated firmware should
 * print what the real board prints: `%#x` of 0 is `0x0`, `%.0d` of 0 is `0`, `%05s` pads with
 * zeros, floats carry at most 16 significant digits and are rounded by adding half a unit to a
 * truncated fixed-point fraction (`%.0f` of 1.5 is `1`), `%.0g` is not promoted to one digit of
 * precision, and invalid or unsupported specifications (`%Lf`, `%lc`, `%hs`, `%k`) are echoed.
 */

/** Integer widths of the simulated target: `ilp32` (Cortex-M and most boards) or `lp64` (native_sim/64). */
export type DataModel = 'ilp32' | 'lp64';

/** Options for {@link cprintf}. */
export interface CprintfOptions {
  /** Size of `long`, `size_t`, `ptrdiff_t` and pointers; default `ilp32`. */
  readonly dataModel?: DataModel;
}

interface Flags {
  dash: boolean;
  plus: boolean;
  space: boolean;
  hash: boolean;
  zero: boolean;
}

type Category = 'sint' | 'uint' | 'fp' | 'ptr' | 'invalid';

/** Width and precision are clamped so a hostile `%*d` cannot make us allocate gigabytes (and throw). */
const MAX_FIELD = 65_536;
const MISSING: unique symbol = Symbol('missing');
/** flags, width, precision, length modifier, conversion; sticky so it matches right at the '%'. */
const SPEC = /%([-+ #0]*)(\*|\d*)(?:\.(\*|\d*))?(hh|h|ll|l|j|z|t|L)?(.?)/y;

interface Ctx {
  readonly longBits: number;
  readonly ptrBits: number;
}

/**
 * Formats `fmt` with `args` like Zephyr's `printk`/`snprintk` (complete cbprintf).
 *
 * Integer arguments may be `number` or `bigint` and are wrapped to the C type selected by the length
 * modifier (`%x` of -1 is `ffffffff`, `%llx` of -1n is `ffffffffffffffff`). `%s` accepts strings
 * (up to the first NUL), `Uint8Array`s (bytes up to the first NUL, as latin1) and `null` (`(null)`).
 * `%p` prints numbers and bigints as addresses, `null`/0 as `(nil)`, and any other value as a stable
 * synthetic address. A specification whose argument is missing (or `undefined`) prints nothing.
 * Never throws.
 */
export function cprintf(fmt: string, args: readonly unknown[], options?: CprintfOptions): string {
  const wide = options?.dataModel === 'lp64';
  const ctx: Ctx = { longBits: wide ? 64 : 32, ptrBits: wide ? 64 : 32 };
  let out = '';
  let ai = 0;
  const next = (): unknown => {
    const v = ai < args.length ? args[ai] : undefined;
    ai++;
    return v === undefined ? MISSING : v;
  };
  // A star argument is a C int; negative width means left-justify, negative precision means none.
  const star = (): number | typeof MISSING => {
    const v = next();
    return v === MISSING ? v : Number(BigInt.asIntN(32, toBigInt(v)));
  };
  let i = 0;
  for (let pct = fmt.indexOf('%'); pct >= 0; pct = fmt.indexOf('%', i)) {
    out += fmt.slice(i, pct);
    if (fmt[pct + 1] === '%') {
      out += '%';
      i = pct + 2;
      continue;
    }
    SPEC.lastIndex = pct;
    const m = SPEC.exec(fmt)!; // every group may be empty, so this always matches
    const [text, fl = '', w = '', pr, length = '', conv = ''] = m;
    i = pct + text.length;
    if (conv === '') {
      out += fmt.slice(pct); // dangling '%': C would read past the terminator; echo it instead
      return out;
    }
    const flags: Flags = { dash: fl.includes('-'), plus: fl.includes('+'), space: fl.includes(' '), hash: fl.includes('#'), zero: fl.includes('0') };
    let width = w === '*' ? star() : Number(w.slice(0, 6)); // '' is 0: no padding
    let precision = pr === '*' ? star() : pr === undefined ? -1 : Number(pr.slice(0, 6));
    const cat = category(conv);
    const value = cat === 'invalid' ? undefined : next();
    if (width === MISSING || precision === MISSING || value === MISSING) continue;
    if (width < 0) {
      flags.dash = true;
      width = -width;
    }
    if (flags.dash) flags.zero = false;
    width = Math.min(width, MAX_FIELD);
    precision = Math.max(-1, Math.min(precision, MAX_FIELD));
    if (isRejected(cat, conv, length)) out += text; // Zephyr consumes the argument, then echoes
    else out += convert(conv, cat, length, flags, value, width, precision, ctx);
  }
  return out + fmt.slice(i);
}

function category(conv: string): Category {
  if (conv === 'd' || conv === 'i') return 'sint';
  if ('ouxXc'.includes(conv)) return 'uint';
  if ('aAeEfFgG'.includes(conv)) return 'fp';
  return conv === 'n' || conv === 's' || conv === 'p' ? 'ptr' : 'invalid';
}

/** Combinations Zephyr parses but refuses: `L` anywhere (no long double), `%lc`, `%hs`, `%lp`, `%hf`. */
function isRejected(cat: Category, conv: string, length: string): boolean {
  if (cat === 'invalid' || length === 'L') return true;
  if (conv === 'c' || conv === 's' || conv === 'p') return length !== '';
  return cat === 'fp' && length !== '' && length !== 'l';
}

/** Bit width of the C type each integer length modifier reads (`int` by default). */
function intBits(length: string, ctx: Ctx): number {
  const bits: Record<string, number> = { hh: 8, h: 16, l: ctx.longBits, ll: 64, j: 64, z: ctx.ptrBits, t: ctx.ptrBits };
  return bits[length] ?? 32;
}

function convert(conv: string, cat: Category, length: string, f: Flags, value: unknown, width: number, precision: number, ctx: Ctx): string {
  let sign = '';
  let prefix = '';
  let body: string;
  let zeroPad = f.zero;
  if (cat === 'sint' || (cat === 'uint' && conv !== 'c')) {
    const bits = intBits(length, ctx);
    let v: bigint;
    if (cat === 'sint') {
      v = BigInt.asIntN(bits, toBigInt(value));
      sign = v < 0n ? '-' : f.plus ? '+' : f.space ? ' ' : '';
      if (v < 0n) v = -v;
    } else v = BigInt.asUintN(bits, toBigInt(value));
    const radix = conv === 'o' ? 8 : conv === 'x' || conv === 'X' ? 16 : 10;
    body = conv === 'X' ? v.toString(16).toUpperCase() : v.toString(radix);
    // Zephyr adds the alternate-form prefix even for zero, unlike ISO C.
    if (f.hash && radix !== 10) prefix = radix === 8 ? '0' : conv === 'X' ? '0X' : '0x';
    ({ body, zeroPad } = precisionPad(body, precision, zeroPad));
  } else if (conv === 'c') body = charOf(value);
  else if (conv === 's') body = stringOf(value, precision);
  else if (conv === 'n') return ''; // nothing to store a count into from JavaScript
  else if (conv === 'p') {
    const ptr = pointerOf(value, ctx.ptrBits);
    if (ptr === 0n) body = '(nil)';
    else {
      prefix = '0x';
      ({ body, zeroPad } = precisionPad(ptr.toString(16), precision, zeroPad));
    }
  } else {
    const fp = encodeFloat(toNumber(value), conv, precision, f);
    sign = fp.sign;
    body = fp.text;
    zeroPad &&= fp.zeroOk;
  }
  const fill = width - sign.length - prefix.length - body.length;
  if (fill <= 0) return sign + prefix + body;
  if (f.dash) return sign + prefix + body + ' '.repeat(fill);
  return zeroPad ? sign + prefix + '0'.repeat(fill) + body : ' '.repeat(fill) + sign + prefix + body;
}

/** Integer precision is a minimum digit count and disables the `0` flag. */
function precisionPad(digits: string, precision: number, zero: boolean): { body: string; zeroPad: boolean } {
  if (precision < 0) return { body: digits, zeroPad: zero };
  return { body: '0'.repeat(Math.max(0, precision - digits.length)) + digits, zeroPad: false };
}

function toBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  const n = toNumber(v);
  return Number.isFinite(n) ? BigInt(Math.trunc(n)) : 0n;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null || v === undefined) return 0;
  try {
    return Number(v);
  } catch {
    return Number.NaN; // symbols and objects whose valueOf throws
  }
}

function charOf(v: unknown): string {
  if (typeof v === 'string') return v.length === 0 ? '' : String.fromCodePoint(v.codePointAt(0)!);
  // C stores the promoted int into a char: only the low byte survives.
  return String.fromCharCode(Number(BigInt.asUintN(8, toBigInt(v))));
}

function stringOf(v: unknown, precision: number): string {
  let s: string;
  if (v === null) s = '(null)';
  else if (v instanceof Uint8Array) {
    const end = v.indexOf(0);
    s = Buffer.from(v.buffer, v.byteOffset, end < 0 ? v.length : end).toString('latin1');
  } else {
    s = safeString(v);
    const nul = s.indexOf('\0');
    if (nul >= 0) s = s.slice(0, nul);
  }
  if (precision < 0 || s.length <= precision) return s;
  // Count code points so precision never splits a surrogate pair.
  return Array.from(s).slice(0, precision).join('');
}

function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

const objectIds = new WeakMap<object, bigint>();
/** Synthetic addresses start in Cortex-M SRAM so they look like what a board would print. */
let nextObjectId = 0x2000_0000n;

function pointerOf(v: unknown, bits: number): bigint {
  if (v === null) return 0n;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return BigInt.asUintN(bits, toBigInt(v));
  if (typeof v === 'object' || typeof v === 'function') {
    let id = objectIds.get(v);
    if (id === undefined) {
      id = nextObjectId;
      nextObjectId += 0x10n;
      objectIds.set(v, id);
    }
    return BigInt.asUintN(bits, id);
  }
  // Strings and symbols cannot key a WeakMap; hash them (FNV-1a) into a flash-like range so the same
  // text always gets the same address without retaining it.
  let h = 0x811c9dc5;
  for (const ch of safeString(v)) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return BigInt(0x0800_0000 + (h & 0x07ff_fffc));
}

// ---------------------------------------------------------------------------------------------
// Floating point: the same fixed-point algorithm as Zephyr's encode_float(), so that digit count
// (16 significant), rounding (half away from zero on an approximated fraction) and %g selection
// match the firmware rather than glibc.

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const M64 = (1n << 64n) - 1n;
const BIT63 = 1n << 63n;
const BIT60 = 1n << 60n;
const FRACTION_HEX = 13;

/** `zeroOk` is false for inf and nan, which are never zero-padded. */
type FpText = { sign: string; text: string; zeroOk: boolean };

function encodeFloat(value: number, conv: string, precIn: number, f: Flags): FpText {
  f64[0] = value;
  const u = u64[0]!;
  const sign = u >> 63n ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  const upper = conv >= 'A' && conv <= 'Z';
  let expo = Number((u >> 52n) & 0x7ffn);
  let fract = u & ((1n << 52n) - 1n);
  const subnormal = expo === 0 && fract !== 0n;
  if (expo === 0x7ff) {
    const t = fract === 0n ? 'inf' : 'nan';
    return { sign, text: upper ? t.toUpperCase() : t, zeroOk: false };
  }
  if (conv === 'a' || conv === 'A') return { sign, text: encodeHex(expo, fract, subnormal, upper, precIn, f.hash), zeroOk: true };

  let c = conv === 'F' ? 'f' : conv;
  let precision = precIn < 0 ? 6 : precIn;
  let prune = false;
  fract <<= 11n;
  if (expo !== 0 || fract !== 0n) {
    // Normalise a subnormal: shift until the leading 1 reaches bit 63 (the last shift is free).
    if (subnormal) while (!((fract = (fract << 1n) & M64) & BIT63)) expo--;
    expo -= 1022; // value = 0.fract * 2^expo
    fract |= BIT63;
  }
  // Trade binary exponent for decimal exponent until the binary point sits just above bit 63.
  let decexp = 0;
  while (expo < -2) {
    do {
      fract >>= 1n;
      expo++;
    } while (fract >> 32n >= 858_993_459n); // leave room to multiply by 5
    fract *= 5n;
    expo++;
    decexp--;
  }
  while (expo > 0) {
    fract = ((fract + 2n) & M64) / 5n;
    expo--;
    decexp++;
    do {
      fract = (fract << 1n) & M64;
      expo--;
    } while (!(fract & BIT63));
  }
  fract >>= BigInt(4 - expo); // 4 integer bits above the binary point for digit extraction

  if (c === 'g' || c === 'G') {
    if (decexp < -3 || decexp > precision) {
      c = c === 'g' ? 'e' : 'E';
      if (precision > 0) precision--;
    } else {
      c = 'f';
      precision -= decexp;
    }
    prune = !f.hash && precision > 0;
  }
  let decimals = c === 'f' ? Math.max(0, precision + decexp) : precision + 1;
  decimals = Math.min(decimals, 16);
  let round = 1n << 59n; // 0.5 in the last printed digit
  while (decimals-- > 0) round = (round >> 1n) / 5n;
  fract += round;
  if (fract >= BIT60) {
    fract = (fract >> 1n) / 5n;
    decexp++;
  }
  let digitCount = 16;
  const digit = (): string => {
    if (digitCount <= 0) return '0';
    digitCount--;
    fract *= 10n;
    const d = Number(fract >> 60n);
    fract &= BIT60 - 1n;
    return String(d);
  };

  let buf = '';
  let pad0 = 0;
  let padPostDp = false;
  if (c === 'f') {
    if (decexp > 0) {
      while (decexp > 0 && digitCount > 0) {
        buf += digit();
        decexp--;
      }
      pad0 = decexp; // integer digits beyond 16 significant ones become zeros
      decexp = 0;
    } else buf += '0';
    if (f.hash || precision > 0) buf += '.';
    if (decexp < 0 && precision > 0) {
      pad0 = Math.min(-decexp, precision);
      precision -= pad0;
      padPostDp = pad0 > 0;
    }
  } else {
    const d = digit();
    buf += d;
    if (d !== '0') decexp--;
    if (f.hash || precision > 0) buf += '.';
  }
  while (precision > 0 && digitCount > 0) {
    buf += digit();
    precision--;
  }
  let padPreExp = precision;
  if (prune) {
    padPreExp = 0;
    buf = buf.replace(/0+$/, '');
    if (buf.endsWith('.')) buf = buf.slice(0, -1);
  }
  let exp = '';
  if (c === 'e' || c === 'E') {
    const mag = Math.abs(decexp);
    exp = c + (decexp < 0 ? '-' : '+') + String(mag).padStart(2, '0');
  }
  // Splice in the zero runs that Zephyr emits as padding rather than buffering.
  const m = /^(\d*)(\.?)(\d*)$/.exec(buf)!;
  const z = (n: number): string => '0'.repeat(Math.max(0, n));
  const text =
    m[1] + (padPostDp ? '' : z(pad0)) + m[2] + (padPostDp && m[2] ? z(pad0) : '') + m[3] + z(padPreExp) + exp;
  return { sign, text, zeroOk: true };
}

/** `%a`: Zephyr's hex float, including its lowercase `x`/`p` for `%A`. */
function encodeHex(expo: number, fract: bigint, subnormal: boolean, upper: boolean, precIn: number, hash: boolean): string {
  let buf = '0x';
  let e = expo - 1023;
  if (subnormal) {
    buf += '0';
    e++;
  } else buf += '1'; // Zephyr applies this to zero too, printing 0x1p-1023
  let precision = precIn;
  let prune = false;
  let padPreExp = 0;
  if (precIn < 0) {
    precision = FRACTION_HEX;
    prune = true;
  } else if (precision > FRACTION_HEX) {
    padPreExp = precision - FRACTION_HEX;
    precision = FRACTION_HEX;
  } else if (fract !== 0n && precision < FRACTION_HEX) {
    const mask = 1n << BigInt(4 * (FRACTION_HEX - precision) - 1);
    if (fract & mask) fract += mask;
  }
  const requireDp = fract !== 0n || hash;
  if (requireDp || precision !== 0) buf += '.';
  let hex = fract === 0n ? '' : fract.toString(16);
  if (upper) hex = hex.toUpperCase();
  buf += hex.padStart(FRACTION_HEX, '0').slice(0, precision);
  if (prune) {
    buf = buf.replace(/0+$/, '');
    if (buf.endsWith('.') && !requireDp) buf = buf.slice(0, -1);
  }
  return buf + '0'.repeat(padPreExp) + 'p' + (e >= 0 ? '+' : '-') + String(Math.abs(e));
}
