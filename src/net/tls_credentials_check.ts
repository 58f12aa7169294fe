/**
 * Pure checks of TLS credentials: the mistakes that make a Zephyr device's TLS setup or handshake
 * fail long after `tls_credential_add()` returned 0, explained at the point they can be seen.
 *
 * Used when a credential is added (the store logs what it finds) and again by the TLS socket layer
 * when it loads the credentials of a socket's sec tags (`tls_credentials_node.ts`), so the failure
 * reason reported for a handshake is the one that would have failed it on the device.
 *
 * Messages may name tags, types, lengths, PEM labels, certificate subjects and PSK identities; they
 * never contain key, PSK or base64 bytes.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { derElementLength, derToPem, endsWithNul, looksLikePem, parsePem, pemText } from './pem.ts';
import {
  TLS_CREDENTIAL_CA_CERTIFICATE, TLS_CREDENTIAL_PRIVATE_KEY, TLS_CREDENTIAL_PSK, TLS_CREDENTIAL_PSK_ID,
  credentialProse, credentialTypeName, isCertificateType, type sec_tag_t, type tls_credential_kind,
} from './tls_credentials_types.ts';

/** 'error': Zephyr + mbedTLS would refuse it; 'warning': it loads but is probably not what was meant. */
export type ProblemSeverity = 'error' | 'warning';

/** Stable identifiers of the problems, for the TLS layer and for tests. */
export type ProblemCode =
  | 'empty' | 'pem-missing-nul' | 'pem-malformed' | 'wrong-type' | 'unknown-format' | 'der-truncated'
  | 'der-invalid' | 'cert-invalid' | 'key-invalid' | 'key-encrypted' | 'not-a-ca' | 'psk-too-long'
  | 'psk-hex-text' | 'psk-trailing-nul' | 'psk-id-trailing-nul' | 'psk-id-newline'
  | 'cert-expired' | 'cert-not-yet-valid' | 'buffer-changed' | 'tag-empty' | 'cert-without-key'
  | 'key-without-cert' | 'pair-split' | 'psk-without-id' | 'psk-id-without-psk' | 'key-cert-mismatch'
  | 'duplicate-key' | 'duplicate-cert' | 'duplicate-psk';

/** One finding about a credential or a set of them. */
export interface CredentialProblem {
  readonly code: ProblemCode;
  readonly severity: ProblemSeverity;
  readonly tag: sec_tag_t;
  /** The credential concerned, absent for a problem of a whole tag. */
  readonly type?: tls_credential_kind;
  /** A complete sentence for a person; free of secret material. */
  readonly message: string;
}

/** What `analyzeCredential` made of a credential's bytes. */
export interface CredentialAnalysis {
  /** How mbedTLS would read it: PEM needs its NUL, so a PEM text without one still shows as 'pem' here. */
  format: 'pem' | 'der' | 'raw' | 'empty';
  readonly problems: CredentialProblem[];
  /** Certificates of a certificate credential, in order (a PEM may hold a chain). */
  readonly certs: X509Certificate[];
  /** The key of a private-key credential, when it parses. */
  key: KeyObject | null;
}

/** Limits that come from the device's mbedTLS configuration. */
export interface AnalyzeOptions {
  /** `CONFIG_MBEDTLS_PSK_MAX_LEN` (default 32): mbedTLS refuses longer PSKs. */
  readonly pskMaxLen?: number;
}

/** Labels `mbedtls_pk_parse_key` understands (the encrypted one only with a password). */
const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);

/** `name` with its first letter capitalised, to start a sentence. */
function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

/** A PSK identity or other short text, quoted with non-printable bytes escaped. */
export function quoteText(bytes: Uint8Array): string {
  return JSON.stringify(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1'));
}

/** A key from DER, trying the three encodings mbedTLS accepts (PKCS#8, PKCS#1, SEC1). */
export function parseDerKey(der: Uint8Array): KeyObject | null {
  const key = Buffer.from(der.buffer, der.byteOffset, der.length);
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key, format: 'der', type });
    } catch {
      // Not this encoding; try the next.
    }
  }
  return null;
}

function parseCert(der: Uint8Array): X509Certificate | null {
  try {
    return new X509Certificate(Buffer.from(der.buffer, der.byteOffset, der.length));
  } catch {
    return null;
  }
}

