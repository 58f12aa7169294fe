/**
 * The per-board credential store behind `tls_credential_*()` (Zephyr's volatile backend,
 * `subsys/net/lib/tls_credentials/tls_credentials.c`): a fixed array of
 * `CONFIG_TLS_MAX_CREDENTIALS_NUMBER` slots, kept in `kernel.subsys` so every board has its own.
 *
 * Functions here take the board explicitly, so the command-line provisioning can fill a store
 * before the board runs; the Zephyr-named API in `tls_credentials.ts` passes the running board.
 */
import { createHash } from 'node:crypto';
import { cpu } from '../kernel/cpu.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { EEXIST, EFBIG, EINVAL, ENOENT, ENOMEM } from '../libc/errno.ts';
import { LOG_MODULE_REGISTER, type LogLevel } from '../logging/log.ts';
import { analyzeCredential, checkCertificateValidity, type CredentialProblem } from './tls_credentials_check.ts';
import { credentialTypeName, isCredentialKind, type sec_tag_t, type tls_credential_kind } from './tls_credentials_types.ts';

/** The log module of the store, as Zephyr names it (`LOG_MODULE_REGISTER(tls_credentials, ...)`). */
export const TLS_CREDENTIALS_LOG_MODULE = 'tls_credentials';

const log = LOG_MODULE_REGISTER(TLS_CREDENTIALS_LOG_MODULE, 'TLS_CREDENTIALS_LOG_LEVEL');

/** Zephyr's default for `CONFIG_TLS_MAX_CREDENTIALS_NUMBER`. */
export const TLS_MAX_CREDENTIALS_NUMBER_DEFAULT = 4;

/** One occupied slot. */
export interface StoredCredential {
  readonly tag: sec_tag_t;
  readonly type: tls_credential_kind;
  /**
   * The credential: for an app's `Uint8Array`, a view of the caller's own buffer (Zephyr stores
   * the pointer, not a copy), so later writes to that buffer change what TLS will use.
   */
  readonly buf: Uint8Array;
  /** SHA-256 of `buf` when added, to notice a buffer changed behind the store's back. */
  readonly digest: string;
  /** Loaded from the command line (`--cred`) rather than by the app. */
  readonly provisioned: boolean;
  /** `app`, or the file a provisioned credential came from. */
  readonly origin: string;
  /** What `analyzeCredential` found when it was added. */
  readonly problems: readonly CredentialProblem[];
}

/** A board's slots; `null` is a free slot (Zephyr's TLS_CREDENTIAL_NONE). */
export interface CredentialStore {
  readonly slots: (StoredCredential | null)[];
}

const SUBSYS_KEY = 'tls_credentials';

/** The store of board `k`, created on first use with the board's slot count. */
export function credentialStore(k: Kernel): CredentialStore {
  let s = k.subsys.get(SUBSYS_KEY) as CredentialStore | undefined;
  if (!s) {
    const n = k.config.TLS_MAX_CREDENTIALS_NUMBER === undefined
      ? TLS_MAX_CREDENTIALS_NUMBER_DEFAULT
      : Math.max(0, k.cfgInt('TLS_MAX_CREDENTIALS_NUMBER'));
    s = { slots: new Array<StoredCredential | null>(n).fill(null) };
    k.subsys.set(SUBSYS_KEY, s);
  }
  return s;
}

/**
 * Logs `message` as module `tls_credentials` of board `k`. The log module finds its board through
 * `cpu.kernel`, which is not set while the command line provisions a board that has not started.
 */
export function credLog(k: Kernel, level: LogLevel, message: string): void {
  const prev = cpu.kernel;
  cpu.kernel = k;
  try {
    const fn = level === 1 ? log.LOG_ERR : level === 2 ? log.LOG_WRN : level === 3 ? log.LOG_INF : log.LOG_DBG;
    fn('%s', message);
  } finally {
    cpu.kernel = prev;
  }
}

