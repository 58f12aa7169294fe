import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamConn } from '../../../src/net/conn.ts';
import { connectDuplex, toDuplex, type SimDuplex } from '../../../src/net/sim/duplex.ts';
import { ep, makeNet, ms } from './helpers.ts';

let dir = '';
let key = '';
let cert = '';

beforeAll(() => {
  // A throwaway self-signed P-256 certificate for broker.local.
  dir = mkdtempSync(path.join(tmpdir(), 'zsim-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    '-subj', '/CN=broker.local', '-addext', 'subjectAltName=DNS:broker.local',
  ], { stdio: 'ignore' });
  key = readFileSync(path.join(dir, 'key.pem'), 'utf8');
  cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function tlsExchange(): Promise<string[]> {
  const { sim, net } = makeNet({ seed: 2 });
  const srvNode = net.addNode({ name: 'broker', addrs: ['10.0.0.100'], link: { latencyNs: ms(1) } });
  const dev = net.addNode({ name: 'dev', addrs: ['10.0.0.1'], link: { latencyNs: ms(9) }, tcp: { sendBuffer: 8192, recvWindow: 8192 } });
  const log: string[] = [];
  const note = (s: string): number => log.push(`${sim.clock.now()} ${s}`);
  srvNode.listen(ep('0.0.0.0', 8883), 4, (conn: StreamConn) => {
    const s = new tls.TLSSocket(toDuplex(conn), { isServer: true, key, cert });
    s.on('secure', () => note('server secure'));
    s.on('data', (b: Buffer) => {
      note(`server got ${b}`);
      s.end('pong');
    });
    s.on('error', (e) => note(`server error ${e.message}`));
  });
  const d = connectDuplex(dev, ep('10.0.0.100', 8883)) as SimDuplex;
  d.on('connect', () => {
    note('tcp connected');
    const c = tls.connect({ socket: d, ca: cert, servername: 'broker.local' });
    c.on('secureConnect', () => {
      note(`client secure ${c.getProtocol()} authorized=${c.authorized}`);
      c.write('ping');
    });
    c.on('data', (b: Buffer) => note(`client got ${b}`));
    c.on('end', () => {
      note('client end');
      c.end();
    });
    c.on('error', (e) => note(`client error ${e.message}`));
  });
  await sim.run();
  return log;
}

describe('node:tls over simulated connections', () => {
  it('a TLSSocket server and a tls.connect client complete a handshake and exchange data', async () => {
    const log = await tlsExchange();
    const text = log.map((l) => l.replace(/^\d+ /, ''));
    expect(text).toEqual([
      'tcp connected',
      // TLS 1.3: the client is done when the server's Finished arrives, the server one trip later.
      'client secure TLSv1.3 authorized=true',
      'server secure',
      'server got ping',
      'client got pong',
      'client end',
    ]);
    // TCP connects in one 20 ms RTT; TLS 1.3 needs one more round trip before the client is secure.
    expect(log[0]).toBe(`${ms(20)} tcp connected`);
    const secureAt = Number(log[1]!.split(' ')[0]);
    expect(secureAt).toBeGreaterThanOrEqual(ms(40));
    expect(secureAt).toBeLessThan(ms(70));
    // Timing does not depend on the event loop: a second run gives the same times.
    expect(await tlsExchange()).toEqual(log);
  });
});
