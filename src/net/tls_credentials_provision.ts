/**
 * Provisioning credentials from the command line (`--cred TAG:TYPE:FILE`), the way a production
 * line or a developer's flashing script puts certificates on a device without rebuilding its app.
 *
 * Provisioned credentials take precedence: when the app later adds the same tag and type, the
 * provisioned one stays and the app's call returns 0 with an `<inf>` line saying so. Zephyr's
 * store would return -EEXIST there, but apps commonly treat any error from `tls_credential_add`
 * as fatal, and the point of `--cred` is to try other credentials with an unchanged app; the app's
 * subsequent behaviour is exactly that of a device where the add succeeded. (An app that deletes
 * the tag first does delete the provisioned credential, as on a device.)
 */
import { readFileSync } from 'node:fs';
import type { Kernel } from '../kernel/kernel.ts';
import { EEXIST, ENOMEM } from '../libc/errno.ts';
import { endsWithNul, looksLikePem } from './pem.ts';
import { credLog, storeAdd } from './tls_credentials_store.ts';
import {
  TLS_CREDENTIAL_CA_CERTIFICATE, TLS_CREDENTIAL_PRIVATE_KEY, TLS_CREDENTIAL_PSK, TLS_CREDENTIAL_PSK_ID,
  TLS_CREDENTIAL_PUBLIC_CERTIFICATE, credentialTypeName, type tls_credential_kind,
} from './tls_credentials_types.ts';

/** One `--cred` argument, parsed. */
export interface CredSpec {
  readonly tag: number;
  readonly type: tls_credential_kind;
  readonly file: string;
}

/** Which part of a `--cred` argument is wrong. */
export type CredArgPart = 'format' | 'tag' | 'type' | 'file';

/** A malformed `--cred` argument; the message names the bad part and what is expected. */
export class CredArgError extends Error {
  override readonly name = 'CredArgError';
  constructor(readonly arg: string, readonly part: CredArgPart, detail: string) {
    super(`--cred ${JSON.stringify(arg)}: ${detail}`);
  }
}

/**
 * Type keywords: zsim's short ones, Zephyr's enum names, and the TLS credentials shell's keywords
 * (`cred add <tag> CA_CERT ...`), so whichever a Zephyr user knows works.
 */
const TYPE_WORDS: Readonly<Record<string, tls_credential_kind>> = {
  CA: TLS_CREDENTIAL_CA_CERTIFICATE,
  CA_CERT: TLS_CREDENTIAL_CA_CERTIFICATE,
  CA_CERTIFICATE: TLS_CREDENTIAL_CA_CERTIFICATE,
  CERT: TLS_CREDENTIAL_PUBLIC_CERTIFICATE,
  PUBLIC_CERTIFICATE: TLS_CREDENTIAL_PUBLIC_CERTIFICATE,
  SERVER_CERTIFICATE: TLS_CREDENTIAL_PUBLIC_CERTIFICATE,
  SERVER_CERT: TLS_CREDENTIAL_PUBLIC_CERTIFICATE,
  CLIENT_CERT: TLS_CREDENTIAL_PUBLIC_CERTIFICATE,
  SELF_CERT: TLS_CREDENTIAL_PUBLIC_CERTIFICATE,
  KEY: TLS_CREDENTIAL_PRIVATE_KEY,
  PK: TLS_CREDENTIAL_PRIVATE_KEY,
  PRIVATE_KEY: TLS_CREDENTIAL_PRIVATE_KEY,
  PSK: TLS_CREDENTIAL_PSK,
  PRE_SHARED_KEY: TLS_CREDENTIAL_PSK,
  PSK_ID: TLS_CREDENTIAL_PSK_ID,
  PRE_SHARED_KEY_ID: TLS_CREDENTIAL_PSK_ID,
};

const TYPE_HELP = 'ca, cert, key, psk, psk_id, or an enum name such as TLS_CREDENTIAL_CA_CERTIFICATE';

/** The credential type a keyword names (case-insensitive, `TLS_CREDENTIAL_` prefix optional), or null. */
export function parseCredType(word: string): tls_credential_kind | null {
  const w = word.trim().toUpperCase().replace(/-/g, '_').replace(/^TLS_CREDENTIAL_/, '');
  return Object.hasOwn(TYPE_WORDS, w) ? TYPE_WORDS[w] : null;
}

/**
 * Parses `TAG:TYPE:FILE`. TAG is a non-negative decimal or 0x-hex integer that fits a C int
 * (negative tags are reserved by Zephyr); TYPE as {@link parseCredType}; FILE is the rest, so it
 * may itself contain colons. Throws {@link CredArgError}. Does not touch the file system.
 */