/** SHA-256 of a credential, hex; only ever compared, never logged. */
export function credentialDigest(buf: Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** `CONFIG_MBEDTLS_PSK_MAX_LEN` of board `k` (mbedTLS's default, 32, when unset). */
export function pskMaxLen(k: Kernel): number {
  const v = k.config.MBEDTLS_PSK_MAX_LEN;
  return typeof v === 'number' ? v : 32;
}

/** Why a tag/type pair cannot name a credential, or null when it can. */
export function badTagOrType(tag: unknown, type: unknown): string | null {
  if (typeof tag !== 'number' || !Number.isInteger(tag) || tag < -0x80000000 || tag > 0x7fffffff) {
    return `sec tag ${String(tag)} is not a C int`;
  }
  if (typeof type !== 'number' || !isCredentialKind(type)) {
    return `${typeof type === 'number' ? credentialTypeName(type) : String(type)} is not a credential type (TLS_CREDENTIAL_NONE marks a free slot)`;
  }
  return null;
}

function find(s: CredentialStore, tag: sec_tag_t, type: tls_credential_kind): number {
  return s.slots.findIndex((c) => c !== null && c.tag === tag && c.type === type);
}

/** How a credential is added. */
export interface AddOptions {
  /** Added by the command line: it then wins over the app's own for the same tag and type. */
  readonly provisioned?: boolean;
  /** Where it came from, for messages (default `app`). */
  readonly origin?: string;
  /** Time to check certificate validity against (default: now, as node:tls will). */
  readonly now?: Date;
}

/** The outcome of an add: Zephyr's return code and what the checks found. */
export interface AddResult {
  readonly ret: number;
  readonly problems: readonly CredentialProblem[];
}

/**
 * `tls_credential_add` on board `k`. Returns 0, -EINVAL, -EEXIST or -ENOMEM; the credential is
 * stored even when the checks find problems, as Zephyr does (they are logged as warnings and kept
 * for the TLS layer). An app adding a tag/type that was provisioned gets 0 and keeps the provisioned one.
 */
export function storeAdd(k: Kernel, tag: sec_tag_t, type: number, buf: Uint8Array, opts: AddOptions = {}): AddResult {
  const bad = badTagOrType(tag, type);
  if (bad !== null || !isCredentialKind(type)) {
    credLog(k, 1, `tls_credential_add: ${bad}: -EINVAL`);
    return { ret: -EINVAL, problems: [] };
  }
  const s = credentialStore(k);
  const name = `sec tag ${tag} ${credentialTypeName(type)}`;
  const at = find(s, tag, type);
  if (at >= 0) {
    const old = s.slots[at]!;
    if (old.provisioned && !opts.provisioned) {
      credLog(k, 3, `${name}: keeping the credential provisioned from ${old.origin}; the app's own (${buf.length} bytes) is ignored`);
      return { ret: 0, problems: [] };
    }
    credLog(k, 4, `${name} is already present: -EEXIST`);
    return { ret: -EEXIST, problems: [] };
  }
  const free = s.slots.indexOf(null);
  if (free < 0) {
    credLog(k, 2, `no free slot for ${name}: all ${s.slots.length} are in use (CONFIG_TLS_MAX_CREDENTIALS_NUMBER=${s.slots.length}): -ENOMEM`);
    return { ret: -ENOMEM, problems: [] };
  }
  if (tag < 0) credLog(k, 2, `${name}: negative sec tags are reserved for Zephyr's internal use`);
  const a = analyzeCredential(tag, type, buf, { pskMaxLen: pskMaxLen(k) });
  const problems = [...a.problems, ...checkCertificateValidity(tag, type, a.certs, opts.now ?? new Date())];
  for (const p of problems) credLog(k, 2, p.message);
  s.slots[free] = {
    tag, type, buf, digest: credentialDigest(buf), provisioned: opts.provisioned ?? false,
    origin: opts.origin ?? 'app', problems,
  };
  return { ret: 0, problems };
}

/** `tls_credential_get` on board `k`: 0, -ENOENT (credlen 0), -EFBIG (credlen = size needed) or -EINVAL. */
export function storeGet(k: Kernel, tag: sec_tag_t, type: number, cred: Uint8Array, credlen: { value: number }): number {
  const bad = badTagOrType(tag, type);
  if (bad !== null || !isCredentialKind(type) || !Number.isInteger(credlen.value) || credlen.value < 0) {
    credLog(k, 1, `tls_credential_get: ${bad ?? `credlen ${credlen.value} is not a buffer size`}: -EINVAL`);
    return -EINVAL;
  }
  const at = find(credentialStore(k), tag, type);
  if (at < 0) {
    credlen.value = 0;
    return -ENOENT;
  }
  const c = credentialStore(k).slots[at]!;
  if (c.buf.length > credlen.value) {
    credLog(k, 4, `buffer too small for sec tag ${tag} ${credentialTypeName(type)}: ${c.buf.length} bytes needed, credlen is ${credlen.value}`);
    credlen.value = c.buf.length;
    return -EFBIG;
  }
  if (c.buf.length > cred.length) {
    // In C this would write past the end of the buffer; here it is refused instead.
    credLog(k, 1, `tls_credential_get: credlen ${credlen.value} claims more room than the ${cred.length}-byte buffer has: -EINVAL`);
    return -EINVAL;
  }
  cred.set(c.buf);
  credlen.value = c.buf.length;
  return 0;
}

/** `tls_credential_delete` on board `k`: 0, -ENOENT or -EINVAL. Provisioned credentials can be deleted too. */
export function storeDelete(k: Kernel, tag: sec_tag_t, type: number): number {
  const bad = badTagOrType(tag, type);
  if (bad !== null || !isCredentialKind(type)) {
    credLog(k, 1, `tls_credential_delete: ${bad}: -EINVAL`);
    return -EINVAL;
  }
  const s = credentialStore(k);
  const at = find(s, tag, type);
  if (at < 0) return -ENOENT;
  const c = s.slots[at]!;
  if (c.provisioned) credLog(k, 3, `sec tag ${tag} ${credentialTypeName(type)}: deleting the credential provisioned from ${c.origin}`);
  s.slots[at] = null;
  return 0;
}

/** The credentials of `tag` in slot order, as Zephyr's `credential_next_get` walks them. */
export function storeCredentialsOfTag(k: Kernel, tag: sec_tag_t): StoredCredential[] {
  return credentialStore(k).slots.filter((c): c is StoredCredential => c !== null && c.tag === tag);
}

/** Every stored credential in slot order (for listings and tests; holds the credential bytes). */
export function storeCredentials(k: Kernel): StoredCredential[] {
  return credentialStore(k).slots.filter((c): c is StoredCredential => c !== null);
}
