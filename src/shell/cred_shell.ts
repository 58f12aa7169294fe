/**
 * `cred`: Zephyr's TLS credentials shell (`CONFIG_TLS_CREDENTIALS_SHELL`,
 * `subsys/net/lib/tls_credentials/tls_credentials_shell.c`), same commands, messages and formats:
 *
 *     cred buf <DATA> | cred buf clear | cred buf load      (accumulate a long credential)
 *     cred add <SECTAG> <TYPE> <BACKEND> <FORMAT> [<DATA>]  (BACKEND: default)
 *     cred del <SECTAG> <TYPE>
 *     cred get <SECTAG> <TYPE> <FORMAT>
 *     cred list [<SECTAG>|any [<TYPE>|any]]                  (sectag,type,base64 SHA-256,status)
 *
 * TYPE: CA_CERT/CA, SERVER_CERT/CLIENT_CERT/SELF_CERT/SELF/CLIENT/SERV, PRIVATE_KEY/PK,
 * PRE_SHARED_KEY/PSK, PRE_SHARED_KEY_ID/PSK_ID (any case). FORMAT: bin (base64, stored as bytes),
 * bint (the same plus a NUL), str (text as typed), strt (text plus a NUL).
 *
 * zsim also accepts `cred add <SECTAG> <TYPE> <FORMAT> [<DATA>]`, without the backend word.
 * Credentials are copied before being stored, as Zephyr's shell copies them to the heap for the
 * volatile backend, which keeps references.
 */
import type { Kernel } from '../kernel/kernel.ts';
import { EBADF, EEXIST, EFBIG, EINVAL, ENOENT, ENOMEM } from '../libc/errno.ts';
import { credentialDigest, storeCredentials, storeCredentialsOfTag, storeGet } from '../net/tls_credentials_store.ts';
import {
  TLS_CREDENTIAL_CA_CERTIFICATE, TLS_CREDENTIAL_PRIVATE_KEY, TLS_CREDENTIAL_PSK, TLS_CREDENTIAL_PSK_ID,
  TLS_CREDENTIAL_PUBLIC_CERTIFICATE, type tls_credential_type,
} from '../net/tls_credentials_types.ts';
import { tls_credential_add, tls_credential_delete } from '../net/tls_credentials.ts';
import { base64Decode, base64Encode } from './base64.ts';
import { Shell } from './shell_instance.ts';
import { registerBuiltinInstaller } from './shell_registry.ts';
import { shell_strtoul } from './shell_strto.ts';
import { SHELL_ERROR, SHELL_NORMAL, SHELL_WARNING, type ShellCmdHandler, type ShellContext, type ShellStaticEntry } from './shell_types.ts';

/** Keywords per type: the first is the name shown, the last the compact name of `cred list`. */
const TYPE_STRINGS: readonly (readonly [string, number])[] = [
  ['CA_CERT', TLS_CREDENTIAL_CA_CERTIFICATE], ['CA', TLS_CREDENTIAL_CA_CERTIFICATE],
  ['SERVER_CERT', TLS_CREDENTIAL_PUBLIC_CERTIFICATE], ['CLIENT_CERT', TLS_CREDENTIAL_PUBLIC_CERTIFICATE],
  ['SELF_CERT', TLS_CREDENTIAL_PUBLIC_CERTIFICATE], ['SELF', TLS_CREDENTIAL_PUBLIC_CERTIFICATE],
  ['CLIENT', TLS_CREDENTIAL_PUBLIC_CERTIFICATE], ['SERV', TLS_CREDENTIAL_PUBLIC_CERTIFICATE],
  ['PRIVATE_KEY', TLS_CREDENTIAL_PRIVATE_KEY], ['PK', TLS_CREDENTIAL_PRIVATE_KEY],
  ['PRE_SHARED_KEY', TLS_CREDENTIAL_PSK], ['PSK', TLS_CREDENTIAL_PSK],
  ['PRE_SHARED_KEY_ID', TLS_CREDENTIAL_PSK_ID], ['PSK_ID', TLS_CREDENTIAL_PSK_ID],
];
const ANY = 'any';
const NO_TAG = -1;
const NO_TYPE = 0;

function typeName(type: number): string {
  return TYPE_STRINGS.find(([, t]) => t === type)?.[0] ?? 'INVALID';
}
function typeNameCompact(type: number): string {
  return [...TYPE_STRINGS].reverse().find(([, t]) => t === type)?.[0] ?? 'INV';
}

