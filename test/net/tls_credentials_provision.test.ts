import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryConsole } from '../../src/kernel/console.ts';
import type { KConfig, Kernel } from '../../src/kernel/kernel.ts';
import { Simulation } from '../../src/kernel/sim.ts';
import { EEXIST } from '../../src/libc/errno.ts';
import {
  CredArgError, TLS_CREDENTIAL_CA_CERTIFICATE as CA, TLS_CREDENTIAL_PRIVATE_KEY as KEY,
  TLS_CREDENTIAL_PSK as PSK, TLS_CREDENTIAL_PSK_ID as PSK_ID, TLS_CREDENTIAL_PUBLIC_CERTIFICATE as CERT,
  credentialFileBytes, parseCredArg, provisionCredentials, storeCredentials, tls_credential_add,
  tls_credential_delete, tls_credential_get, type CredSpec,
} from '../../src/net/tls_credentials.ts';
import { generateTestCerts, pemBodyLines, type TestCerts } from '../fixtures/certs/generate.ts';

let certs: TestCerts;
beforeAll(() => {
  certs = generateTestCerts();
  writeFileSync(certs.file('psk.hex'), '0x000102030405060708090a0b0c0d0e0f\n');
  writeFileSync(certs.file('psk.bin'), Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]));
  writeFileSync(certs.file('id.txt'), 'board-7\n');
});
afterAll(() => certs.cleanup());

describe('parseCredArg', () => {
  it.each([
    ['1:ca:ca.pem', { tag: 1, type: CA, file: 'ca.pem' }],
    ['2:cert:dev.pem', { tag: 2, type: CERT, file: 'dev.pem' }],
    ['2:key:dev.key', { tag: 2, type: KEY, file: 'dev.key' }],
    ['3:psk:psk.hex', { tag: 3, type: PSK, file: 'psk.hex' }],
    ['3:psk_id:id.txt', { tag: 3, type: PSK_ID, file: 'id.txt' }],
    ['0x10:TLS_CREDENTIAL_PRIVATE_KEY:k.der', { tag: 16, type: KEY, file: 'k.der' }],
    ['4:Server_Certificate:s.pem', { tag: 4, type: CERT, file: 's.pem' }],
    ['4:tls_credential_public_certificate:s.pem', { tag: 4, type: CERT, file: 's.pem' }],
    ['4:CA_CERTIFICATE:s.pem', { tag: 4, type: CA, file: 's.pem' }],
    ['4:psk-id:id', { tag: 4, type: PSK_ID, file: 'id' }],
    ['5:ca_cert:C:\\certs\\ca.pem', { tag: 5, type: CA, file: 'C:\\certs\\ca.pem' }],
    ['0:pk:/tmp/a:b.pem', { tag: 0, type: KEY, file: '/tmp/a:b.pem' }],
  ])('%s', (arg, spec) => {
    expect(parseCredArg(arg)).toEqual(spec);
  });

  it.each([
    ['ca.pem', 'format', /expected TAG:TYPE:FILE/],
    ['1:ca', 'format', /expected TAG:TYPE:FILE/],
    ['abc:ca:x.pem', 'tag', /sec tag "abc" is not valid: expected a non-negative integer/],
    ['-1:ca:x.pem', 'tag', /negative sec tags are reserved/],
    ['4294967296:ca:x.pem', 'tag', /does not fit sec_tag_t/],
    ['1::x.pem', 'type', /credential type is missing/],
    ['1:cat:x.pem', 'type', /unknown credential type "cat": expected ca, cert, key, psk, psk_id/],
    ['1:TLS_CREDENTIAL_NONE:x.pem', 'type', /TLS_CREDENTIAL_NONE marks a free slot/],
    ['1:ca:', 'file', /file name is missing/],
  ])('rejects %s (bad %s)', (arg, part, msg) => {
    let err: unknown;
    try {
      parseCredArg(arg);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CredArgError);
    expect((err as CredArgError).part).toBe(part);
    expect((err as CredArgError).message).toMatch(msg);
    expect((err as CredArgError).message.startsWith(`--cred ${JSON.stringify(arg)}: `)).toBe(true);
  });
});

describe('credentialFileBytes', () => {
  const b = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
  it('appends the NUL a C array has to PEM, and leaves DER alone', () => {
    const pem = credentialFileBytes(CA, b(certs.caPem));
    expect(pem.bytes.length).toBe(certs.caPem.length + 1);
    expect(pem.bytes[pem.bytes.length - 1]).toBe(0);
    expect(credentialFileBytes(CA, b(certs.caPem + '\0')).bytes.length).toBe(certs.caPem.length + 1);
    expect(credentialFileBytes(KEY, certs.devKeyDer)).toEqual({ bytes: certs.devKeyDer, form: `DER, ${certs.devKeyDer.length} bytes` });
  });

  it('decodes hex PSK files, keeps raw ones, and strips the identity newline', () => {
    expect([...credentialFileBytes(PSK, b(' 0a0B0c\n')).bytes]).toEqual([10, 11, 12]);
    expect(credentialFileBytes(PSK, b('0a0b0')).form).toBe('raw, 5 bytes');
    expect([...credentialFileBytes(PSK, new Uint8Array([1, 2, 255])).bytes]).toEqual([1, 2, 255]);
    expect(Buffer.from(credentialFileBytes(PSK_ID, b('dev\r\n')).bytes).toString()).toBe('dev');
  });
});

