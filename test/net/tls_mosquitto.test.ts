/**
 * TLS sockets against a real mosquitto with test-time certificates: server authentication,
 * mutual TLS and PSK succeed; each classic mistake fails with its errno and a log line in words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBoard } from '../helpers/board.ts';
import { freePort, mosquittoAvailable, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';
import { makePki, type Pki } from '../helpers/pki.ts';
import { HostInterface } from '../../src/net/host/index.ts';
import { net_if_attach } from '../../src/net/net_if.ts';
import {
  AF_INET, IPPROTO_TLS_1_2, SOCK_STREAM, SOL_TLS, TLS_CIPHERSUITE_USED, TLS_HOSTNAME, TLS_PEER_VERIFY, TLS_SEC_TAG_LIST,
  errno, htons, sockaddr_in_new, zsock_close, zsock_connect, zsock_getsockopt, zsock_inet_pton, zsock_recv, zsock_send,
  zsock_setsockopt, zsock_socket, MSG_WAITALL,
} from '../../src/net/socket.ts';
import {
  TLS_CREDENTIAL_CA_CERTIFICATE, TLS_CREDENTIAL_PRIVATE_KEY, TLS_CREDENTIAL_PSK, TLS_CREDENTIAL_PSK_ID,
  TLS_CREDENTIAL_PUBLIC_CERTIFICATE, tls_credential_add, type tls_credential_type,
} from '../../src/net/tls_credentials.ts';
import { ECONNABORTED } from '../../src/kernel/index.ts';

const have = mosquittoAvailable();
const CONFIG = {
  NETWORKING: true, NET_IPV4: true, NET_TCP: true, NET_SOCKETS: true, NET_SOCKETS_SOCKOPT_TLS: true, TLS_CREDENTIALS: true,
  TLS_MAX_CREDENTIALS_NUMBER: 6, LOG: true,
};
const CONNECT = new Uint8Array([0x10, 0x12, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 0x3c, 0, 6, ...new TextEncoder().encode('zephyr')]);

let pki: Pki;
let broker: Mosquitto;
const port: Record<string, number> = {};

beforeAll(async () => {
  if (!have) return;
  pki = makePki();
  for (const n of ['server', 'mutual', 'psk', 'expired', 'wronghost']) port[n] = await freePort();
  const tlsListener = (p: number, cert: string, extra: string[] = []): string[] => [
    `listener ${p} 127.0.0.1`, 'allow_anonymous true', `cafile ${pki.file('ca.pem')}`,
    `certfile ${pki.file(`${cert}.pem`)}`, `keyfile ${pki.file(`${cert}.key`)}`, ...extra,
  ];
  broker = await startMosquitto(
    [
      'per_listener_settings true',
      ...tlsListener(port.server!, 'server'),
      ...tlsListener(port.mutual!, 'server', ['require_certificate true']),
      ...tlsListener(port.expired!, 'server_expired'),
      ...tlsListener(port.wronghost!, 'server_wronghost'),
      `listener ${port.psk} 127.0.0.1`, 'allow_anonymous true', 'psk_hint zsim', `psk_file ${pki.file('psk.txt')}`,
    ],
    Object.values(port),
  );
}, 60_000);

afterAll(async () => {
  await broker?.stop();
});

interface Attempt {
  rc: number;
  err: number;
  connack?: number[];
  suite?: number;
  console: string;
}

async function attempt(p: number, creds: [number, tls_credential_type, string | Uint8Array][], opts: { tags?: number[]; hostname?: string | null; verify?: number } = {}): Promise<Attempt> {
  const out: Partial<Attempt> = {};
  const r = await runBoard(async () => {
    for (const [tag, type, bytes] of creds) {
      const data = typeof bytes === 'string' ? bytes + '\0' : bytes;
      tls_credential_add(tag, type, data, typeof data === 'string' ? data.length : data.length);
    }
    const fd = zsock_socket(AF_INET, SOCK_STREAM, IPPROTO_TLS_1_2);
    const tags = opts.tags ?? [1];
    zsock_setsockopt(fd, SOL_TLS, TLS_SEC_TAG_LIST, tags, 4 * tags.length);
    if (opts.hostname !== null) zsock_setsockopt(fd, SOL_TLS, TLS_HOSTNAME, opts.hostname ?? 'localhost', 10);
    if (opts.verify !== undefined) zsock_setsockopt(fd, SOL_TLS, TLS_PEER_VERIFY, opts.verify, 4);
    const a = sockaddr_in_new();
    a.sin_family = AF_INET;
    a.sin_port = htons(p);
    zsock_inet_pton(AF_INET, '127.0.0.1', a.sin_addr);
    out.rc = await zsock_connect(fd, a, 8);
    out.err = errno;
    if (out.rc === 0) {
      const v = { value: 0 as unknown };
      zsock_getsockopt(fd, SOL_TLS, TLS_CIPHERSUITE_USED, v, { value: 4 });
      out.suite = v.value as number;
      await zsock_send(fd, CONNECT, CONNECT.length, 0);
      const buf = new Uint8Array(4);
      await zsock_recv(fd, buf, 4, MSG_WAITALL);
      out.connack = [...buf];
    }
    zsock_close(fd);
  }, { realtime: true, config: CONFIG, setup: (k, sim) => void net_if_attach(k, new HostInterface({ sim })) });
  return { ...(out as Attempt), console: r.console.text };
}

describe.skipIf(!have)('TLS sockets against mosquitto', () => {
  const ca = (): [number, tls_credential_type, string] => [1, TLS_CREDENTIAL_CA_CERTIFICATE, pki.pem('ca.pem')];
  const client = (): [number, tls_credential_type, string][] => [
    [1, TLS_CREDENTIAL_PUBLIC_CERTIFICATE, pki.pem('client.pem')],
    [1, TLS_CREDENTIAL_PRIVATE_KEY, pki.pem('client.key')],
  ];

  it('server-authenticated TLS: handshake, then MQTT CONNECT/CONNACK inside it', async () => {
    const r = await attempt(port.server!, [ca()]);
    expect(r.rc, r.console).toBe(0);
    expect(r.connack).toEqual([0x20, 0x02, 0x00, 0x00]);
    expect(r.suite).toBeGreaterThan(0);
  });

  it('mutual TLS with a client certificate', async () => {
    const r = await attempt(port.mutual!, [ca(), ...client()]);
    expect(r.rc, r.console).toBe(0);
    expect(r.connack).toEqual([0x20, 0x02, 0x00, 0x00]);
  });

  it('PSK', async () => {
    const key = new Uint8Array(Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
    const r = await attempt(port.psk!, [[1, TLS_CREDENTIAL_PSK, key], [1, TLS_CREDENTIAL_PSK_ID, 'zsim-dev']]);
    expect(r.rc, r.console).toBe(0);
    expect(r.connack).toEqual([0x20, 0x02, 0x00, 0x00]);
  });

  it('wrong CA: ECONNABORTED and "unknown CA"', async () => {
    const r = await attempt(port.server!, [[1, TLS_CREDENTIAL_CA_CERTIFICATE, pki.pem('other_ca.pem')]]);
    expect(r.rc).toBe(-1);
    expect(r.err).toBe(ECONNABORTED);
    expect(r.console).toMatch(/<err> net_sock_tls: TLS handshake error: -0x2700/);
    expect(r.console).toMatch(/<err> net_sock_tls: certificate verify failed: unknown CA/);
  });

  it('hostname mismatch', async () => {
    const r = await attempt(port.wronghost!, [ca()]);
    expect(r.err).toBe(ECONNABORTED);
    expect(r.console).toMatch(/certificate verify failed: hostname mismatch \(TLS_HOSTNAME 'localhost'/);
    // Without TLS_HOSTNAME, Zephyr does not check the name: the same server is accepted.
    expect((await attempt(port.wronghost!, [ca()], { hostname: null })).rc).toBe(0);
  });

  it('expired server certificate', async () => {
    const r = await attempt(port.expired!, [ca()]);
    expect(r.err).toBe(ECONNABORTED);
    expect(r.console).toMatch(/certificate verify failed: expired certificate/);
    // TLS_PEER_VERIFY_NONE accepts it.
    expect((await attempt(port.expired!, [ca()], { verify: 0 })).rc).toBe(0);
  });

  it('missing client certificate where the broker requires one', async () => {
    const r = await attempt(port.mutual!, [ca()]);
    expect(r.rc).toBe(-1);
    expect(r.err).toBe(ECONNABORTED);
    expect(r.console).toMatch(/<err> net_sock_tls: TLS handshake error: -0x7780/);
    expect(r.console).toMatch(/<err> net_sock_tls: no client certificate: the server requires one \(add a PUBLIC_CERTIFICATE and its PRIVATE_KEY under sec tag\(s\) 1\)/);
  });

  it('PSK mismatch', async () => {
    const bad = new Uint8Array(Buffer.from('ffffffffffffffffffffffffffffffff', 'hex'));
    const r = await attempt(port.psk!, [[1, TLS_CREDENTIAL_PSK, bad], [1, TLS_CREDENTIAL_PSK_ID, 'zsim-dev']]);
    expect(r.rc).toBe(-1);
    expect(r.err).toBe(ECONNABORTED);
    expect(r.console).toMatch(/PSK mismatch/);
    expect(r.console).not.toMatch(/ffffffff/);
  });
});
