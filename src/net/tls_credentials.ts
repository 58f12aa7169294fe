/**
 * `zsim/net/tls_credentials`: Zephyr's TLS credential store (`<zephyr/net/tls_credentials.h>`,
 * `subsys/net/lib/tls_credentials/`), one store per board, plus the checks that explain why a
 * credential that was added fine will still fail the TLS handshake.
 *
 *     const ca = `-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n`;
 *     // sizeof(ca) in C: the string's bytes plus its NUL, which mbedTLS needs for PEM.
 *     const err = tls_credential_add(CA_TAG, TLS_CREDENTIAL_CA_CERTIFICATE, ca, ca.length + 1);
 *
 * Semantics follow Zephyr's volatile backend: a fixed number of slots
 * (`CONFIG_TLS_MAX_CREDENTIALS_NUMBER`, default 4), one credential per tag and type, and the store
 * keeps a *reference* to the caller's bytes, not a copy (Zephyr stores the pointer). In TypeScript
 * that means a `Uint8Array` passed to `tls_credential_add` must stay unmodified while the
 * credential is in use: writing to it (or reusing it for the next credential) changes what the TLS
 * layer loads, as it would on a device, and zsim warns about it when the credential is used. A
 * `string` is immutable, so for it the distinction does not arise.
 *
 * Deviations from Zephyr, all for things C cannot express or that help testing:
 * - `-EINVAL` for a type outside the enum or `TLS_CREDENTIAL_NONE`, a tag that is not a C int, or
 *   a credlen larger than the data given (Zephyr does not check: NONE would silently corrupt its
 *   free-slot marker and an oversized credlen reads past the buffer);
 * - credentials provisioned with `--cred` win over the app's own: see `tls_credentials_provision.ts`;
 * - problems found in a credential are logged as `<wrn>` lines of module `tls_credentials` (Zephyr
 *   is silent and the handshake fails later) and kept for the TLS layer to report.
 */
import { currentKernel } from '../kernel/sched.ts';
import { EINVAL } from '../libc/errno.ts';
import { credLog, storeAdd, storeDelete, storeGet } from './tls_credentials_store.ts';
import type { sec_tag_t, tls_credential_type } from './tls_credentials_types.ts';

export * from './tls_credentials_types.ts';
export {
  analyzeCredential, certificateValidity, checkCertificateValidity, parseDerKey, quoteText, subjectOf,
  type AnalyzeOptions, type CertificateValidity, type CredentialAnalysis, type CredentialProblem,
  type ProblemCode, type ProblemSeverity,
} from './tls_credentials_check.ts';
export {
  TLS_CREDENTIALS_LOG_MODULE, TLS_MAX_CREDENTIALS_NUMBER_DEFAULT, credentialStore, storeAdd, storeCredentials,
  storeCredentialsOfTag, storeDelete, storeGet,
  type AddOptions, type AddResult, type CredentialStore, type StoredCredential,
} from './tls_credentials_store.ts';
export {
  checkTagPairs, convertCredentials, credentialsForTags, pairProblems,
  type CredentialRecord, type NodeTlsCredentials, type UseOptions,
} from './tls_credentials_node.ts';
export {
  CredArgError, credentialFileBytes, parseCredArg, parseCredType, provisionCredentials,
  type CredArgPart, type CredSpec, type FileCredential,
} from './tls_credentials_provision.ts';

/** The bytes `cred` stands for, cut to `credlen`, or an explanation of why credlen does not fit. */
function credentialBytes(cred: Uint8Array | string, credlen: number): Uint8Array | string {
  if (!Number.isInteger(credlen) || credlen < 0) return `credlen ${credlen} is not a length`;
  if (typeof cred === 'string') {
    // A string stands for a C string literal: its UTF-8 bytes and the NUL that sizeof() counts.
    const utf8 = Buffer.from(cred, 'utf8');
    if (credlen > utf8.length + 1) {
      return `credlen ${credlen} is more than the ${utf8.length}-byte string and its NUL (${utf8.length + 1})`;
    }
    const bytes = new Uint8Array(utf8.length + 1);
    bytes.set(utf8);
    return bytes.subarray(0, credlen);
  }
  if (!(cred instanceof Uint8Array)) return 'cred is neither a Uint8Array nor a string';
  if (credlen > cred.length) return `credlen ${credlen} is more than the ${cred.length}-byte buffer`;
  // A view, not a copy: the store keeps the caller's buffer as Zephyr keeps its pointer.
  return cred.subarray(0, credlen);
}

/**
 * Adds a credential to the running board's store.
 *
 * @param tag sec tag the credential is referenced by
 * @param type what it is; not TLS_CREDENTIAL_NONE
 * @param cred the credential: a `Uint8Array`, kept by reference (do not modify it afterwards), or
 *   a `string`, which stands for a C string literal (its UTF-8 bytes followed by a NUL)
 * @param credlen bytes of `cred` to use; for PEM include the NUL (`sizeof`: a string's length + 1)
 * @returns 0; -EEXIST when the tag already has a credential of this type; -ENOMEM when all
 *   `CONFIG_TLS_MAX_CREDENTIALS_NUMBER` slots are used; -EINVAL for bad arguments. 0 also when
 *   the same tag and type was provisioned with `--cred` (the provisioned one is kept).
 */
export function tls_credential_add(tag: sec_tag_t, type: tls_credential_type, cred: Uint8Array | string, credlen: number): number {
  const k = currentKernel('tls_credential_add');
  const bytes = credentialBytes(cred, credlen);
  if (typeof bytes === 'string') {
    credLog(k, 1, `tls_credential_add: sec tag ${tag}: ${bytes}: -EINVAL`);
    return -EINVAL;
  }
  return storeAdd(k, tag, type, bytes).ret;
}

/**
 * Copies a credential of the running board's store into `cred`.
 *
 * @param credlen in: the room in `cred`; out: the credential's length (0 when not found, the
 *   length needed on -EFBIG), like Zephyr's `size_t *credlen`
 * @returns 0; -ENOENT when absent; -EFBIG when it does not fit; -EINVAL for bad arguments,
 *   including a credlen that claims more room than `cred` has (C would write past its end)
 */
export function tls_credential_get(tag: sec_tag_t, type: tls_credential_type, cred: Uint8Array, credlen: { value: number }): number {
  return storeGet(currentKernel('tls_credential_get'), tag, type, cred, credlen);
}

/**
 * Removes a credential from the running board's store (provisioned ones included).
 *
 * @returns 0; -ENOENT when absent; -EINVAL for bad arguments
 */
export function tls_credential_delete(tag: sec_tag_t, type: tls_credential_type): number {
  return storeDelete(currentKernel('tls_credential_delete'), tag, type);
}
