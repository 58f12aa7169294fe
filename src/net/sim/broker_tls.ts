/**
 * The embedded broker's TLS listener (8883 by default): each simulated connection becomes a Node
 * Duplex, node:tls terminates TLS over it with the given server certificate, and aedes serves
 * the clear stream. With a CA, client certificates are required and checked (mutual TLS).
 */
import tls from 'node:tls';
import type { Listener } from '../conn.ts';
import { endpoint } from './addr.ts';
import { toDuplex } from './duplex.ts';
import type { SimBroker } from './broker.ts';

export interface BrokerTlsOptions {
  cert: Buffer | string;
  key: Buffer | string;
  /** Trusted CA for client certificates; when given, clients must present one. */
  ca?: Buffer | string;
  port?: number;
}

/** Adds a TLS listener to an embedded broker; returns it (close it with the broker). */
export function addBrokerTlsListener(broker: SimBroker, addr: string, opts: BrokerTlsOptions): Listener | number {
  const context = tls.createSecureContext({ cert: opts.cert, key: opts.key, ca: opts.ca });
  const l = broker.node.listen(endpoint(addr, opts.port ?? 8883), 128, (conn) => {
    const sock = new tls.TLSSocket(toDuplex(conn), {
      isServer: true,
      secureContext: context,
      requestCert: opts.ca !== undefined,
      rejectUnauthorized: opts.ca !== undefined,
    });
    // A failed handshake is the client's to report; the broker just drops the connection.
    sock.on('error', () => sock.destroy());
    broker.aedes.handle(sock);
  });
  return l;
}
