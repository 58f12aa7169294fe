/** A small PKI made with openssl at test time: a CA, server and client certificates, bad ones. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Pki {
  dir: string;
  file(name: string): string;
  /** PEM text of a file, for tls_credential_add. */
  pem(name: string): string;
}

/**
 * Files: ca.pem/ca.key, server.pem/server.key (CN and SAN localhost, 127.0.0.1),
 * server_expired.pem, server_wronghost.pem (SAN other.example), client.pem/client.key,
 * other_ca.pem (an unrelated CA), psk.txt (mosquitto psk_file: identity zsim-dev).
 */
export function makePki(): Pki {
  const dir = mkdtempSync(path.join(tmpdir(), 'zsim-pki-'));
  const run = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out'];
  run(...ec, 'ca.key');
  run('req', '-x509', '-key', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=zsim-test-ca');
  run(...ec, 'other_ca.key');
  run('req', '-x509', '-key', 'other_ca.key', '-out', 'other_ca.pem', '-days', '30', '-subj', '/CN=other-ca');
  const sign = (name: string, cn: string, san: string, days: string): void => {
    run(...ec, `${name}.key`);
    run('req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`);
    writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
    run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', days, '-extfile', `${name}.ext`, '-out', `${name}.pem`);
  };
  sign('server', 'localhost', 'DNS:localhost,IP:127.0.0.1', '30');
  sign('server_expired', 'localhost', 'DNS:localhost,IP:127.0.0.1', '-1');
  sign('server_wronghost', 'other.example', 'DNS:other.example', '30');
  sign('client', 'zsim-device', 'DNS:zsim-device', '30');
  writeFileSync(path.join(dir, 'psk.txt'), 'zsim-dev:00112233445566778899aabbccddeeff\n');
  return {
    dir,
    file: (n) => path.join(dir, n),
    pem: (n) => readFileSync(path.join(dir, n), 'latin1'),
  };
}
