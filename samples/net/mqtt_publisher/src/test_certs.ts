/*
 * Test certificates of the sample, as Zephyr's src/test_certs.h: the CA that signed
 * certs/server.pem, which the embedded broker serves on 8883 when the app has certs/. These are
 * test certificates (their private keys are not secret): never use them in production.
 *
 * Generated once with openssl (EC P-256, valid 2020-01-01 to 2049-12-31); certs/ca.pem is the
 * same certificate as a file, for mosquitto's cafile and mosquitto_sub --cafile. To use another
 * broker, replace ca_certificate with its CA (or pass --cred 1:ca:FILE, which takes precedence).
 */

/* The CA certificate, PEM. Added with its NUL, as C's sizeof(ca_certificate) would count it. */
export const ca_certificate =
  '-----BEGIN CERTIFICATE-----\n' +
  'MIIBpTCCAUugAwIBAgIBATAKBggqhkjOPQQDAjA6MRUwEwYDVQQKDAx6c2ltIHNh\n' +
  'bXBsZXMxITAfBgNVBAMMGHpzaW0gTVFUVCBzYW1wbGUgdGVzdCBDQTAeFw0yMDAx\n' +
  'MDEwMDAwMDBaFw00OTEyMzEyMzU5NTlaMDoxFTATBgNVBAoMDHpzaW0gc2FtcGxl\n' +
  'czEhMB8GA1UEAwwYenNpbSBNUVRUIHNhbXBsZSB0ZXN0IENBMFkwEwYHKoZIzj0C\n' +
  'AQYIKoZIzj0DAQcDQgAEsjK3koXuIlSNz7zAfUO2ZiYlH1cx87xpyWIT0S0Am+dw\n' +
  'ILQAjaAqxjf0v8fQgj6mVksB9aH6IHn2lb7V6XJDoqNCMEAwDwYDVR0TAQH/BAUw\n' +
  'AwEB/zAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFNAbGFvG/mYYCuPOKJd1OdxP\n' +
  'FxhhMAoGCCqGSM49BAMCA0gAMEUCICsUdEqXYqloRxuK9AHz1maZ8LLKW0WYQLNS\n' +
  'wG1QiQEAAiEAiiCbxAjiewriNpSUApvJf/Ddv6haIDdwryzhoAa+r88=\n' +
  '-----END CERTIFICATE-----\n';

/*
 * Used with CONFIG_MBEDTLS_KEY_EXCHANGE_PSK_ENABLED, as in Zephyr. No leading zero byte: some
 * mosquitto versions drop it from a hex PSK and the handshake then fails.
 */
export const client_psk = new Uint8Array([
  0x01, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
  0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
]);

export const client_psk_id = 'Client_identity';
