import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cprintf } from '../../src/libc/printf.ts';
import { GLIBC_CASES } from './printf_glibc_cases.ts';

type Row = readonly [fmt: string, args: readonly unknown[], expected: string];

/** Test titles: vitest's %j cannot serialise bigints, so render rows ourselves. */
function titled(rows: readonly Row[]): [string, ...Row][] {
  const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
  return rows.map((r) => [`${json(r[0])} ${json(r[1])} -> ${json(r[2])}`, ...r]);
}

/** Builds a double from C hex-float notation, which JavaScript has no literal for. */
function hexf(mantissa: string, exp: number): number {
  const [int, frac = ''] = mantissa.split('.');
  return (parseInt(int!, 16) + (frac ? parseInt(frac, 16) / 16 ** frac.length : 0)) * 2 ** exp;
}

describe('cprintf matches C printf (glibc-verified)', () => {
  it.each(titled(GLIBC_CASES))('%s', (_title, fmt, args, expected) => {
    expect(cprintf(fmt, args, { dataModel: 'lp64' })).toBe(expected);
  });
});

describe('cprintf follows Zephyr where cbprintf_complete.c differs from glibc', () => {
  const rows: Row[] = [
    // Alternate forms are added unconditionally (glibc: "0", "0", "010").
    ['%#x', [0], '0x0'],
    ['%#o', [0], '00'],
    ['%#.3o', [8], '0010'],
    // The digit loop always emits one digit (glibc prints nothing for %.0d of 0).
    ['%.0d', [0], '0'],
    // The 0 flag is honoured for strings and for (nil) (glibc pads with spaces).
    ['%05s', ['ab'], '000ab'],
    ['%010p', [null], '00000(nil)'],
    // Floats: 16 significant digits, fixed-point rounding, no %.0g promotion.
    ['%.20f', [0.1], '0.10000000000000000000'],
    ['%.17g', [0.1], '0.1'],
    ['%f', [2 ** 70], '1180591620717411000000.000000'],
    ['%.0f', [1.5], '1'],
    ['%g', [999999.5], '999999'],
    ['%.0g', [5], '5e+00'],
    // %a keeps its 0x inside the digits (zero padding goes before it) and a lowercase x/p for %A.
    ['%010a', [1], '00000x1p+0'],
    ['%A', [1.5], '0x1.8p+0'],
    ['%a', [0], '0x1p-1023'], // Zephyr treats zero as a normal number here
    // Invalid or unsupported specifications are echoed; their argument is still consumed.
    ['%Lf|%d', [1.5, 7], '%Lf|7'],
    ['/%Ld/', [1876543210], '/%Ld/'],
    ['%lc|%hs|%lp|%hf|%hhs', [65, 'x', 1, 1.5, 'y'], '%lc|%hs|%lp|%hf|%hhs'],
    // An unknown conversion consumes nothing.
    ['%k|%d', [5], '%k|5'],
    ['%5%', [], '%5%'],
  ];
  it.each(titled(rows))('%s', (_title, fmt, args, expected) => {
    expect(cprintf(fmt, args)).toBe(expected);
  });
});