/** The shell's credential buffer (one per board, as the C file's static buffer is per image). */
interface CredBuf {
  bytes: number[];
  /**
   * Memory of the credentials this shell copied and stored, to report freeing them on `cred del`
   * (the store keeps a view of the copy, so the copy is recognised by its buffer).
   */
  readonly copies: WeakSet<ArrayBufferLike>;
}

function credBuf(k: Kernel): CredBuf {
  let b = k.subsys.get('shell.cred') as CredBuf | undefined;
  if (!b) {
    b = { bytes: [], copies: new WeakSet() };
    k.subsys.set('shell.cred', b);
  }
  return b;
}

const say = (sh: ShellContext, text: string): void => sh.write(SHELL_NORMAL, text);
const err = (sh: ShellContext, text: string): void => sh.write(SHELL_ERROR, text);

/** `CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE` (Zephyr's default 1024). */
function bufSize(k: Kernel): number {
  return k.cfgInt('TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE') || 1024;
}

/** `CONFIG_TLS_CREDENTIALS_SHELL_CRED_OUTPUT_WIDTH` (Zephyr's default 32, a multiple of 4). */
function outputWidth(k: Kernel): number {
  const w = k.cfgInt('TLS_CREDENTIALS_SHELL_CRED_OUTPUT_WIDTH');
  return w > 0 && w % 4 === 0 ? w : 32;
}

function clearBuf(sh: ShellContext): void {
  const b = credBuf(sh.kernel);
  const cleared = b.bytes.length !== 0;
  b.bytes = [];
  if (cleared) say(sh, 'Credential buffer cleared.\n');
}

/** Appends to the buffer; false (and the buffer cleared) when it does not fit. */
function bufWrite(sh: ShellContext, data: Uint8Array, report: boolean): boolean {
  const b = credBuf(sh.kernel);
  if (b.bytes.length + data.length >= bufSize(sh.kernel)) {
    err(sh, 'Not enough room in credential buffer for provided data. Increase CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE.\n');
    clearBuf(sh);
    return false;
  }
  b.bytes.push(...data);
  if (report) say(sh, `Stored ${data.length} bytes.\n`);
  return true;
}

function parseSectag(sh: ShellContext, arg: string, allowAny: boolean): number | null {
  if (allowAny && arg.toLowerCase() === ANY) return NO_TAG;
  const e = { value: 0 };
  const v = /^[0-9]*$/.test(arg) ? shell_strtoul(arg, 10, e) : null;
  if (v === null || e.value !== 0) {
    err(sh, `${arg} is not a valid sectag.\n`);
    return null;
  }
  return v | 0; // sec_tag_t is a C int
}

function parseType(sh: ShellContext, arg: string, allowAny: boolean): number | null {
  if (allowAny && arg.toLowerCase() === ANY) return NO_TYPE;
  const t = TYPE_STRINGS.find(([n]) => n.toLowerCase() === arg.toLowerCase());
  if (t) return t[1];
  err(sh, `${arg} is not a valid credential type.\n`);
  return null;
}

const FORMATS: Record<string, { binary: boolean; terminated: boolean }> = {
  bin: { binary: true, terminated: false }, bint: { binary: true, terminated: true },
  str: { binary: false, terminated: false }, strt: { binary: false, terminated: true },
};

function parseFormat(sh: ShellContext, arg: string): { binary: boolean; terminated: boolean } | null {
  const f = FORMATS[arg.toLowerCase()];
  if (!f) err(sh, `${arg} is not a valid storage format.\n`);
  return f ?? null;
}

function exists(k: Kernel, tag: number, type: number): boolean {
  return storeCredentialsOfTag(k, tag).some((c) => c.type === type);
}

const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

const cmdAdd: ShellCmdHandler = (sh, argc, argv) => {
  const r = add(sh, argc, argv);
  clearBuf(sh); // the buffer is done with, whatever happened (Zephyr's cleanup)
  return r;
};

