/**
 * From a socket's sec tags to what `node:tls` takes, for zsim's TLS socket layer, with the problems
 * that would make the same credentials fail on a Zephyr device (mbedTLS), so the layer can fail the
 * handshake for the device's reason even where Node would have been more lenient.
 *
 * This mirrors `tls_mbedtls_set_credentials()` in `subsys/net/lib/sockets/sockets_tls.c`: every
 * credential of every listed tag is loaded, CA certificates into the trust chain, one certificate
 * chain and one key as the device's own, one PSK with the identity of the same tag.
 */
import type { X509Certificate } from 'node:crypto';
import type { Kernel } from '../kernel/kernel.ts';
import { currentKernel } from '../kernel/sched.ts';
import {
  analyzeCredential, checkCertificateValidity, subjectOf, type CredentialAnalysis, type CredentialProblem,
} from './tls_credentials_check.ts';
import { credentialDigest, pskMaxLen, storeCredentialsOfTag } from './tls_credentials_store.ts';
import {
  TLS_CREDENTIAL_CA_CERTIFICATE, TLS_CREDENTIAL_PRIVATE_KEY, TLS_CREDENTIAL_PSK, TLS_CREDENTIAL_PSK_ID,
  TLS_CREDENTIAL_PUBLIC_CERTIFICATE, credentialTypeName, type sec_tag_t, type tls_credential_kind,
} from './tls_credentials_types.ts';

/** One credential as the checks see it. */
export interface CredentialRecord {
  readonly tag: sec_tag_t;
  readonly type: tls_credential_kind;
  readonly bytes: Uint8Array;
}

/** Credentials in the shapes `tls.connect` / `tls.createServer` accept. */
export interface NodeTlsCredentials {
  /** Trusted CA certificates, one PEM each (for the `ca` option). */
  ca: Buffer[];
  /** The device's certificate chain as PEM, leaf first (for `cert`). */
  cert?: Buffer;
  /** The device's private key as PKCS#8 PEM (for `key`). */
  key?: Buffer;
  /** The PSK and its identity (for `pskCallback`). */
  psk?: { identity: string; key: Buffer };
  /** Every finding, errors and warnings, as sentences. */
  problems: string[];
  /** The first error: the reason the device's TLS setup or handshake would fail; null when none. */
  failure: string | null;
  /** The same findings with their codes and severities. */
  details: CredentialProblem[];
}

/** When and under which limits credentials are used. */
export interface UseOptions {
  /** Time for validity checks (default: now, the clock node:tls checks against). */
  readonly now?: Date;
  /** `CONFIG_MBEDTLS_PSK_MAX_LEN` (default 32). */
  readonly pskMaxLen?: number;
}

function problem(code: CredentialProblem['code'], severity: CredentialProblem['severity'], tag: sec_tag_t, message: string): CredentialProblem {
  return { code, severity, tag, message };
}

/** The leaf certificate and the key that would be paired with it, with their analyses. */
function ownPair(records: readonly CredentialRecord[], analyses: ReadonlyMap<CredentialRecord, CredentialAnalysis>) {
  const cert = records.find((r) => r.type === TLS_CREDENTIAL_PUBLIC_CERTIFICATE);
  const keys = records.filter((r) => r.type === TLS_CREDENTIAL_PRIVATE_KEY);
  const key = keys.find((r) => r.tag === cert?.tag) ?? keys[0];
  return { cert, key, leaf: cert && analyses.get(cert)?.certs[0], keyObj: key && analyses.get(key)?.key };
}

/**
 * Problems of the credentials of `tags` taken together: a tag with nothing in it, a certificate
 * without its key (or the reverse), a PSK without its identity, several keys or PSKs, and a key
 * that does not belong to the certificate.
 */
