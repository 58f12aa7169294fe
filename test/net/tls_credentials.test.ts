import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryConsole } from '../../src/kernel/console.ts';
import { Simulation } from '../../src/kernel/sim.ts';
import { EEXIST, EFBIG, EINVAL, ENOENT, ENOMEM } from '../../src/libc/errno.ts';
import {
  TLS_CREDENTIAL_CA_CERTIFICATE, TLS_CREDENTIAL_NONE, TLS_CREDENTIAL_PRIVATE_KEY, TLS_CREDENTIAL_PSK,
  TLS_CREDENTIAL_PSK_ID, TLS_CREDENTIAL_PUBLIC_CERTIFICATE, TLS_CREDENTIAL_SERVER_CERTIFICATE, TLS_SEC_TAG_NONE,
  credentialsForTags, storeCredentials, tls_credential_add, tls_credential_delete, tls_credential_get,
  type tls_credential_type,
} from '../../src/net/tls_credentials.ts';
import { currentKernel } from '../../src/kernel/sched.ts';
import { runBoard } from '../helpers/board.ts';
import { generateTestCerts, pemBodyLines, type TestCerts } from '../fixtures/certs/generate.ts';

let certs: TestCerts;
beforeAll(() => {
  certs = generateTestCerts();
});
afterAll(() => certs.cleanup());

const CA = TLS_CREDENTIAL_CA_CERTIFICATE;
const BAD_TYPE = 9 as tls_credential_type;