function add(sh: ShellContext, argc: number, argv: string[]): number {
  const k = sh.kernel;
  const tag = parseSectag(sh, argv[1]!, false);
  if (tag === null) return -EINVAL;
  const type = parseType(sh, argv[2]!, false);
  if (type === null) return -EINVAL;
  // zsim also takes the form without the backend word: add <sectag> <type> <format> [<data>].
  const withBackend = argc === 6 || !(argv[3]!.toLowerCase() in FORMATS);
  if (withBackend && argv[3]!.toLowerCase() !== 'default') {
    err(sh, `${argv[3]} is not a valid backend.\n`);
    return -EINVAL;
  }
  if (withBackend && argc < 5) {
    err(sh, `${argv[0]}: wrong parameter count\n`);
    return -EINVAL;
  }
  const fi = withBackend ? 4 : 3;
  const format = parseFormat(sh, argv[fi]!);
  if (!format) return -EINVAL;
  if (argc === fi + 2) {
    clearBuf(sh);
    if (!bufWrite(sh, utf8(argv[fi + 1]!), true)) return -ENOMEM;
  }
  const b = credBuf(k);
  if (b.bytes.length === 0) {
    err(sh, 'Please provide a credential to add.\n');
    return -ENOENT;
  }
  if (exists(k, tag, type)) {
    err(sh, `TLS credential with sectag ${tag} and type ${typeName(type)} already exists.\n`);
    return -EEXIST;
  }
  let data: number[] = b.bytes;
  if (format.binary) {
    const d = base64Decode(Buffer.from(b.bytes).toString('latin1'));
    if (typeof d === 'number') {
      err(sh, `Could not decode input from base64, error: ${d}\n`);
      return -EINVAL;
    }
    data = [...d];
  }
  if (format.terminated) data = [...data, 0];
  const copy = Uint8Array.from(data);
  sh.write(SHELL_WARNING, 'Credential has been copied to heap. Memory will be leaked if this credential is deleted without using the shell.\n');
  const ret = tls_credential_add(tag, type as tls_credential_type, copy, copy.length);
  if (ret !== 0) {
    err(sh, `Failed to add TLS credential with sectag ${tag} and type ${typeName(type)}. Error: ${ret}.\n`);
    return ret;
  }
  b.copies.add(copy.buffer);
  say(sh, `Added TLS credential of type ${typeName(type)}, sectag ${tag}, and length ${copy.length} bytes.\n`);
  return 0;
}

const cmdDel: ShellCmdHandler = (sh, _argc, argv) => {
  const k = sh.kernel;
  const tag = parseSectag(sh, argv[1]!, false);
  if (tag === null) return -EINVAL;
  const type = parseType(sh, argv[2]!, false);
  if (type === null) return -EINVAL;
  const cred = storeCredentialsOfTag(k, tag).find((c) => c.type === type);
  if (!cred) {
    err(sh, `There is no TLS credential with sectag ${tag} and type ${typeName(type)}.\n`);
    return -ENOENT;
  }
  const b = credBuf(k);
  if (b.copies.has(cred.buf.buffer)) {
    b.copies.delete(cred.buf.buffer);
    say(sh, 'Stored credential freed.\n');
  }
  const ret = tls_credential_delete(tag, type as tls_credential_type);
  if (ret !== 0) {
    err(sh, `Deleting TLS credential with sectag ${tag} and type ${typeName(type)} failed with error: ${ret}.\n`);
    return ret;
  }
  say(sh, `Deleted TLS credential with sectag ${tag} and type ${typeName(type)}.\n`);
  return 0;
};

const cmdGet: ShellCmdHandler = (sh, _argc, argv) => {
  const r = get(sh, argv);
  clearBuf(sh);
  return r;
};

