import { X509Certificate, createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derElementLength, parsePem } from '../../src/net/pem.ts';
import {
  TLS_CREDENTIAL_CA_CERTIFICATE as CA, TLS_CREDENTIAL_PRIVATE_KEY as KEY, TLS_CREDENTIAL_PSK as PSK,
  TLS_CREDENTIAL_PSK_ID as PSK_ID, TLS_CREDENTIAL_PUBLIC_CERTIFICATE as CERT,
  analyzeCredential, certificateValidity, checkCertificateValidity, convertCredentials, pairProblems,
  type CredentialRecord, type tls_credential_kind,
} from '../../src/net/tls_credentials.ts';
import { generateTestCerts, type TestCerts } from '../fixtures/certs/generate.ts';

let certs: TestCerts;
beforeAll(() => {
  certs = generateTestCerts();
});
afterAll(() => certs.cleanup());

/** A string as `sizeof` of a C string literal would give it: its bytes and a NUL. */
const cstr = (s: string): Uint8Array => new Uint8Array(Buffer.from(s + '\0', 'latin1'));
const raw = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const codes = (tag: number, type: tls_credential_kind, b: Uint8Array): string[] =>
  analyzeCredential(tag, type, b).problems.map((p) => p.code);
const DAY = 86_400_000;

describe('analyzeCredential: formats', () => {
  it('accepts well-formed PEM with its NUL, for certificates and every key encoding', () => {
    expect(analyzeCredential(1, CA, cstr(certs.caPem))).toMatchObject({ format: 'pem', problems: [] });
    expect(analyzeCredential(1, CERT, cstr(certs.devPem)).certs[0].subject).toBe('CN=device');
    for (const k of [certs.devKeyPem, certs.devKeySec1Pem]) {
      const a = analyzeCredential(1, KEY, cstr(k));
      expect(a.problems).toEqual([]);
      expect(a.key?.asymmetricKeyType).toBe('ec');
    }
  });

  it('accepts DER certificates and keys, with or without a stray trailing byte', () => {
    expect(analyzeCredential(1, CERT, certs.devDer)).toMatchObject({ format: 'der', problems: [] });
    expect(analyzeCredential(1, CERT, new Uint8Array([...certs.devDer, 0])).problems).toEqual([]);
    expect(analyzeCredential(1, KEY, certs.devKeyDer).key).not.toBeNull();
  });

  it('reports a truncated DER credential (credlen too small)', () => {
    const a = analyzeCredential(4, CERT, certs.devDer.subarray(0, 100));
    expect(a.problems.map((p) => p.code)).toEqual(['der-truncated']);
    expect(a.problems[0].message).toMatch(/sec tag 4 is truncated: its header announces \d+ bytes but credlen is 100/);
  });

  it('reports DER of the wrong kind', () => {
    expect(codes(1, CA, certs.devKeyDer)).toEqual(['wrong-type']);
    expect(codes(1, KEY, certs.devDer)).toEqual(['wrong-type']);
    expect(codes(1, CERT, new Uint8Array([0x30, 3, 1, 2, 3]))).toEqual(['der-invalid']);
    expect(codes(1, KEY, new Uint8Array([0x30, 3, 1, 2, 3]))).toEqual(['key-invalid']);
  });

  it('reports garbage, bare base64 and empty credentials', () => {
    expect(codes(1, CA, raw('hello world'))).toEqual(['unknown-format']);
    const bare = certs.caPem.split('\n').filter((l) => !l.startsWith('-----')).join('\n');
    expect(analyzeCredential(1, CA, raw(bare)).problems[0].message).toMatch(/looks like bare base64; keep the BEGIN\/END lines/);
    // Plain words, or base64 of something that is no certificate or key, are not called base64.
    for (const text of ['not a cert', 'aGVsbG8gd29ybGQh', 'abcd\nefgh']) {
      expect(analyzeCredential(1, CA, raw(text)).problems[0].message, text).not.toMatch(/base64/);
    }
    expect(codes(1, KEY, new Uint8Array(0))).toEqual(['empty']);
    expect(codes(1, PSK, new Uint8Array(0))).toEqual(['empty']);
  });
});

