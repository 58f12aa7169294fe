/**
 * Zephyr's checked number parsers for shell arguments (`shell_strtol`, `shell_strtoul`,
 * `shell_strtobool` in `shell_utils.c`): the whole argument must be a number, else `err` gets
 * -EINVAL (-ERANGE when it does not fit).
 */
import { EINVAL, ERANGE } from '../libc/errno.ts';

/** An out-parameter (`int *err`). */
export interface Ref<T> {
  value: T;
}

/** strtol's syntax for `base` (0: 0x.. hex, 0.. octal, else decimal); null when not a whole number. */
function parse(str: string, base: number): bigint | null {
  const m = /^\s*([+-]?)(.*)$/s.exec(str)!;
  let digits = m[2]!;
  let b = base;
  if ((b === 0 || b === 16) && /^0[xX][0-9a-fA-F]/.test(digits)) {
    digits = digits.slice(2);
    b = 16;
  } else if (b === 0) b = digits.startsWith('0') && digits.length > 1 ? 8 : 10;
  if (b < 2 || b > 36 || digits === '') return null;
  let v = 0n;
  for (const c of digits.toLowerCase()) {
    const d = parseInt(c, 36);
    if (Number.isNaN(d) || d >= b) return null;
    v = v * BigInt(b) + BigInt(d);
  }
  return m[1] === '-' ? -v : v;
}

/** `shell_strtol(str, base, &err)`: a 32-bit `long`. */
export function shell_strtol(str: string, base: number, err: Ref<number>): number {
  const v = parse(str, base);
  if (v === null) {
    err.value = -EINVAL;
    return 0;
  }
  if (v > 0x7fffffffn || v < -0x80000000n) {
    err.value = -ERANGE;
    return 0;
  }
  return Number(v);
}

/** `shell_strtoul(str, base, &err)`: a 32-bit `unsigned long`; a leading '-' is -EINVAL. */
export function shell_strtoul(str: string, base: number, err: Ref<number>): number {
  if (str.startsWith('-')) {
    err.value = -EINVAL;
    return 0;
  }
  const v = parse(str, base);
  if (v === null) {
    err.value = -EINVAL;
    return 0;
  }
  if (v > 0xffffffffn) {
    err.value = -ERANGE;
    return 0;
  }
  return Number(v);
}

/** `shell_strtobool(str, base, &err)`: on/enable/true, off/disable/false, or a number. */
export function shell_strtobool(str: string, base: number, err: Ref<number>): boolean {
  if (str === 'on' || str === 'enable' || str === 'true') return true;
  if (str === 'off' || str === 'disable' || str === 'false') return false;
  return shell_strtoul(str, base, err) !== 0;
}