function get(sh: ShellContext, argv: string[]): number {
  const k = sh.kernel;
  const tag = parseSectag(sh, argv[1]!, false);
  if (tag === null) return -EINVAL;
  const type = parseType(sh, argv[2]!, false);
  if (type === null) return -EINVAL;
  const format = parseFormat(sh, argv[3]!);
  if (!format) return -EINVAL;
  const width = outputWidth(k);
  const lineLength = format.binary ? (width / 4) * 3 : width;
  if (!exists(k, tag, type)) {
    err(sh, `There is no TLS credential with sectag ${tag} and type ${typeName(type)}.\n`);
    return -ENOENT;
  }
  clearBuf(sh);
  const room = bufSize(k) + 1;
  const out = new Uint8Array(room);
  const len = { value: room };
  const ret = storeGet(k, tag, type, out, len);
  if (ret === -EFBIG) {
    err(sh, `Not enough room in the credential buffer to retrieve credential with sectag ${tag} and type ${typeName(type)}. `
      + 'Increase TLS_CREDENTIALS_SHELL_MAX_CRED_LEN.\n');
    return -ENOMEM;
  }
  if (ret !== 0) {
    err(sh, `Could not retrieve TLS credential with sectag ${tag} and type ${typeName(type)} due to error: ${ret}.\n`);
    return ret;
  }
  const b = credBuf(k);
  b.bytes = [...out.subarray(0, len.value)];
  let n = len.value;
  if (format.terminated) {
    if (out[n - 1] !== 0) {
      err(sh, "The stored credential isn't NULL-terminated, but a NULL-terminated format was specified.\n");
      return -EINVAL;
    }
    n -= 1;
  }
  let result = 0;
  for (let i = 0; i < n; i += lineLength) {
    const chunk = out.subarray(i, Math.min(n, i + lineLength));
    let line: string;
    if (format.binary) line = base64Encode(chunk);
    else {
      line = [...chunk].map((c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?')).join('');
      if (chunk.some((c) => c < 0x20 || c >= 0x7f)) result = -EBADF;
    }
    say(sh, `${line}\n`);
  }
  if (result !== 0) {
    sh.write(SHELL_WARNING, 'Non-printable characters were included in the output and filtered. Have you selected the correct storage format?\n');
  }
  return result;
}

const cmdList: ShellCmdHandler = (sh, argc, argv) => {
  const k = sh.kernel;
  const tagFilter = argc >= 2 ? parseSectag(sh, argv[1]!, true) : NO_TAG;
  if (tagFilter === null) return 0;
  const typeFilter = argc >= 3 ? parseType(sh, argv[2]!, true) : NO_TYPE;
  if (typeFilter === null) return 0;
  // credential_next_tag_get walks the tags upwards from TLS_SEC_TAG_NONE (-1); within a tag, slot order.
  const tags = [...new Set(storeCredentials(k).map((c) => c.tag))].filter((t) => t > NO_TAG).sort((a, b) => a - b);
  let count = 0;
  for (const tag of tags) {
    if (tagFilter !== NO_TAG && tag !== tagFilter) continue;
    for (const c of storeCredentialsOfTag(k, tag)) {
      if (typeFilter !== NO_TYPE && c.type !== typeFilter) continue;
      count++;
      const digest = Buffer.from(credentialDigest(c.buf), 'hex').toString('base64');
      say(sh, `${tag},${typeNameCompact(c.type)},${digest},0\n`);
    }
  }
  say(sh, `${count} credentials found.\n`);
  return 0;
};

const cmdBuf: ShellCmdHandler = (sh, _argc, argv) => (bufWrite(sh, utf8(argv[1]!), true) ? 0 : -ENOMEM);

/** `cred buf load`: what is typed next goes into the buffer, up to Ctrl-C. */
const cmdBufLoad: ShellCmdHandler = (sh) => {
  clearBuf(sh);
  if (!(sh instanceof Shell)) return -EINVAL;
  say(sh, 'Input credential, finish with CTRL+C.\n');
  sh.setBypass((s, data) => {
    const stop = data.indexOf(0x03);
    const part = stop < 0 ? data : data.subarray(0, stop);
    if (!bufWrite(s, part, false)) {
      sh.setBypass(null);
      return;
    }
    if (stop >= 0) {
      sh.setBypass(null);
      say(s, `Stored ${credBuf(s.kernel).bytes.length} bytes.\n`);
    }
  });
  return 0;
};

const cmd = (syntax: string, help: string, handler: ShellCmdHandler, mandatory: number, optional: number,
  subcmd: ShellStaticEntry[] | null = null): ShellStaticEntry => ({
  syntax, help, handler, args: { mandatory, optional },
  subcmd: subcmd ? { kind: 'static', name: 'tls_cred_buf_cmds', entries: subcmd } : null,
});

registerBuiltinInstaller('cred', (k) => {
  if (!k.enabled('TLS_CREDENTIALS_SHELL') || !k.enabled('TLS_CREDENTIALS')) return [];
  const subs = [
    cmd('buf', 'Buffer in credential data so it can be added.', cmdBuf, 2, 0, [
      cmd('clear', 'Clear the credential buffer', (sh) => {
        credBuf(sh.kernel).bytes = [];
        say(sh, 'Credential buffer cleared.\n');
        return 0;
      }, 0, 0),
      cmd('load', 'Load credential directly to buffer so it can be added.', cmdBufLoad, 0, 0),
    ]),
    cmd('add', 'Add a TLS credential.', cmdAdd, 4, 2),
    cmd('del', 'Delete a TLS credential.', cmdDel, 3, 0),
    cmd('get', 'Retrieve the contents of a TLS credential', cmdGet, 4, 0),
    cmd('list', 'List stored TLS credentials, optionally filtering by type or sectag.', cmdList, 1, 2),
  ];
  return [{ syntax: 'cred', help: 'TLS Credentials Commands', handler: null, args: { mandatory: 0, optional: 0 },
    subcmd: { kind: 'static', name: 'tls_cred_cmds', entries: subs } }];
});