describe('analyzeCredential: PEM mistakes', () => {
  it('wants the NUL in credlen', () => {
    const a = analyzeCredential(1, CERT, raw(certs.devPem));
    expect(a.problems.map((p) => [p.code, p.severity])).toEqual([['pem-missing-nul', 'error']]);
    expect(a.problems[0].message).toContain('PEM public certificate for sec tag 1 lacks the terminating NUL in credlen (mbedTLS would reject it): pass credlen = strlen + 1');
    expect(a.certs).toHaveLength(1); // still parsed, so other problems are found too
  });

  it('reports labels that do not fit the type', () => {
    const k = analyzeCredential(9, CA, cstr(certs.devKeyPem)).problems[0];
    expect(k.code).toBe('wrong-type');
    expect(k.message).toBe('Sec tag 9 TLS_CREDENTIAL_CA_CERTIFICATE holds a PEM "PRIVATE KEY" block (line 1): a private key added as CA certificate? Add it as TLS_CREDENTIAL_PRIVATE_KEY');
    expect(analyzeCredential(9, KEY, cstr(certs.devPem)).problems[0].message).toMatch(/a certificate added as private key\?/);
    expect(analyzeCredential(9, CERT, cstr(certs.csrPem)).problems[0].message).toMatch(/"CERTIFICATE REQUEST" block.*only "CERTIFICATE" blocks are loaded/);
    expect(codes(9, PSK, cstr(certs.devKeyPem))).toEqual(['wrong-type']);
  });

  it('only warns about a stray block next to a usable one, which mbedTLS skips', () => {
    const combined = analyzeCredential(2, CERT, cstr(certs.devPem + certs.devKeyPem));
    expect(combined.problems.map((p) => [p.code, p.severity])).toEqual([['wrong-type', 'warning']]);
    expect(combined.problems[0].message).toMatch(/a private key added as public certificate\? .*\(mbedTLS skips it\)$/);
    expect(combined.certs).toHaveLength(1);
    const key = analyzeCredential(2, KEY, cstr(certs.devPem + certs.devKeyPem));
    expect(key.problems.map((p) => p.severity)).toEqual(['warning']);
    expect(key.key).not.toBeNull();
  });

  it('reports a missing or mismatched END line', () => {
    const cut = certs.caPem.replace('-----END CERTIFICATE-----', '');
    expect(analyzeCredential(1, CA, cstr(cut)).problems[0].message).toMatch(/PEM block "CERTIFICATE" at line 1 has no "-----END CERTIFICATE-----" line/);
    const other = certs.caPem.replace('END CERTIFICATE', 'END PRIVATE KEY');
    expect(analyzeCredential(1, CA, cstr(other)).problems[0].message).toMatch(/ends with "-----END PRIVATE KEY-----" instead of "-----END CERTIFICATE-----"/);
  });

  it('reports bad and truncated base64', () => {
    const bad = certs.caPem.replace(/\n(.)/, '\n*');
    expect(codes(1, CA, cstr(bad))).toEqual(['pem-malformed']);
    const lines = certs.caPem.split('\n');
    const dropped = [...lines.slice(0, 2), lines[2].slice(0, 61), ...lines.slice(3)].join('\n');
    expect(analyzeCredential(1, CA, cstr(dropped)).problems[0].message).toMatch(/truncated base64/);
  });

  it('explains C string literals concatenated without "\\n"', () => {
    const oneLine = certs.caPem.replace(/\n/g, '');
    const p = analyzeCredential(1, CA, cstr(oneLine)).problems;
    expect(p.map((x) => x.code)).toEqual(['pem-malformed']);
    expect(p[0].message).toMatch(/BEGIN line is not followed by a line break.*"\\n"/);
  });

  it('reports a malformed marker and an encrypted key', () => {
    expect(analyzeCredential(1, CA, cstr(certs.caPem.replace(/-----BEGIN/, '----BEGIN'))).problems[0].message)
      .toMatch(/malformed PEM marker at line 1/);
    const enc = analyzeCredential(1, KEY, cstr(certs.devKeyEncPem)).problems;
    expect(enc.map((p) => p.code)).toEqual(['key-encrypted']);
  });

  it('parses chains and reports line numbers', () => {
    const chain = parsePem(certs.devPem + certs.caPem);
    expect(chain.problems).toEqual([]);
    expect(chain.blocks.map((b) => b.label)).toEqual(['CERTIFICATE', 'CERTIFICATE']);
    expect(chain.blocks[1].line).toBe(certs.devPem.split('\n').length);
    expect(analyzeCredential(1, CA, cstr(certs.devPem + certs.caPem)).certs).toHaveLength(2);
  });

  it('warns about a CA credential that is not a CA', () => {
    const p = analyzeCredential(1, CA, cstr(certs.devPem)).problems;
    expect(p.map((x) => [x.code, x.severity])).toEqual([['not-a-ca', 'warning']]);
  });
});