describe('tls_credential_type', () => {
  it('has Zephyr enum values', () => {
    expect([TLS_CREDENTIAL_NONE, TLS_CREDENTIAL_CA_CERTIFICATE, TLS_CREDENTIAL_PUBLIC_CERTIFICATE,
      TLS_CREDENTIAL_PRIVATE_KEY, TLS_CREDENTIAL_PSK, TLS_CREDENTIAL_PSK_ID]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(TLS_CREDENTIAL_SERVER_CERTIFICATE).toBe(TLS_CREDENTIAL_PUBLIC_CERTIFICATE);
    expect(TLS_SEC_TAG_NONE).toBe(-1);
  });
});

describe('tls_credential_add/get/delete return codes', () => {
  it('returns 0, -EEXIST, -ENOENT and -EFBIG as Zephyr does', async () => {
    const r: Record<string, unknown> = {};
    const { result } = await runBoard(() => {
      const psk = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
      r.add = tls_credential_add(7, TLS_CREDENTIAL_PSK, psk, psk.length);
      r.again = tls_credential_add(7, TLS_CREDENTIAL_PSK, psk, psk.length);
      r.otherType = tls_credential_add(7, TLS_CREDENTIAL_PSK_ID, 'dev1', 4);

      const big = new Uint8Array(32);
      const len = { value: big.length };
      r.get = tls_credential_get(7, TLS_CREDENTIAL_PSK, big, len);
      r.getLen = len.value;
      r.getBytes = [...big.subarray(0, len.value)];

      const small = new Uint8Array(4);
      const slen = { value: small.length };
      r.efbig = tls_credential_get(7, TLS_CREDENTIAL_PSK, small, slen);
      r.efbigLen = slen.value;

      const mlen = { value: 32 };
      r.missing = tls_credential_get(8, TLS_CREDENTIAL_PSK, big, mlen);
      r.missingLen = mlen.value;

      r.del = tls_credential_delete(7, TLS_CREDENTIAL_PSK);
      r.delAgain = tls_credential_delete(7, TLS_CREDENTIAL_PSK);
      r.afterDel = tls_credential_get(7, TLS_CREDENTIAL_PSK, big, { value: 32 });
      r.reAdd = tls_credential_add(7, TLS_CREDENTIAL_PSK, psk, psk.length);
    });
    expect(result.reason).toBe('finished');
    expect(r).toEqual({
      add: 0, again: -EEXIST, otherType: 0,
      get: 0, getLen: 8, getBytes: [1, 2, 3, 4, 5, 6, 7, 8],
      efbig: -EFBIG, efbigLen: 8,
      missing: -ENOENT, missingLen: 0,
      del: 0, delAgain: -ENOENT, afterDel: -ENOENT, reAdd: 0,
    });
  });

  it('returns -EINVAL for NONE, unknown types, bad tags and credlen beyond the data', async () => {
    const r: number[] = [];
    const { console } = await runBoard(() => {
      const buf = new Uint8Array(4);
      r.push(tls_credential_add(1, TLS_CREDENTIAL_NONE, buf, 4));
      r.push(tls_credential_add(1, BAD_TYPE, buf, 4));
      r.push(tls_credential_add(1.5, CA, buf, 4));
      r.push(tls_credential_add(2 ** 31, CA, buf, 4));
      r.push(tls_credential_add(1, CA, buf, 5));
      r.push(tls_credential_add(1, CA, buf, -1));
      r.push(tls_credential_add(1, CA, 'abc', 5)); // at most strlen + 1 = 4
      r.push(tls_credential_get(1, TLS_CREDENTIAL_NONE, buf, { value: 4 }));
      r.push(tls_credential_delete(1, TLS_CREDENTIAL_NONE));
      r.push(tls_credential_delete(1, BAD_TYPE));
      // credlen claims more room than the buffer has: C would overflow; zsim refuses.
      tls_credential_add(2, TLS_CREDENTIAL_PSK_ID, 'identity', 8);
      r.push(tls_credential_get(2, TLS_CREDENTIAL_PSK_ID, buf, { value: 100 }));
    });
    expect(r).toEqual(new Array(11).fill(-EINVAL));
    expect(console.text).toContain('<err> tls_credentials: tls_credential_add: TLS_CREDENTIAL_NONE is not a credential type');
    expect(console.text).toContain('credlen 5 is more than the 4-byte buffer');
  });

  it('accepts a string as a C string literal: credlen up to strlen + 1', async () => {
    const r: unknown[] = [];
    await runBoard(() => {
      r.push(tls_credential_add(3, TLS_CREDENTIAL_PSK_ID, 'abc', 4));
      const out = new Uint8Array(8);
      const len = { value: 8 };
      r.push(tls_credential_get(3, TLS_CREDENTIAL_PSK_ID, out, len));
      r.push([...out.subarray(0, len.value)]);
    });
    expect(r).toEqual([0, 0, [0x61, 0x62, 0x63, 0]]);
  });

  it('must run on a board', () => {
    expect(() => tls_credential_add(1, CA, 'x', 1)).toThrow(/outside a zsim board/);
  });
});

describe('slots', () => {
  const fill = (n: number): number[] => {
    const r: number[] = [];
    for (let i = 0; i < n; i++) r.push(tls_credential_add(100 + i, TLS_CREDENTIAL_PSK_ID, `id${i}`, 3));
    return r;
  };

  it('has CONFIG_TLS_MAX_CREDENTIALS_NUMBER = 4 slots by default; delete frees one', async () => {
    const r: number[] = [];
    await runBoard(() => {
      r.push(...fill(5));
      r.push(tls_credential_delete(101, TLS_CREDENTIAL_PSK_ID));
      r.push(tls_credential_add(200, TLS_CREDENTIAL_PSK_ID, 'new', 3));
      r.push(tls_credential_add(201, TLS_CREDENTIAL_PSK_ID, 'new', 3));
    });
    expect(r).toEqual([0, 0, 0, 0, -ENOMEM, 0, 0, -ENOMEM]);
  });

  it('takes the slot count from Kconfig', async () => {
    const r: number[] = [];
    const { console } = await runBoard(() => void r.push(...fill(3)), { config: { TLS_MAX_CREDENTIALS_NUMBER: 2 } });
    expect(r).toEqual([0, 0, -ENOMEM]);
    expect(console.text).toContain('<wrn> tls_credentials: no free slot for sec tag 102 TLS_CREDENTIAL_PSK_ID: all 2 are in use (CONFIG_TLS_MAX_CREDENTIALS_NUMBER=2): -ENOMEM');
  });

  it('keeps one store per board', async () => {
    const sim = new Simulation({});
    const seen: number[] = [];
    const app = (tag: number) => ({
      instantiate: () => ({
        main: () => {
          seen.push(tls_credential_add(tag, TLS_CREDENTIAL_PSK_ID, 'id', 2));
          seen.push(storeCredentials(currentKernel('test')).length);
        },
      }),
    });
    const a = sim.addBoard({ board: 'a', config: { BOOT_BANNER: false }, console: new MemoryConsole(), seed: 1 }, app(1));
    const b = sim.addBoard({ board: 'b', config: { BOOT_BANNER: false }, console: new MemoryConsole(), seed: 1, index: 1 }, app(1));
    await sim.run();
    expect(seen).toEqual([0, 1, 0, 1]);
    expect(storeCredentials(a)).toHaveLength(1);
    expect(storeCredentials(b)).toHaveLength(1);
    expect(storeCredentials(a)[0]).not.toBe(storeCredentials(b)[0]);
  });
});

describe('PEM and the terminating NUL', () => {
  it('warns, but returns 0 as Zephyr does, when credlen leaves out the NUL', async () => {
    const r: number[] = [];
    const { console } = await runBoard(() => {
      r.push(tls_credential_add(1, CA, certs.caPem, certs.caPem.length)); // strlen: the classic mistake
      r.push(tls_credential_add(2, CA, certs.caPem, certs.caPem.length + 1)); // sizeof
      const arr = new Uint8Array(Buffer.from(certs.caPem + '\0', 'latin1'));
      r.push(tls_credential_add(3, CA, arr, arr.length));
    });
    expect(r).toEqual([0, 0, 0]);
    const warnings = console.lines.filter((l) => l.startsWith('<wrn>'));
    expect(warnings).toEqual([
      '<wrn> tls_credentials: PEM CA certificate for sec tag 1 lacks the terminating NUL in credlen (mbedTLS would reject it): pass credlen = strlen + 1 (sizeof of the array), not strlen',
    ]);
  });

  it('records the problem for the TLS layer as the failure reason', async () => {
    let failure: string | null = null;
    let ca = 0;
    await runBoard(() => {
      tls_credential_add(1, CA, certs.caPem, certs.caPem.length);
      const c = credentialsForTags(currentKernel('test'), [1]);
      failure = c.failure;
      ca = c.ca.length;
    });
    expect(failure).toMatch(/^PEM CA certificate for sec tag 1 lacks the terminating NUL/);
    expect(ca).toBe(1); // still converted: the layer decides to fail the handshake
  });
});

describe('Zephyr keeps a pointer, not a copy', () => {
  it('sees later writes to the caller buffer and reports them when the credential is used', async () => {
    const r: unknown[] = [];
    await runBoard(() => {
      const psk = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
      tls_credential_add(5, TLS_CREDENTIAL_PSK, psk, psk.length);
      tls_credential_add(5, TLS_CREDENTIAL_PSK_ID, 'dev', 3);
      psk.fill(0); // e.g. a stack buffer reused after the add
      const out = new Uint8Array(16);
      tls_credential_get(5, TLS_CREDENTIAL_PSK, out, { value: 16 });
      r.push([...out]);
      r.push(credentialsForTags(currentKernel('test'), [5]).details.map((p) => p.code));
    });
    expect(r[0]).toEqual(new Array(16).fill(0));
    expect(r[1]).toEqual(['buffer-changed']);
  });
});

describe('secrets stay out of the log', () => {
  it('never prints key, PSK or base64 bytes, but may show a PSK identity', async () => {
    const pskText = '00112233445566778899aabbccddeeff';
    const pskBytes = new Uint8Array(40).map((_, i) => (i * 37 + 11) & 0xff);
    const pskNul = 'supersecretpassphrase';
    const problems: string[] = [];
    const { console } = await runBoard(() => {
      const k = currentKernel('test');
      tls_credential_add(1, TLS_CREDENTIAL_PRIVATE_KEY, certs.devKeyPem, certs.devKeyPem.length); // no NUL
      tls_credential_add(1, CA, certs.devKeyPem, certs.devKeyPem.length + 1); // key as CA
      tls_credential_add(2, TLS_CREDENTIAL_PSK, pskText, pskText.length); // hex text
      tls_credential_add(2, TLS_CREDENTIAL_PSK_ID, 'device-42', 10); // with its NUL
      tls_credential_add(3, TLS_CREDENTIAL_PSK, pskBytes, pskBytes.length); // too long, no id
      tls_credential_add(4, TLS_CREDENTIAL_PSK, pskNul, pskNul.length + 1); // sizeof of a string
      const broken = certs.devKeyPem.replace(/\n([A-Za-z0-9+/]{10})/, '\n!$1');
      tls_credential_add(5, TLS_CREDENTIAL_PRIVATE_KEY, broken, broken.length + 1);
      problems.push(...credentialsForTags(k, [1, 2, 3, 4, 5]).problems);
    }, { config: { TLS_MAX_CREDENTIALS_NUMBER: 8 } });
    const text = console.text + '\n' + problems.join('\n');
    expect(console.lines.filter((l) => l.startsWith('<wrn>')).length).toBeGreaterThanOrEqual(6);
    for (const line of pemBodyLines(certs.devKeyPem)) expect(text).not.toContain(line.slice(0, 16));
    expect(text).not.toContain(pskText);
    expect(text).not.toContain(pskNul);
    expect(text).not.toContain(Buffer.from(pskBytes).toString('hex').slice(0, 16));
    expect(text).not.toContain(Buffer.from(pskBytes).toString('base64').slice(0, 16));
    expect(text).not.toContain(Buffer.from(pskBytes).toString('latin1').slice(0, 8));
    expect(text).toContain('PSK identity "device-42" for sec tag 2 includes its terminating NUL');
  });
});
