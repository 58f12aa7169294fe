/**
 * IANA cipher suite numbers (what Zephyr's TLS_CIPHERSUITE_LIST / TLS_CIPHERSUITE_USED carry)
 * and the OpenSSL names node:tls speaks.
 */
const SUITES: [number, string][] = [
  [0x1301, 'TLS_AES_128_GCM_SHA256'],
  [0x1302, 'TLS_AES_256_GCM_SHA384'],
  [0x1303, 'TLS_CHACHA20_POLY1305_SHA256'],
  [0xc02b, 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  [0xc02c, 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  [0xc02f, 'ECDHE-RSA-AES128-GCM-SHA256'],
  [0xc030, 'ECDHE-RSA-AES256-GCM-SHA384'],
  [0xcca8, 'ECDHE-RSA-CHACHA20-POLY1305'],
  [0xcca9, 'ECDHE-ECDSA-CHACHA20-POLY1305'],
  [0xc023, 'ECDHE-ECDSA-AES128-SHA256'],
  [0xc027, 'ECDHE-RSA-AES128-SHA256'],
  [0xc009, 'ECDHE-ECDSA-AES128-SHA'],
  [0xc013, 'ECDHE-RSA-AES128-SHA'],
  [0x009c, 'AES128-GCM-SHA256'],
  [0x009d, 'AES256-GCM-SHA384'],
  [0x003c, 'AES128-SHA256'],
  [0x002f, 'AES128-SHA'],
  [0x00a8, 'PSK-AES128-GCM-SHA256'],
  [0x00a9, 'PSK-AES256-GCM-SHA384'],
  [0x00ae, 'PSK-AES128-CBC-SHA256'],
  [0x00af, 'PSK-AES256-CBC-SHA384'],
  [0x008c, 'PSK-AES128-CBC-SHA'],
  [0xccab, 'PSK-CHACHA20-POLY1305'],
  [0xc0a4, 'PSK-AES128-CCM'],
  [0xc0a8, 'PSK-AES128-CCM8'],
];

const BY_ID = new Map(SUITES);
const BY_NAME = new Map(SUITES.map(([id, name]) => [name, id]));

/** OpenSSL name of an IANA suite number, or undefined. */
export function suiteName(id: number): string | undefined {
  return BY_ID.get(id);
}

/** IANA number of an OpenSSL (or IANA-style TLS 1.3) suite name, 0 when unknown. */
export function suiteId(name: string | undefined): number {
  return (name && BY_NAME.get(name)) || 0;
}

/** TLS 1.3 suite names are configured separately from the TLS 1.2 cipher string in OpenSSL. */
export function isTls13Suite(id: number): boolean {
  return id >= 0x1301 && id <= 0x1305;
}
