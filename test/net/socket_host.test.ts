/**
 * The socket layer over the host backend: a board talks to real loopback servers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import dgram from 'node:dgram';
import { runBoard } from '../helpers/board.ts';
import { HostInterface } from '../../src/net/host/index.ts';
import { net_if_attach } from '../../src/net/net_if.ts';
import {
  AF_INET, IPPROTO_TCP, IPPROTO_UDP, MSG_DONTWAIT, MSG_PEEK, MSG_WAITALL,
  O_NONBLOCK, POLLIN, POLLNVAL, POLLOUT, SOCK_DGRAM, SOCK_STREAM, SOL_SOCKET, SO_ERROR, SO_RCVTIMEO, errno, htons,
  sockaddr_in_new, zsock_accept, zsock_addrinfo, zsock_bind, zsock_close, zsock_connect, zsock_fcntl,
  zsock_getaddrinfo, zsock_getsockname, zsock_getsockopt, zsock_inet_ntop, zsock_inet_pton, zsock_listen, zsock_poll,
  zsock_pollfd, zsock_recv, zsock_recvfrom, zsock_send, zsock_sendto, zsock_setsockopt, zsock_socket, ntohs,
  type sockaddr_in,
} from '../../src/net/socket.ts';
import { EAGAIN, ECONNREFUSED, EINPROGRESS, ENOMEM, k_msleep, k_uptime_get } from '../../src/kernel/index.ts';

const NET = { NETWORKING: true, NET_IPV4: true, NET_TCP: true, NET_UDP: true, NET_SOCKETS: true };
const servers: (net.Server | dgram.Socket)[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

function hostBoard(main: () => Promise<void>, config = {}) {
  return runBoard(main, {
    realtime: true,
    config: { ...NET, ...config },
    setup: (k, sim) => void net_if_attach(k, new HostInterface({ sim })),
  });
}

function tcpServer(onConn: (s: net.Socket) => void): Promise<number> {
  const srv = net.createServer(onConn);
  servers.push(srv);
  return new Promise((r) => srv.listen(0, '127.0.0.1', () => r((srv.address() as net.AddressInfo).port)));
}

function addr(port: number): sockaddr_in {
  const a = sockaddr_in_new();
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  zsock_inet_pton(AF_INET, '127.0.0.1', a.sin_addr);
  return a;
}

describe('sockets over the host network', () => {
  it('connects, sends and receives against a loopback echo server', async () => {
    const port = await tcpServer((s) => s.pipe(s));
    const log: unknown[] = [];
    const r = await hostBoard(async () => {
      const fd = zsock_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
      log.push(fd);
      log.push(await zsock_connect(fd, addr(port), 8));
      log.push(await zsock_send(fd, 'hello zephyr', 12, 0));
      const buf = new Uint8Array(64);
      log.push(await zsock_recv(fd, buf, 12, MSG_WAITALL));
      log.push(new TextDecoder().decode(buf.subarray(0, 12)));
      log.push(zsock_close(fd));
    });
    expect(r.result.reason).toBe('finished');
    expect(log).toEqual([0, 0, 12, 12, 'hello zephyr', 0]);
  });

  it('reports ECONNREFUSED with Zephyr\'s errno value', async () => {
    const port = await tcpServer(() => {});
    servers.pop()!.close();
    let rc = 0;
    let err = 0;
    await hostBoard(async () => {
      const fd = zsock_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
      rc = await zsock_connect(fd, addr(port), 8);
      err = errno;
    });
    expect(rc).toBe(-1);
    expect(err).toBe(ECONNREFUSED);
    expect(ECONNREFUSED).toBe(61);
  });

  it('non-blocking connect: EINPROGRESS, then POLLOUT and SO_ERROR 0', async () => {
    const port = await tcpServer(() => {});
    const log: unknown[] = [];
    await hostBoard(async () => {
      const fd = zsock_socket(AF_INET, SOCK_STREAM, 0);
      zsock_fcntl(fd, 4 /* F_SETFL */, O_NONBLOCK);
      log.push(await zsock_connect(fd, addr(port), 8), errno === EINPROGRESS);
      const pfd = [new zsock_pollfd(fd, POLLOUT)];
      log.push(await zsock_poll(pfd, 1, 2000), pfd[0]!.revents & POLLOUT);
      const v = { value: -1 as unknown };
      zsock_getsockopt(fd, SOL_SOCKET, SO_ERROR, v, { value: 4 });
      log.push(v.value);
      zsock_close(fd);
    });
    expect(log).toEqual([-1, true, 1, POLLOUT, 0]);
  });

  it('recv honours SO_RCVTIMEO, MSG_DONTWAIT and MSG_PEEK', async () => {
    let server: net.Socket | null = null;
    const port = await tcpServer((s) => (server = s));
    const log: unknown[] = [];
    await hostBoard(async () => {
      const fd = zsock_socket(AF_INET, SOCK_STREAM, 0);
      await zsock_connect(fd, addr(port), 8);
      const buf = new Uint8Array(16);
      log.push(await zsock_recv(fd, buf, 16, MSG_DONTWAIT), errno);
      zsock_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, { tv_sec: 0, tv_usec: 200_000 }, 8);
      const t0 = k_uptime_get();
      log.push(await zsock_recv(fd, buf, 16, 0), errno);
      log.push(k_uptime_get() - t0 >= 200);
      server!.write('abc');
      log.push(await zsock_recv(fd, buf, 16, MSG_PEEK));
      log.push(await zsock_recv(fd, buf, 2, 0), new TextDecoder().decode(buf.subarray(0, 2)));
      log.push(await zsock_recv(fd, buf, 16, 0), String.fromCharCode(buf[0]!));
      server!.end();
      log.push(await zsock_recv(fd, buf, 16, 0));
      zsock_close(fd);
    });
    expect(log).toEqual([-1, EAGAIN, -1, EAGAIN, true, 3, 2, 'ab', 1, 'c', 0]);
  });

  it('listens and accepts a connection from a host client', async () => {
    const log: unknown[] = [];
    await hostBoard(async () => {
      const fd = zsock_socket(AF_INET, SOCK_STREAM, 0);
      const a = addr(0);
      zsock_bind(fd, a, 8);
      zsock_listen(fd, 2);
      await k_msleep(50);
      const me = sockaddr_in_new();
      zsock_getsockname(fd, me, { value: 0 });
      const port = ntohs(me.sin_port);
      log.push(port > 0);
      const client = net.connect(port, '127.0.0.1', () => client.write('ping'));
      const peer = sockaddr_in_new();
      const c = await zsock_accept(fd, peer, { value: 0 });
      log.push(c >= 0, zsock_inet_ntop(AF_INET, peer.sin_addr));
      const buf = new Uint8Array(8);
      log.push(await zsock_recv(c, buf, 4, MSG_WAITALL));
      client.destroy();
      zsock_close(c);
      zsock_close(fd);
    });
    expect(log).toEqual([true, true, '127.0.0.1', 4]);
  });

  it('UDP sendto/recvfrom with a host peer', async () => {
    const srv = dgram.createSocket('udp4');
    servers.push(srv);
    srv.on('message', (m, rinfo) => srv.send(Buffer.concat([Buffer.from('re:'), m]), rinfo.port, rinfo.address));
    const port = await new Promise<number>((r) => srv.bind(0, '127.0.0.1', () => r(srv.address().port)));
    const log: unknown[] = [];
    await hostBoard(async () => {
      const fd = zsock_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
      log.push(await zsock_sendto(fd, 'x', 1, 0, addr(port), 8));
      const buf = new Uint8Array(16);
      const from = sockaddr_in_new();
      log.push(await zsock_recvfrom(fd, buf, 16, 0, from, { value: 0 }), ntohs(from.sin_port) === port);
      zsock_close(fd);
    });
    expect(log).toEqual([1, 4, true]);
  });

  it('poll: POLLIN on data, POLLNVAL on a bad fd, ENOMEM beyond CONFIG_NET_SOCKETS_POLL_MAX', async () => {
    const port = await tcpServer((s) => setTimeout(() => s.write('z'), 50));
    const log: unknown[] = [];
    await hostBoard(async () => {
      const fd = zsock_socket(AF_INET, SOCK_STREAM, 0);
      await zsock_connect(fd, addr(port), 8);
      const fds = [new zsock_pollfd(fd, POLLIN), new zsock_pollfd(42, POLLIN)];
      log.push(await zsock_poll(fds, 2, -1), fds[1]!.revents === POLLNVAL);
      const one = [new zsock_pollfd(fd, POLLIN)];
      log.push(await zsock_poll(one, 1, 1000), one[0]!.revents & POLLIN);
      const many = Array.from({ length: 3 }, () => new zsock_pollfd(fd, POLLIN));
      log.push(await zsock_poll(many, 3, 0), errno === ENOMEM);
      zsock_close(fd);
    }, { NET_SOCKETS_POLL_MAX: 2 });
    expect(log).toEqual([1, true, 1, POLLIN, -1, true]);
  });

  it('getaddrinfo resolves numeric hosts and localhost', async () => {
    const log: unknown[] = [];
    await hostBoard(async () => {
      const res = { value: null as zsock_addrinfo | null };
      log.push(await zsock_getaddrinfo('192.0.2.7', '1883', { ai_family: AF_INET, ai_socktype: SOCK_STREAM }, res));
      const a = res.value!.ai_addr as sockaddr_in;
      log.push(zsock_inet_ntop(AF_INET, a.sin_addr), ntohs(a.sin_port));
      log.push(await zsock_getaddrinfo('localhost', null, { ai_family: AF_INET, ai_socktype: SOCK_STREAM }, res));
      log.push(zsock_inet_ntop(AF_INET, (res.value!.ai_addr as sockaddr_in).sin_addr));
      log.push(await zsock_getaddrinfo('no-such-host.invalid', null, null, res));
    });
    expect(log).toEqual([0, '192.0.2.7', 1883, 0, '127.0.0.1', -2]);
  });

  it('limits sockets to CONFIG_NET_MAX_CONTEXTS (ENOMEM)', async () => {
    const log: unknown[] = [];
    await hostBoard(async () => {
      log.push(zsock_socket(AF_INET, SOCK_STREAM, 0), zsock_socket(AF_INET, SOCK_STREAM, 0));
      log.push(zsock_socket(AF_INET, SOCK_STREAM, 0), errno);
    }, { NET_MAX_CONTEXTS: 2 });
    expect(log).toEqual([0, 1, -1, ENOMEM]);
  });
});
