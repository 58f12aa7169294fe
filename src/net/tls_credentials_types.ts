/**
 * The types and constants of `<zephyr/net/tls_credentials.h>`, shared by the credential store,
 * its validators and the command-line provisioning, with no dependency on a running board.
 */

/** Unspecified credential; marks a free slot in Zephyr's store, never a valid credential. */
export const TLS_CREDENTIAL_NONE = 0;
/** A trusted CA certificate, used to authenticate the peer. */
export const TLS_CREDENTIAL_CA_CERTIFICATE = 1;
/** This device's own (client or server) certificate; pair it with a private key under the same tag. */
export const TLS_CREDENTIAL_PUBLIC_CERTIFICATE = 2;
/** @deprecated Zephyr's old name of {@link TLS_CREDENTIAL_PUBLIC_CERTIFICATE} (same value). */
export const TLS_CREDENTIAL_SERVER_CERTIFICATE = TLS_CREDENTIAL_PUBLIC_CERTIFICATE;
/** The private key of this device's certificate. */
export const TLS_CREDENTIAL_PRIVATE_KEY = 3;
/** A pre-shared key; pair it with a PSK identity under the same tag. */
export const TLS_CREDENTIAL_PSK = 4;
/** The identity sent with a pre-shared key. */
export const TLS_CREDENTIAL_PSK_ID = 5;

/** `enum tls_credential_type`, with Zephyr's values. */
export type tls_credential_type =
  | typeof TLS_CREDENTIAL_NONE
  | typeof TLS_CREDENTIAL_CA_CERTIFICATE
  | typeof TLS_CREDENTIAL_PUBLIC_CERTIFICATE
  | typeof TLS_CREDENTIAL_PRIVATE_KEY
  | typeof TLS_CREDENTIAL_PSK
  | typeof TLS_CREDENTIAL_PSK_ID;

/** A credential type other than NONE: what a slot can actually hold. */
export type tls_credential_kind = Exclude<tls_credential_type, typeof TLS_CREDENTIAL_NONE>;

/**
 * `sec_tag_t`: the number credentials are referenced by (a C `int`). Negative values are
 * reserved by Zephyr for internal use.
 */
export type sec_tag_t = number;

/** Zephyr's "no tag" value (`tls_internal.h`), e.g. the end of a tag iteration. */
export const TLS_SEC_TAG_NONE: sec_tag_t = -1;

/** The enum names without their `TLS_CREDENTIAL_` prefix, indexed by value. */
const ENUM_NAMES = ['NONE', 'CA_CERTIFICATE', 'PUBLIC_CERTIFICATE', 'PRIVATE_KEY', 'PSK', 'PSK_ID'] as const;

/** What each type is called in messages meant for people. */
const PROSE_NAMES = ['no credential', 'CA certificate', 'public certificate', 'private key', 'PSK', 'PSK identity'];

/** True for an integer that is one of the enum's values other than NONE. */
export function isCredentialKind(type: number): type is tls_credential_kind {
  return Number.isInteger(type) && type >= TLS_CREDENTIAL_CA_CERTIFICATE && type <= TLS_CREDENTIAL_PSK_ID;
}

/** `TLS_CREDENTIAL_CA_CERTIFICATE` for 1, or `type 42` for a value outside the enum. */
export function credentialTypeName(type: number): string {
  const n = Number.isInteger(type) ? ENUM_NAMES[type] : undefined;
  return n === undefined ? `type ${type}` : `TLS_CREDENTIAL_${n}`;
}

/** "CA certificate", "private key", ... for messages. */
export function credentialProse(type: tls_credential_kind): string {
  return PROSE_NAMES[type];
}

/** True for the two certificate types (the ones holding X.509 data). */
export function isCertificateType(type: number): boolean {
  return type === TLS_CREDENTIAL_CA_CERTIFICATE || type === TLS_CREDENTIAL_PUBLIC_CERTIFICATE;
}

/** True for the types mbedTLS parses as PEM or DER (certificates and keys). */
export function isX509Type(type: number): boolean {
  return isCertificateType(type) || type === TLS_CREDENTIAL_PRIVATE_KEY;
}