export function parseCredArg(arg: string): CredSpec {
  const c1 = arg.indexOf(':');
  const c2 = c1 < 0 ? -1 : arg.indexOf(':', c1 + 1);
  if (c2 < 0) throw new CredArgError(arg, 'format', 'expected TAG:TYPE:FILE, e.g. 1:ca:certs/ca.pem');
  const tagText = arg.slice(0, c1).trim();
  const typeText = arg.slice(c1 + 1, c2).trim();
  const file = arg.slice(c2 + 1);
  if (!/^(\d+|0[xX][0-9a-fA-F]+)$/.test(tagText)) {
    const why = /^-\d+$/.test(tagText) ? 'negative sec tags are reserved for Zephyr' : 'expected a non-negative integer';
    throw new CredArgError(arg, 'tag', `sec tag ${JSON.stringify(tagText)} is not valid: ${why}`);
  }
  const tag = Number(tagText);
  if (tag > 0x7fffffff) throw new CredArgError(arg, 'tag', `sec tag ${tagText} does not fit sec_tag_t (a C int, at most 2147483647)`);
  if (typeText === '') throw new CredArgError(arg, 'type', `the credential type is missing: expected ${TYPE_HELP}`);
  const type = parseCredType(typeText);
  if (type === null) {
    const none = /^(TLS_CREDENTIAL_)?NONE$/i.test(typeText);
    throw new CredArgError(arg, 'type', none
      ? 'TLS_CREDENTIAL_NONE marks a free slot and cannot be provisioned'
      : `unknown credential type ${JSON.stringify(typeText)}: expected ${TYPE_HELP}`);
  }
  if (file.trim() === '') throw new CredArgError(arg, 'file', 'the file name is missing');
  return { tag, type, file };
}

/** What `credentialFileBytes` made of a file, for messages. */
export interface FileCredential {
  readonly bytes: Uint8Array;
  /** E.g. `PEM, 1234 bytes with its NUL`, `hex text, 16 bytes`; never the content. */
  readonly form: string;
}

/**
 * The bytes a provisioned file stands for, as the C array in an app would hold them:
 * - certificates and keys: PEM text gets the terminating NUL a C string literal has (mbedTLS
 *   needs it); anything else is taken as DER, as is;
 * - PSK: a file holding only hex digits (optionally `0x`-prefixed, surrounding whitespace ignored)
 *   is decoded to bytes, anything else is used raw; to provision a key that really is ASCII hex
 *   text, write it as hex of those characters;
 * - PSK identity: the text without its final line break (an editor's newline would otherwise be
 *   sent as part of the identity) and without a NUL, as Zephyr samples pass `strlen`.
 */
export function credentialFileBytes(type: tls_credential_kind, data: Uint8Array): FileCredential {
  if (type === TLS_CREDENTIAL_PSK) {
    const text = Buffer.from(data).toString('latin1').trim().replace(/^0[xX]/, '');
    if (text.length > 0 && text.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(text)) {
      const bytes = new Uint8Array(Buffer.from(text, 'hex'));
      return { bytes, form: `hex text, ${bytes.length} bytes` };
    }
    return { bytes: data, form: `raw, ${data.length} bytes` };
  }
  if (type === TLS_CREDENTIAL_PSK_ID) {
    let n = data.length;
    if (n > 0 && data[n - 1] === 0x0a) n--;
    if (n > 0 && data[n - 1] === 0x0d) n--;
    return { bytes: data.subarray(0, n), form: `text, ${n} bytes` };
  }
  if (looksLikePem(data)) {
    if (endsWithNul(data)) return { bytes: data, form: `PEM, ${data.length} bytes with its NUL` };
    const bytes = new Uint8Array(data.length + 1);
    bytes.set(data);
    return { bytes, form: `PEM, ${bytes.length} bytes with the NUL appended` };
  }
  return { bytes: data, form: `DER, ${data.length} bytes` };
}

/**
 * Loads `creds` into board `k`'s store, in order, as provisioned credentials. Call it after the
 * board is created and before it runs (before `main`). Returns the problems found, as sentences
 * prefixed with the argument they concern: unreadable files, duplicates (-EEXIST), no free slot
 * (-ENOMEM) and everything the credential checks report. Problems are also logged on the board.
 */
export function provisionCredentials(k: Kernel, creds: readonly CredSpec[]): string[] {
  const out: string[] = [];
  for (const c of creds) {
    const what = `--cred ${c.tag}:${credentialTypeName(c.type)}:${c.file}`;
    let data: Uint8Array;
    try {
      data = new Uint8Array(readFileSync(c.file));
    } catch (e) {
      const msg = `${what}: cannot read the file: ${e instanceof Error ? e.message : String(e)}`;
      credLog(k, 1, msg);
      out.push(msg);
      continue;
    }
    const f = credentialFileBytes(c.type, data);
    const r = storeAdd(k, c.tag, c.type, f.bytes, { provisioned: true, origin: c.file });
    if (r.ret === -EEXIST) {
      out.push(`${what}: sec tag ${c.tag} ${credentialTypeName(c.type)} was already provisioned by an earlier --cred (-EEXIST)`);
    } else if (r.ret === -ENOMEM) {
      out.push(`${what}: no free credential slot (-ENOMEM): raise CONFIG_TLS_MAX_CREDENTIALS_NUMBER`);
    } else if (r.ret < 0) {
      out.push(`${what}: rejected (${r.ret})`);
    } else {
      credLog(k, 3, `provisioned sec tag ${c.tag} ${credentialTypeName(c.type)} from ${c.file} (${f.form})`);
      for (const p of r.problems) out.push(`${what}: ${p.message}`);
    }
  }
  return out;
}