/** A board whose app runs `main` after `creds` were provisioned, as the CLI would do it. */
async function provisioned(creds: CredSpec[], main: () => void, config: KConfig = {}) {
  const sim = new Simulation({});
  const console = new MemoryConsole();
  const k: Kernel = sim.addBoard(
    { board: 'qemu_x86', config: { BOOT_BANNER: false, ...config }, console, seed: 1 },
    { instantiate: () => ({ main }) },
  );
  const problems = provisionCredentials(k, creds);
  const result = await sim.run();
  return { k, console, problems, result };
}

describe('provisionCredentials', () => {
  const appCa = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
  it('loads files before main, and they win over the app\'s own for the same tag and type', async () => {
    const r: unknown[] = [];
    const creds = ['1:ca:ca.pem', '2:psk:psk.hex', '2:psk_id:id.txt'].map((a) => {
      const s = parseCredArg(a);
      return { ...s, file: certs.file(s.file) };
    });
    const { console, problems, k } = await provisioned(creds, () => {
      r.push(tls_credential_add(1, CA, appCa, appCa.length + 1)); // Zephyr: -EEXIST
      r.push(tls_credential_add(3, CA, certs.caPem, certs.caPem.length + 1));
      const out = new Uint8Array(4096);
      const len = { value: out.length };
      r.push(tls_credential_get(1, CA, out, len));
      r.push(Buffer.from(out.subarray(0, len.value)).toString('latin1'));
      const id = new Uint8Array(64);
      const idLen = { value: 64 };
      tls_credential_get(2, PSK_ID, id, idLen);
      r.push(Buffer.from(id.subarray(0, idLen.value)).toString());
      const psk = new Uint8Array(64);
      const pskLen = { value: 64 };
      tls_credential_get(2, PSK, psk, pskLen);
      r.push(pskLen.value);
      // Deleting does delete it, as on a device; then the app's add takes the slot.
      r.push(tls_credential_delete(1, CA));
      r.push(tls_credential_add(1, CA, appCa, appCa.length + 1));
      r.push(tls_credential_add(1, CA, appCa, appCa.length + 1));
    });
    expect(problems).toEqual([]);
    expect(r).toEqual([0, 0, 0, certs.caPem + '\0', 'board-7', 16, 0, 0, -EEXIST]);
    expect(console.lines).toContain(`<inf> tls_credentials: provisioned sec tag 1 TLS_CREDENTIAL_CA_CERTIFICATE from ${certs.file('ca.pem')} (PEM, ${certs.caPem.length + 1} bytes with the NUL appended)`);
    expect(console.lines).toContain(`<inf> tls_credentials: provisioned sec tag 2 TLS_CREDENTIAL_PSK from ${certs.file('psk.hex')} (hex text, 16 bytes)`);
    expect(console.lines).toContain(`<inf> tls_credentials: sec tag 1 TLS_CREDENTIAL_CA_CERTIFICATE: keeping the credential provisioned from ${certs.file('ca.pem')}; the app's own (${appCa.length + 1} bytes) is ignored`);
    expect(console.text).not.toContain('000102030405');
    expect(storeCredentials(k).map((c) => [c.tag, c.type, c.provisioned])).toEqual([[1, CA, false], [2, PSK, true], [2, PSK_ID, true], [3, CA, false]]);
  });

  it('reports unreadable files, duplicates, full stores and bad credentials without secrets', async () => {
    const f = certs.file;
    const { problems, console } = await provisioned([
      { tag: 1, type: CA, file: f('missing.pem') },
      { tag: 1, type: KEY, file: f('dev.key') },
      { tag: 1, type: KEY, file: f('other.key') },
      { tag: 2, type: CA, file: f('dev.key') },
      { tag: 3, type: PSK, file: f('psk.bin') },
    ], () => undefined, { TLS_MAX_CREDENTIALS_NUMBER: 2 });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^--cred 1:TLS_CREDENTIAL_CA_CERTIFICATE:.*missing\.pem: cannot read the file: ENOENT/);
    expect(problems[1]).toMatch(/^--cred 1:TLS_CREDENTIAL_PRIVATE_KEY:.*other\.key: sec tag 1 TLS_CREDENTIAL_PRIVATE_KEY was already provisioned by an earlier --cred \(-EEXIST\)$/);
    expect(problems[2]).toMatch(/dev\.key: Sec tag 2 TLS_CREDENTIAL_CA_CERTIFICATE holds a PEM "PRIVATE KEY" block/);
    expect(problems[3]).toMatch(/psk\.bin: no free credential slot \(-ENOMEM\): raise CONFIG_TLS_MAX_CREDENTIALS_NUMBER$/);
    const all = console.text + problems.join('\n');
    for (const line of pemBodyLines(certs.devKeyPem)) expect(all).not.toContain(line.slice(0, 16));
    expect(all).not.toContain('deadbeef');
    expect(console.text).toContain('<err> tls_credentials: --cred 1:TLS_CREDENTIAL_CA_CERTIFICATE:');
  });
});