describe('analyzeCredential: PSK and identity', () => {
  it('flags sizeof() on strings, hex text, and keys mbedTLS refuses', () => {
    expect(codes(1, PSK, cstr('passphrase'))).toEqual(['psk-trailing-nul']);
    expect(codes(1, PSK, raw('00112233445566778899aabbccddeeff'))).toEqual(['psk-hex-text']);
    expect(codes(1, PSK, new Uint8Array(33))).toEqual(['psk-too-long']);
    expect(analyzeCredential(1, PSK, new Uint8Array(33), { pskMaxLen: 64 }).problems).toEqual([]);
    expect(codes(1, PSK, new Uint8Array([1, 2, 3, 0]))).toEqual([]); // binary keys may end in 0
    expect(codes(1, PSK_ID, cstr('dev'))).toEqual(['psk-id-trailing-nul']);
    expect(codes(1, PSK_ID, raw('dev\n'))).toEqual(['psk-id-newline']);
    expect(codes(1, PSK_ID, raw('dev'))).toEqual([]);
  });
});

describe('certificate validity', () => {
  it('reports expired and not-yet-valid certificates against a given time', () => {
    const x = new X509Certificate(certs.shortPem);
    const now = Date.now();
    expect(certificateValidity(x, new Date(now)).status).toBe('valid');
    expect(certificateValidity(x, new Date(now + 2 * DAY)).status).toBe('expired');
    expect(certificateValidity(x, new Date(now - 2 * DAY)).status).toBe('not-yet-valid');
    const later = checkCertificateValidity(3, CA, cstr(certs.shortPem), new Date(now + 2 * DAY));
    expect(later.map((p) => p.code)).toEqual(['cert-expired']);
    expect(later[0].message).toMatch(/^CA certificate for sec tag 3 \(CN=short\) expired on \d{4}-.*Z \(checked at/);
    const early = checkCertificateValidity(3, CERT, [x], new Date(now - 2 * DAY));
    expect(early[0].message).toMatch(/is not valid until .* is the clock right\?/);
    expect(checkCertificateValidity(3, CA, cstr(certs.shortPem), new Date(now))).toEqual([]);
    expect(checkCertificateValidity(3, KEY, cstr(certs.devKeyPem), new Date(now))).toEqual([]);
  });
});

describe('pairs of credentials', () => {
  const rec = (tag: number, type: tls_credential_kind, bytes: Uint8Array): CredentialRecord => ({ tag, type, bytes });
  const pairCodes = (tags: number[], rs: CredentialRecord[]): string[] => pairProblems(tags, rs).map((p) => p.code);

  it('accepts a matching certificate and key, and a PSK with its identity', () => {
    expect(pairCodes([1, 2], [
      rec(1, CERT, cstr(certs.devPem)), rec(1, KEY, cstr(certs.devKeyPem)),
      rec(2, PSK, new Uint8Array(16)), rec(2, PSK_ID, raw('dev')),
    ])).toEqual([]);
  });

  it('reports a certificate without its key, and a key without its certificate', () => {
    const p = pairProblems([1], [rec(1, CERT, cstr(certs.devPem))]);
    expect(p.map((x) => [x.code, x.severity])).toEqual([['cert-without-key', 'error']]);
    expect(p[0].message).toMatch(/^Public certificate in sec tag 1 has no private key \(TLS_CREDENTIAL_PRIVATE_KEY\) in the same tag/);
    expect(pairCodes([1], [rec(1, KEY, cstr(certs.devKeyPem))])).toEqual(['key-without-cert']);
    expect(pairCodes([1, 2], [rec(1, CERT, cstr(certs.devPem)), rec(2, KEY, certs.devKeyDer)])).toEqual(['pair-split']);
  });

  it('reports a key that does not belong to the certificate', () => {
    const p = pairProblems([1], [rec(1, CERT, certs.devDer), rec(1, KEY, cstr(certs.otherKeyPem))]);
    expect(p.map((x) => x.code)).toEqual(['key-cert-mismatch']);
    expect(p[0].message).toContain('Private key in sec tag 1 does not match the public certificate in sec tag 1 (CN=device)');
  });

  it('reports PSK halves, empty tags and duplicates', () => {
    expect(pairCodes([1], [rec(1, PSK, new Uint8Array(16))])).toEqual(['psk-without-id']);
    expect(pairCodes([1], [rec(1, PSK_ID, raw('x'))])).toEqual(['psk-id-without-psk']);
    expect(pairCodes([1, 5], [rec(1, PSK_ID, raw('x')), rec(1, PSK, new Uint8Array(4))])).toEqual(['tag-empty']);
    expect(pairCodes([1, 2], [
      rec(1, KEY, cstr(certs.devKeyPem)), rec(2, KEY, cstr(certs.otherKeyPem)), rec(1, CERT, cstr(certs.devPem)),
    ])).toEqual(['duplicate-key']);
  });
});

describe('conversion for node:tls', () => {
  it('turns PEM with or without NUL, and DER, into what node:tls loads, and reports the device failure', () => {
    const out = convertCredentials([1, 2], [
      { tag: 1, type: CA, bytes: raw(certs.caPem) }, // no NUL: mbedTLS would refuse it
      { tag: 2, type: CERT, bytes: certs.devDer },
      { tag: 2, type: KEY, bytes: certs.devKeyDer },
    ]);
    expect(out.failure).toMatch(/PEM CA certificate for sec tag 1 lacks the terminating NUL/);
    expect(out.ca.map((b) => b.toString())).toEqual([new X509Certificate(certs.caPem).toString()]);
    expect(out.cert?.toString()).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(out.key?.toString()).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(new X509Certificate(out.cert!).checkPrivateKey(createPrivateKey(out.key!))).toBe(true);
    expect(() => tls.createSecureContext({ ca: out.ca, cert: out.cert, key: out.key })).not.toThrow();
  });

  it('gives the PSK and its identity, and no failure for good credentials', () => {
    const out = convertCredentials([3], [
      { tag: 3, type: PSK_ID, bytes: raw('dev-1') }, { tag: 3, type: PSK, bytes: new Uint8Array([9, 8, 7, 6]) },
    ]);
    expect(out.failure).toBeNull();
    expect(out.problems).toEqual([]);
    expect(out.psk).toEqual({ identity: 'dev-1', key: Buffer.from([9, 8, 7, 6]) });
  });

  it('completes a real TLS handshake with converted credentials', async () => {
    const server = convertCredentials([2], [
      { tag: 2, type: CERT, bytes: cstr(certs.devPem) }, { tag: 2, type: KEY, bytes: certs.devKeyDer },
    ]);
    const client = convertCredentials([1], [{ tag: 1, type: CA, bytes: cstr(certs.caPem) }]);
    expect([server.failure, client.failure]).toEqual([null, null]);
    const srv = tls.createServer({ cert: server.cert, key: server.key }, (s) => s.end('hi'));
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const { port } = srv.address() as { port: number };
    try {
      const sock = tls.connect({ port, host: '127.0.0.1', ca: client.ca, checkServerIdentity: () => undefined });
      await once(sock, 'secureConnect');
      expect(sock.authorized).toBe(true);
      sock.destroy();
    } finally {
      srv.close();
    }
  });

  it('frames DER as mbedTLS does', () => {
    expect(derElementLength(certs.devDer)).toBe(certs.devDer.length);
    expect(derElementLength(new Uint8Array([0x30]))).toBeNull();
  });
});