describe("cprintf passes Zephyr's own cbprintf vectors (tests/unit/cbprintf/main.c)", () => {
  const dv = 1.2345678;
  const rows: Row[] = [
    ['/%f/%F/', [1234.567, 1234.567], '/1234.567000/1234.567000/'],
    ['%g|%e|%E|%a', [1234.567, 1234.567, 1234.567, 1234.567], '1234.57|1.234567e+03|1.234567E+03|0x1.34a449ba5e354p+10'],
    ['%.2f|%.0f|%.20e', [1e3, 1e20, 1e20], '1000.00|100000000000000000000|1.00000000000000000000e+20'],
    ['%.3e|%g|%g', [1e-3, 1e-3, 1234567.89], '1.000e-03|0.001|1.23457e+06'],
    ['/%a/%.4a/%.20a/', [2 ** 40, 2 ** 40, 2 ** 40], '/0x1p+40/0x1.0000p+40/0x1.00000000000000000000p+40/'],
    ['%a', [2 ** 40 + 2 ** 32], '0x1.01p+40'],
    ['%f.f %F.F %e.e %E.E %g.g %G.g %a.a %A.A', Array(8).fill(-Infinity), '-inf.f -INF.F -inf.e -INF.E -inf.g -INF.g -inf.a -INF.A'],
    ['%f.f %F.F %e.e %E.E %g.g %G.g %a.a %A.A', Array(8).fill(NaN), 'nan.f NAN.F nan.e NAN.E nan.g NAN.g nan.a NAN.A'],
    ['%a %e', [2 ** -1022, 2 ** -1022], '0x1p-1022 2.225074e-308'],
    ['%a %e', [2 ** -1024, 2 ** -1024], '0x0.4p-1022 5.562685e-309'],
    ['%.16g', [hexf('1.9999999800000', -7)], '0.01249999999708962'],
    ['%.16g', [hexf('1.9999999ffffff', -8)], '0.006250000005820765'],
    ['%.16g', [hexf('1.ffffffffffffd', -1022)], '4.450147717014401e-308'],
    ['%.16g', [hexf('0.fffffffffffff', -1022)], '2.225073858507201e-308'],
    ['%.16g', [5e-324], '4.940656458412465e-324'],
    ['%.16g', [hexf('1.1fa182c40c60d', -1019)], '2e-307'],
    ['%.16g', [Number.MAX_VALUE], '1.797693134862316e+308'],
    ['%.16g', [2 ** 1023], '8.98846567431158e+307'],
    ['/%g/%lg/%Lg/', [1.2345, 1.2345, 1.2345], '/1.2345/1.2345/%Lg/'],
    ['/%a/%.1a/%.2a/', [1.23, 1.23, 1.23], '/0x1.3ae147ae147aep+0/0x1.4p+0/0x1.3bp+0/'],
    ['/%g/%#g/%.0f/%#.0f/', [23, 23, 23, 23], '/23/23.0000/23/23./'],
    ['/%*c/%*c/', [3, 97, -3, 97], '/  a/a  /'],
    ['/%.*x/%10.*x/', [5, 0x12, 5, 0x12], '/00012/     00012/'],
    ['/%.*g/%.*g/%.*g/%.*g/', [3, dv, 5, dv, 8, dv, -3, dv], '/1.23/1.2346/1.2345678/1.23457/'],
    ['%p|%p', [0xcafe21, null], '0xcafe21|(nil)'],
    ['/%12p/%-12p/%.8p/', [0xcafe21, null, 0xcafe21], '/    0xcafe21/(nil)       /0x00cafe21/'],
    ['%u/%u', [-1234567890, 1876543210], '3060399406/1876543210'],
    ['%hd/%hd|%hhd/%hhd', [-1234567890, 1876543210, -1234567890, 1876543210], '-722/-14614|46/-22'],
    ['/%lld/%lld/%llu/', [123n << 48n, -(123n << 48n), 4000000000n], '/34621422135410688/-34621422135410688/4000000000/'],
    ['/%#d/% +d/%-04d/%06.4d/', [123, 123, 123, 123], '/123/+123/123 /  0123/'],
    ['/%1x/%4x/%-4x/%04x/%#15x/%-15x/', Array(6).fill(0x123), '/123/ 123/123 /0123/          0x123/123            /'],
    ['/%+x/% x/%#o/', [0x123, 0x123, 0o1234567], '/123/123/01234567/'],
    ['/%.6s/%.2s/%.s/%ls', ['123', '123', '123', 'abc'], '/123/12//%ls'],
  ];
  it.each(titled(rows))('%s', (_title, fmt, args, expected) => {
    expect(cprintf(fmt, args)).toBe(expected);
  });

  it('prints % .380f of 2^-400 at full length', () => {
    const s = cprintf('% .380f', [2 ** -400]);
    expect(s).toHaveLength(383);
    expect(s.slice(0, 6)).toBe(' 0.000');
    expect(s.slice(119, 127)).toBe('00003872');
  });
});