/** The subject of a certificate on one line, e.g. `CN=broker, O=Acme`. */
export function subjectOf(x: X509Certificate): string {
  return x.subject.split('\n').join(', ');
}

function analyzePem(tag: sec_tag_t, type: tls_credential_kind, bytes: Uint8Array, out: CredentialAnalysis): void {
  const prose = credentialProse(type);
  const p = (code: ProblemCode, message: string, severity: ProblemSeverity = 'error'): void => {
    out.problems.push({ code, severity, tag, type, message });
  };
  if (!endsWithNul(bytes)) {
    p('pem-missing-nul', `PEM ${prose} for sec tag ${tag} lacks the terminating NUL in credlen (mbedTLS would reject it): pass credlen = strlen + 1 (sizeof of the array), not strlen`);
  }
  const parsed = parsePem(pemText(bytes));
  for (const msg of parsed.problems) p('pem-malformed', `PEM ${prose} for sec tag ${tag}: ${msg}`);
  const isKey = type === TLS_CREDENTIAL_PRIVATE_KEY;
  // mbedTLS searches a certificate credential for "CERTIFICATE" blocks and a key credential for key
  // blocks, skipping the rest: a stray block is only fatal when nothing usable is left.
  const usable = parsed.blocks.some((b) => (isKey ? KEY_LABELS.has(b.label) : b.label === 'CERTIFICATE'));
  const stray = (message: string): void => {
    if (usable) p('wrong-type', `${message} (mbedTLS skips it)`, 'warning');
    else p('wrong-type', message);
  };
  for (const b of parsed.blocks) {
    const what = `PEM "${b.label}" block (line ${b.line})`;
    if (!isKey) {
      if (KEY_LABELS.has(b.label)) {
        stray(`Sec tag ${tag} ${credentialTypeName(type)} holds a ${what}: a private key added as ${prose}? Add it as TLS_CREDENTIAL_PRIVATE_KEY`);
      } else if (b.label !== 'CERTIFICATE') {
        stray(`Sec tag ${tag} ${credentialTypeName(type)} holds a ${what}, but only "CERTIFICATE" blocks are loaded here`);
      } else if (b.der.length > 0) {
        const x = parseCert(b.der);
        if (x) out.certs.push(x);
        else p('cert-invalid', `PEM ${prose} for sec tag ${tag}: the ${what} does not parse as an X.509 certificate`);
      }
      continue;
    }
    if (b.label === 'CERTIFICATE') {
      stray(`Sec tag ${tag} TLS_CREDENTIAL_PRIVATE_KEY holds a ${what}: a certificate added as private key? Add it as TLS_CREDENTIAL_PUBLIC_CERTIFICATE or TLS_CREDENTIAL_CA_CERTIFICATE`);
    } else if (!KEY_LABELS.has(b.label)) {
      stray(`Sec tag ${tag} TLS_CREDENTIAL_PRIVATE_KEY holds a ${what}, which is not a private key`);
    } else if (b.label === 'ENCRYPTED PRIVATE KEY' || b.headers.some((h) => h.includes('ENCRYPTED'))) {
      p('key-encrypted', `Private key for sec tag ${tag} is encrypted, but Zephyr parses keys without a password: store it unencrypted (openssl pkey -in key.pem -out plain.pem)`);
    } else if (b.der.length > 0 && out.key === null) {
      try {
        out.key = createPrivateKey(derToPem(b.label, b.der));
      } catch {
        p('key-invalid', `PEM private key for sec tag ${tag}: the ${what} does not parse as a private key`);
      }
    }
  }
}