export function pairProblems(
  tags: readonly sec_tag_t[],
  records: readonly CredentialRecord[],
  analyses: ReadonlyMap<CredentialRecord, CredentialAnalysis> = new Map(records.map((r) => [r, analyzeCredential(r.tag, r.type, r.bytes)])),
): CredentialProblem[] {
  const out: CredentialProblem[] = [];
  const ofType = (t: tls_credential_kind): CredentialRecord[] => records.filter((r) => r.type === t);
  for (const tag of tags) {
    const has = (t: tls_credential_kind): boolean => records.some((r) => r.tag === tag && r.type === t);
    if (!records.some((r) => r.tag === tag)) {
      out.push(problem('tag-empty', 'error', tag, `Sec tag ${tag} has no credentials: Zephyr's TLS socket setup fails with ENOENT (never added, or deleted?)`));
      continue;
    }
    if (has(TLS_CREDENTIAL_PUBLIC_CERTIFICATE) && !has(TLS_CREDENTIAL_PRIVATE_KEY)) {
      const other = ofType(TLS_CREDENTIAL_PRIVATE_KEY)[0];
      out.push(other
        ? problem('pair-split', 'warning', tag, `Public certificate in sec tag ${tag} and private key in sec tag ${other.tag}: mbedTLS pairs them because both tags are listed, but Zephyr pairs credentials by tag`)
        : problem('cert-without-key', 'error', tag, `Public certificate in sec tag ${tag} has no private key (TLS_CREDENTIAL_PRIVATE_KEY) in the same tag: the handshake cannot prove this device owns the certificate`));
    }
    if (has(TLS_CREDENTIAL_PRIVATE_KEY) && !has(TLS_CREDENTIAL_PUBLIC_CERTIFICATE) && ofType(TLS_CREDENTIAL_PUBLIC_CERTIFICATE).length === 0) {
      out.push(problem('key-without-cert', 'warning', tag, `Private key in sec tag ${tag} has no public certificate (TLS_CREDENTIAL_PUBLIC_CERTIFICATE) in the same tag: Zephyr loads it but never uses it`));
    }
    if (has(TLS_CREDENTIAL_PSK) && !has(TLS_CREDENTIAL_PSK_ID)) {
      out.push(problem('psk-without-id', 'error', tag, `PSK in sec tag ${tag} has no PSK identity (TLS_CREDENTIAL_PSK_ID) in the same tag: Zephyr's TLS socket setup fails with ENOENT`));
    }
    if (has(TLS_CREDENTIAL_PSK_ID) && !has(TLS_CREDENTIAL_PSK)) {
      out.push(problem('psk-id-without-psk', 'warning', tag, `PSK identity in sec tag ${tag} has no PSK (TLS_CREDENTIAL_PSK) in the same tag: Zephyr ignores it`));
    }
  }
  const tagsOf = (rs: CredentialRecord[]): string => rs.map((r) => r.tag).join(', ');
  const keys = ofType(TLS_CREDENTIAL_PRIVATE_KEY);
  if (keys.length > 1) {
    out.push(problem('duplicate-key', 'error', keys[1].tag, `Sec tags ${tagsOf(keys)} each hold a private key: mbedTLS holds one per socket, so loading the second fails`));
  }
  const certs = ofType(TLS_CREDENTIAL_PUBLIC_CERTIFICATE);
  if (certs.length > 1) {
    out.push(problem('duplicate-cert', 'warning', certs[1].tag, `Sec tags ${tagsOf(certs)} each hold a public certificate: mbedTLS appends the later ones to the chain of sec tag ${certs[0].tag}'s, which is the only one presented`));
  }
  const psks = ofType(TLS_CREDENTIAL_PSK);
  if (psks.length > 1) {
    out.push(problem('duplicate-psk', 'error', psks[1].tag, `Sec tags ${tagsOf(psks)} each hold a PSK: mbedTLS accepts one PSK per socket, so setting the second fails`));
  }
  const { cert, key, leaf, keyObj } = ownPair(records, analyses);
  if (cert && key && leaf && keyObj) {
    let match = false;
    try {
      match = leaf.checkPrivateKey(keyObj);
    } catch {
      // Different key algorithms (an RSA certificate with an EC key): certainly no match.
    }
    if (!match) {
      out.push(problem('key-cert-mismatch', 'error', key.tag, `Private key in sec tag ${key.tag} does not match the public certificate in sec tag ${cert.tag} (${subjectOf(leaf)}): the handshake would fail; was the key regenerated, or the wrong file used?`));
    }
  }
  return out;
}

