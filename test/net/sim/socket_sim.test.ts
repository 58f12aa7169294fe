/**
 * The board socket layer (zsock_*) over the simulated network: a board talks to host-side nodes
 * in virtual time, and the times it sees are the network's arithmetic.
 */
import { describe, expect, it } from 'vitest';
import { runBoard } from '../../helpers/board.ts';
import { k_uptime_get } from '../../../src/kernel/index.ts';
import { net_if_attach } from '../../../src/net/net_if.ts';
import {
  AF_INET, AF_INET6, IPPROTO_TCP, MSG_WAITALL, SOCK_STREAM, errno, htons, sockaddr_in_new, zsock_close, zsock_connect,
  sockaddr_in6_new, zsock_getaddrinfo, zsock_inet_pton, zsock_recv, zsock_send, zsock_socket, type sockaddr_in,
  type zsock_addrinfo,
} from '../../../src/net/socket.ts';
import { SimNetwork } from '../../../src/net/sim/network.ts';
import { ep, ms } from './helpers.ts';

const NET = { NETWORKING: true, NET_IPV4: true, NET_TCP: true, NET_UDP: true, NET_SOCKETS: true };

function addr(ip: string, port: number): sockaddr_in {
  const a = sockaddr_in_new();
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  zsock_inet_pton(AF_INET, ip, a.sin_addr);
  return a;
}

describe('sockets over the simulated network', () => {
  it('a board resolves a name, connects, sends and receives, at the network\'s times', async () => {
    const log: unknown[] = [];
    const r = await runBoard(
      async () => {
        const res = { value: null as zsock_addrinfo | null };
        log.push(await zsock_getaddrinfo('echo.local', '7', { ai_family: AF_INET, ai_socktype: SOCK_STREAM }, res));
        log.push(`resolved at ${k_uptime_get()}`);
        const fd = zsock_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        log.push(await zsock_connect(fd, res.value!.ai_addr as sockaddr_in, 8));
        log.push(`connected at ${k_uptime_get()}`);
        log.push(await zsock_send(fd, 'hello zephyr', 12, 0));
        const buf = new Uint8Array(64);
        log.push(await zsock_recv(fd, buf, 12, MSG_WAITALL));
        log.push(`${new TextDecoder().decode(buf.subarray(0, 12))} at ${k_uptime_get()}`);
        log.push(zsock_close(fd));
        const fd2 = zsock_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        log.push(await zsock_connect(fd2, addr('192.0.2.1', 9), 8), errno);
        log.push(`refused at ${k_uptime_get()}`);
        // An IPv6 address for an IPv4 socket: net_context_connect's "Family mismatch", EINVAL.
        const fd3 = zsock_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        const a6 = sockaddr_in6_new();
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons(7);
        zsock_inet_pton(AF_INET6, '2001:db8::1', a6.sin6_addr);
        log.push(await zsock_connect(fd3, a6, 24), errno);
      },
      {
        config: NET,
        setup: (k, sim) => {
          const net = new SimNetwork(sim, { seed: 1 });
          const dev = net.addNode({ name: 'dev', addrs: ['192.0.2.10'], link: { latencyNs: ms(10) } });
          const srv = net.addNode({ name: 'echo', addrs: ['192.0.2.1'] });
          net.addName('echo.local', '192.0.2.1');
          srv.listen(ep('0.0.0.0', 7), 4, (c) =>
            c.setEvents({ onConnect() {}, onData: (d) => c.write(d), onWritable() {}, onEnd: () => c.end(), onError() {} }),
          );
          net_if_attach(k, dev);
        },
      },
    );
    expect(r.result.reason).toBe('finished');
    // Names resolve at once; dev <-> echo is (10 + 1) ms each way.
    expect(log).toEqual([
      0, 'resolved at 0', 0, 'connected at 22', 12, 12, 'hello zephyr at 44', 0, -1, 61, 'refused at 66', -1, 22,
    ]);
  });
});