function analyzeDer(tag: sec_tag_t, type: tls_credential_kind, bytes: Uint8Array, out: CredentialAnalysis): void {
  const prose = credentialProse(type);
  const p = (code: ProblemCode, message: string): void => {
    out.problems.push({ code, severity: 'error', tag, type, message });
  };
  const len = derElementLength(bytes);
  if (len === null) {
    p('der-invalid', `DER ${prose} for sec tag ${tag} has no valid ASN.1 length header`);
    return;
  }
  if (len > bytes.length) {
    p('der-truncated', `DER ${prose} for sec tag ${tag} is truncated: its header announces ${len} bytes but credlen is ${bytes.length}`);
    return;
  }
  // mbedTLS reads the outer element and ignores what follows (such as a stray NUL).
  const der = bytes.subarray(0, len);
  const isKey = type === TLS_CREDENTIAL_PRIVATE_KEY;
  if (!isKey) {
    const x = parseCert(der);
    if (x) out.certs.push(x);
    else if (parseDerKey(der)) p('wrong-type', `DER data for sec tag ${tag} ${credentialTypeName(type)} is a private key, not a certificate: add it as TLS_CREDENTIAL_PRIVATE_KEY`);
    else p('der-invalid', `DER ${prose} for sec tag ${tag} does not parse as an X.509 certificate`);
    return;
  }
  const key = parseDerKey(der);
  if (key) out.key = key;
  else if (parseCert(der)) p('wrong-type', `DER data for sec tag ${tag} TLS_CREDENTIAL_PRIVATE_KEY is a certificate, not a private key`);
  else p('key-invalid', `DER private key for sec tag ${tag} does not parse as PKCS#8, PKCS#1 or SEC1`);
}

function analyzePsk(tag: sec_tag_t, bytes: Uint8Array, maxLen: number, out: CredentialAnalysis): void {
  const p = (code: ProblemCode, severity: ProblemSeverity, message: string): void => {
    out.problems.push({ code, severity, tag, type: TLS_CREDENTIAL_PSK, message });
  };
  const n = bytes.length;
  if (looksLikePem(bytes)) {
    p('wrong-type', 'error', `PSK for sec tag ${tag} holds PEM data: a certificate or key added as TLS_CREDENTIAL_PSK?`);
    return;
  }
  if (n > maxLen) p('psk-too-long', 'error', `PSK for sec tag ${tag} is ${n} bytes; mbedTLS accepts at most ${maxLen} (CONFIG_MBEDTLS_PSK_MAX_LEN)`);
  const printable = (b: number): boolean => b >= 0x20 && b < 0x7f;
  if (n > 1 && bytes[n - 1] === 0 && bytes.subarray(0, n - 1).every(printable)) {
    p('psk-trailing-nul', 'warning', `PSK for sec tag ${tag} ends with a NUL after ${n - 1} printable characters: credlen = sizeof of a string? mbedTLS uses all ${n} bytes as the key; pass sizeof - 1`);
  } else if (n >= 16 && n % 2 === 0 && bytes.every((b) => /[0-9a-fA-F]/.test(String.fromCharCode(b)))) {
    p('psk-hex-text', 'warning', `PSK for sec tag ${tag} is ${n} ASCII hex digits: mbedTLS uses these characters as the key, not the ${n / 2} bytes they spell; add the decoded bytes if the peer expects those`);
  }
}

function analyzePskId(tag: sec_tag_t, bytes: Uint8Array, out: CredentialAnalysis): void {
  const p = (code: ProblemCode, message: string): void => {
    out.problems.push({ code, severity: 'warning', tag, type: TLS_CREDENTIAL_PSK_ID, message });
  };
  const n = bytes.length;
  const shown = quoteText(bytes.subarray(0, Math.max(0, n - 1)));
  if (bytes[n - 1] === 0) {
    p('psk-id-trailing-nul', `PSK identity ${shown} for sec tag ${tag} includes its terminating NUL (credlen = sizeof?): mbedTLS sends all ${n} bytes, so the server will not recognise it; pass strlen`);
  } else if (bytes[n - 1] === 0x0a || bytes[n - 1] === 0x0d) {
    p('psk-id-newline', `PSK identity ${quoteText(bytes)} for sec tag ${tag} ends with a line break, which mbedTLS sends as part of the identity`);
  }
}

/**
 * Checks one credential as mbedTLS will read it when a TLS socket uses it: PEM vs DER, the NUL a
 * PEM credential needs, PEM framing and labels, X.509 and key parsing, PSK and identity pitfalls.
 * Validity dates are checked separately ({@link checkCertificateValidity}) since they depend on when.
 */
