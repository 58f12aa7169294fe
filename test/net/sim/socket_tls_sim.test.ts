/**
 * A board's TLS socket (socket layer + node:tls) to aedes behind a TLSSocket, both over the
 * simulated network: the handshake and MQTT exchange happen at the same virtual times every run.
 */
import tls from 'node:tls';
import { Aedes } from 'aedes';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBoard } from '../../helpers/board.ts';
import { makePki, type Pki } from '../../helpers/pki.ts';
import { k_uptime_get } from '../../../src/kernel/index.ts';
import { net_if_attach } from '../../../src/net/net_if.ts';
import {
  AF_INET, IPPROTO_TLS_1_2, MSG_WAITALL, SOCK_STREAM, SOL_TLS, TLS_HOSTNAME, TLS_SEC_TAG_LIST, errno, htons,
  sockaddr_in_new, zsock_close, zsock_connect, zsock_inet_pton, zsock_recv, zsock_send, zsock_setsockopt, zsock_socket,
} from '../../../src/net/socket.ts';
import { TLS_CREDENTIAL_CA_CERTIFICATE, tls_credential_add } from '../../../src/net/tls_credentials.ts';
import { SimNetwork } from '../../../src/net/sim/network.ts';
import { toDuplex } from '../../../src/net/sim/duplex.ts';
import { HOST_TCP } from '../../../src/net/sim/tcp_params.ts';
import { ep, ms } from './helpers.ts';

const CONFIG = {
  NETWORKING: true, NET_IPV4: true, NET_TCP: true, NET_SOCKETS: true, NET_SOCKETS_SOCKOPT_TLS: true, TLS_CREDENTIALS: true,
  TLS_MAX_CREDENTIALS_NUMBER: 4,
};
const CONNECT = new Uint8Array([0x10, 0x12, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 0x3c, 0, 6, ...new TextEncoder().encode('zephyr')]);

let pki: Pki;
beforeAll(() => {
  pki = makePki();
});

async function run(): Promise<{ log: unknown[]; console: string }> {
  const aedes = await Aedes.createBroker();
  const log: unknown[] = [];
  const r = await runBoard(
    async () => {
      const ca = pki.pem('ca.pem') + '\0';
      tls_credential_add(1, TLS_CREDENTIAL_CA_CERTIFICATE, ca, ca.length);
      const fd = zsock_socket(AF_INET, SOCK_STREAM, IPPROTO_TLS_1_2);
      zsock_setsockopt(fd, SOL_TLS, TLS_SEC_TAG_LIST, [1], 4);
      zsock_setsockopt(fd, SOL_TLS, TLS_HOSTNAME, 'localhost', 10);
      const a = sockaddr_in_new();
      a.sin_family = AF_INET;
      a.sin_port = htons(8883);
      zsock_inet_pton(AF_INET, '192.0.2.1', a.sin_addr);
      log.push(await zsock_connect(fd, a, 8), errno, `secure at ${k_uptime_get()}`);
      log.push(await zsock_send(fd, CONNECT, CONNECT.length, 0));
      const buf = new Uint8Array(4);
      log.push(await zsock_recv(fd, buf, 4, MSG_WAITALL), [...buf], `connack at ${k_uptime_get()}`);
      log.push(zsock_close(fd));
    },
    {
      config: CONFIG,
      setup: (k, sim) => {
        const net = new SimNetwork(sim, { seed: 3 });
        const dev = net.addNode({ name: 'dev', addrs: ['192.0.2.10'], link: { latencyNs: ms(15) } });
        const broker = net.addNode({ name: 'broker', addrs: ['192.0.2.1'], tcp: HOST_TCP });
        const key = pki.pem('server.key');
        const cert = pki.pem('server.pem');
        broker.listen(ep('0.0.0.0', 8883), 16, (conn) => {
          aedes.handle(new tls.TLSSocket(toDuplex(conn), { isServer: true, key, cert }));
        });
        net_if_attach(k, dev);
      },
    },
  );
  await new Promise<void>((res) => aedes.close(() => res()));
  return { log, console: r.console.text };
}

describe('TLS sockets over the simulated network', () => {
  it('a board does a TLS handshake with aedes behind node:tls, at the same times every run', async () => {
    const one = await run();
    expect(one.log.slice(0, 2), one.console).toEqual([0, 0]);
    // dev <-> broker is (15 + 1) ms each way: TCP in one 32 ms round trip, TLS 1.2 in two more,
    // then CONNECT/CONNACK in one.
    expect(one.log[2]).toBe('secure at 96');
    expect(one.log[6]).toBe('connack at 128');
    expect(one.log.slice(3, 6)).toEqual([CONNECT.length, 4, [0x20, 0x02, 0x00, 0x00]]);
    const two = await run();
    expect(two.log).toEqual(one.log);
  });
});