/**
 * Checks the credentials of `tags` and converts them for node:tls. Pure: the records are given.
 * `prior` findings (such as a buffer changed after it was added) come first in the result.
 */
export function convertCredentials(
  tags: readonly sec_tag_t[],
  records: readonly CredentialRecord[],
  opts: UseOptions = {},
  prior: readonly CredentialProblem[] = [],
): NodeTlsCredentials {
  const now = opts.now ?? new Date();
  const details: CredentialProblem[] = [...prior];
  const analyses = new Map<CredentialRecord, CredentialAnalysis>();
  for (const r of records) {
    const a = analyzeCredential(r.tag, r.type, r.bytes, { pskMaxLen: opts.pskMaxLen });
    analyses.set(r, a);
    details.push(...a.problems, ...checkCertificateValidity(r.tag, r.type, a.certs, now));
  }
  details.push(...pairProblems(tags, records, analyses));
  const out: NodeTlsCredentials = { ca: [], problems: details.map((p) => p.message), failure: null, details };
  out.failure = details.find((p) => p.severity === 'error')?.message ?? null;
  const chain: X509Certificate[] = [];
  for (const r of records) {
    const a = analyses.get(r)!;
    if (r.type === TLS_CREDENTIAL_CA_CERTIFICATE) {
      out.ca.push(...a.certs.map((x) => Buffer.from(x.toString())));
    } else if (r.type === TLS_CREDENTIAL_PUBLIC_CERTIFICATE) {
      chain.push(...a.certs);
    } else if (r.type === TLS_CREDENTIAL_PRIVATE_KEY) {
      if (!out.key && a.key) out.key = Buffer.from(a.key.export({ format: 'pem', type: 'pkcs8' }));
    } else if (r.type === TLS_CREDENTIAL_PSK && !out.psk) {
      const id = records.find((i) => i.tag === r.tag && i.type === TLS_CREDENTIAL_PSK_ID);
      if (id) out.psk = { identity: Buffer.from(id.bytes).toString('utf8'), key: Buffer.from(r.bytes) };
    }
  }
  if (chain.length > 0) out.cert = Buffer.from(chain.map((x) => x.toString()).join(''));
  return out;
}

/** The records of `tags` on board `k` (each tag once), and notes on buffers changed since they were added. */
function collect(k: Kernel, tags: readonly sec_tag_t[]): { tags: sec_tag_t[]; records: CredentialRecord[]; prior: CredentialProblem[] } {
  const uniq = [...new Set(tags)];
  const records: CredentialRecord[] = [];
  const prior: CredentialProblem[] = [];
  for (const tag of uniq) {
    for (const c of storeCredentialsOfTag(k, tag)) {
      records.push({ tag: c.tag, type: c.type, bytes: c.buf });
      if (credentialDigest(c.buf) !== c.digest) {
        prior.push({
          code: 'buffer-changed', severity: 'warning', tag, type: c.type,
          message: `The buffer given to tls_credential_add for sec tag ${tag} ${credentialTypeName(c.type)} has changed since: Zephyr keeps a pointer to it, not a copy, so keep it static and unmodified`,
        });
      }
    }
  }
  return { tags: uniq, records, prior };
}

/**
 * What the TLS socket layer needs for a socket whose `TLS_SEC_TAG_LIST` is `tags`, on board `k`:
 * stored PEM (with or without its NUL) and DER converted for node:tls, plus every problem the
 * device would hit. Conversion is lenient (a PEM without its NUL still converts) so the layer
 * decides: it should fail the handshake with `failure` when that is not null.
 */
export function credentialsForTags(k: Kernel, tags: readonly sec_tag_t[], opts: UseOptions = {}): NodeTlsCredentials {
  const c = collect(k, tags);
  return convertCredentials(c.tags, c.records, { pskMaxLen: pskMaxLen(k), ...opts }, c.prior);
}

/**
 * The pairing problems of `tags` on a board (the running one by default), as sentences: reported
 * when the tags are used together, since credentials are added one at a time.
 */
export function checkTagPairs(tags: readonly sec_tag_t[], k: Kernel = currentKernel('checkTagPairs')): string[] {
  const c = collect(k, tags);
  return pairProblems(c.tags, c.records).map((p) => p.message);
}