export function analyzeCredential(
  tag: sec_tag_t,
  type: tls_credential_kind,
  bytes: Uint8Array,
  opts: AnalyzeOptions = {},
): CredentialAnalysis {
  const out: CredentialAnalysis = { format: 'empty', problems: [], certs: [], key: null };
  if (bytes.length === 0) {
    out.problems.push({ code: 'empty', severity: 'error', tag, type, message: `${cap(credentialProse(type))} for sec tag ${tag} is empty (credlen 0)` });
    return out;
  }
  if (type === TLS_CREDENTIAL_PSK) {
    out.format = 'raw';
    analyzePsk(tag, bytes, opts.pskMaxLen ?? 32, out);
  } else if (type === TLS_CREDENTIAL_PSK_ID) {
    out.format = 'raw';
    analyzePskId(tag, bytes, out);
  } else if (looksLikePem(bytes)) {
    out.format = 'pem';
    analyzePem(tag, type, bytes, out);
  } else if (bytes[0] === 0x30) {
    out.format = 'der';
    analyzeDer(tag, type, bytes, out);
  } else {
    out.format = 'raw';
    const bareB64 = isBareBase64Der(pemText(bytes));
    out.problems.push({
      code: 'unknown-format', severity: 'error', tag, type,
      message: `${cap(credentialProse(type))} for sec tag ${tag} is neither PEM (no "-----BEGIN" line) nor DER (no ASN.1 SEQUENCE at the start)` +
        (bareB64 ? ': it looks like bare base64; keep the BEGIN/END lines' : ''),
    });
  }
  if (type === TLS_CREDENTIAL_CA_CERTIFICATE) {
    for (const x of out.certs) {
      if (!x.ca) {
        out.problems.push({
          code: 'not-a-ca', severity: 'warning', tag, type,
          message: `CA certificate for sec tag ${tag} (${subjectOf(x)}) is not a CA (no basicConstraints CA:TRUE): it cannot verify certificates it did not issue to itself; is it the server's own certificate?`,
        });
      }
    }
  }
  return out;
}

/**
 * A PEM body without its BEGIN/END lines: base64 lines (nothing but line breaks between them)
 * that decode to an ASN.1 SEQUENCE, as every certificate and key does. Text with spaces, or
 * base64 of something else, is not called that.
 */
function isBareBase64Der(text: string): boolean {
  const b64 = text.trim().replace(/\r?\n/g, '');
  if (b64.length < 8 || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return false;
  return Buffer.from(b64, 'base64')[0] === 0x30;
}

/** Where a certificate stands at a given time. */
export interface CertificateValidity {
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly status: 'valid' | 'expired' | 'not-yet-valid';
}

/** The validity period of `cert` and whether `at` falls inside it (bounds included, as X.509 says). */
export function certificateValidity(cert: X509Certificate, at: Date): CertificateValidity {
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  const t = at.getTime();
  const status = t < notBefore.getTime() ? 'not-yet-valid' : t > notAfter.getTime() ? 'expired' : 'valid';
  return { subject: subjectOf(cert), notBefore, notAfter, status };
}

/**
 * Problems with the validity dates of a certificate credential at time `at` (every certificate of
 * a PEM chain is checked). Accepts the credential's bytes or its already parsed certificates.
 */
export function checkCertificateValidity(
  tag: sec_tag_t,
  type: tls_credential_kind,
  cred: Uint8Array | readonly X509Certificate[],
  at: Date,
): CredentialProblem[] {
  if (!isCertificateType(type)) return [];
  const certs = cred instanceof Uint8Array ? analyzeCredential(tag, type, cred).certs : cred;
  const out: CredentialProblem[] = [];
  const when = at.toISOString();
  for (const x of certs) {
    const v = certificateValidity(x, at);
    const who = `${cap(credentialProse(type))} for sec tag ${tag} (${v.subject})`;
    if (v.status === 'expired') {
      out.push({ code: 'cert-expired', severity: 'error', tag, type, message: `${who} expired on ${v.notAfter.toISOString()} (checked at ${when})` });
    } else if (v.status === 'not-yet-valid') {
      out.push({ code: 'cert-not-yet-valid', severity: 'error', tag, type, message: `${who} is not valid until ${v.notBefore.toISOString()} (checked at ${when}): is the clock right?` });
    }
  }
  return out;
}