describe('cprintf integer types and JavaScript arguments', () => {
  it.each(
    titled([
    ['%x', [-1], 'ffffffff'],
    ['%llx', [-1n], 'ffffffffffffffff'],
    ['%llx', [-1], 'ffffffffffffffff'],
    ['%lx', [-1], 'ffffffff'], // ILP32 by default: long is 32 bits
    ['%zu|%td', [-1, 2 ** 32 - 1], '4294967295|-1'],
    ['%d', [2 ** 31], '-2147483648'],
    ['%u', [2 ** 32 + 5], '5'],
    ['%d', [1n << 40n], '0'],
    ['%lld', [2n ** 63n], '-9223372036854775808'],
    ['%jd', [-(2n ** 63n)], '-9223372036854775808'],
    ['%hhu|%hx', [321, -2], '65|fffe'],
    ['%d|%x', [3.9, -3.9], '3|fffffffd'],
    ['%d|%d|%d', [true, '42', 'x'], '1|42|0'],
    ['%p', [-1], '0xffffffff'],
    ['%p', [0xdeadbeefn], '0xdeadbeef'],
    ]),
  )('%s', (_title, fmt, args, expected) => {
    expect(cprintf(fmt, args)).toBe(expected);
  });

  it('widens long, size_t and pointers under lp64', () => {
    expect(cprintf('%lx|%zx|%p|%ld', [-1, -1, -1, 2 ** 40], { dataModel: 'lp64' })).toBe(
      'ffffffffffffffff|ffffffffffffffff|0xffffffffffffffff|1099511627776',
    );
  });

  it('prints %c of numbers, bigints and strings', () => {
    expect(cprintf('%c%c%c%c', [65, 0x142, 67n, 'D'])).toBe('ABCD');
    expect(cprintf('[%c]', [0])).toBe('[\0]');
    expect(cprintf('[%c][%3c]', ['', 'é'])).toBe('[][  é]');
  });

  it('prints %s of Uint8Array up to the first NUL as latin1', () => {
    expect(cprintf('%s', [new Uint8Array([0x68, 0x69, 0, 0x7a])])).toBe('hi');
    expect(cprintf('%s', [new Uint8Array([0x63, 0x61, 0x66, 0xe9])])).toBe('café');
    expect(cprintf('%.2s|%6s', [new TextEncoder().encode('abc'), Buffer.from('xyz')])).toBe('ab|   xyz');
    const view = new Uint8Array([0x41, 0x42, 0x43, 0x44]).subarray(1, 3);
    expect(cprintf('%s', [view])).toBe('BC');
  });

  it('prints %s of other values', () => {
    expect(cprintf('%s|%s|%s', [null, 42, 7n])).toBe('(null)|42|7');
    expect(cprintf('%s', ['ab\0cd'])).toBe('ab');
    expect(cprintf('%.1s|%-3s|', ['😀x', 'é'])).toBe('😀|é  |');
  });

  it('gives objects stable synthetic %p addresses', () => {
    const a = {};
    const b = () => 0;
    const pa = cprintf('%p', [a]);
    expect(pa).toMatch(/^0x[0-9a-f]+$/);
    expect(cprintf('%p', [a])).toBe(pa);
    expect(cprintf('%p', [b])).not.toBe(pa);
    expect(cprintf('%p', ['text'])).toBe(cprintf('%p', ['text']));
    expect(cprintf('%p', ['text'])).not.toBe(cprintf('%p', ['other']));
    expect(cprintf('%p', [Symbol('s')])).toMatch(/^0x[0-9a-f]+$/);
  });
});

describe('cprintf robustness', () => {
  it('prints nothing for specifications without an argument', () => {
    expect(cprintf('%d and %s!', [1])).toBe('1 and !');
    expect(cprintf('[%*d][%.*f]', [])).toBe('[][]');
    expect(cprintf('[%d][%d]', [undefined, 2])).toBe('[][2]');
    expect(cprintf('no args %%', [])).toBe('no args %');
  });

  it('echoes a dangling % at the end of the format', () => {
    expect(cprintf('abc%', [])).toBe('abc%');
    expect(cprintf('x%-0', [1])).toBe('x%-0');
    expect(cprintf('x%l', [1])).toBe('x%l');
  });

  it('clamps absurd widths instead of exhausting memory', () => {
    expect(cprintf('%*d', [1e9, 1]).length).toBeLessThanOrEqual(65_536);
    expect(cprintf('%999999999999d', [1]).length).toBeLessThanOrEqual(65_536);
    expect(cprintf('%.999999999f', [1]).length).toBeLessThanOrEqual(65_540);
  });

  it('survives hostile argument values', () => {
    const hostile = {
      toString(): string {
        throw new Error('no');
      },
      valueOf(): number {
        throw new Error('no');
      },
    };
    const bare = Object.create(null) as object;
    for (const spec of ['%d', '%u', '%x', '%c', '%s', '%p', '%f', '%e', '%g', '%a']) {
      for (const v of [hostile, bare, Symbol('z'), NaN, -Infinity, {}, [], new Map()]) {
        expect(typeof cprintf(spec, [v])).toBe('string');
      }
    }
  });

  it('never throws on arbitrary formats and arguments', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom('%', '%%', '-', '+', ' ', '#', '0', '*', '.', '.*', '12', 'hh', 'h', 'l', 'll', 'j', 'z', 't', 'L'),
      fc.constantFrom(...'diouxXcspnaAeEfFgGk'),
    );
    const arg = fc.oneof(fc.anything(), fc.bigInt(), fc.double(), fc.uint8Array(), fc.integer());
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.array(arg, { maxLength: 6 }), (pieces, args) => {
        expect(typeof cprintf(pieces.join(''), args)).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
});
