/**
 * The embedded broker's other listeners: TLS (8883 by default), where each simulated connection
 * becomes a Node Duplex, node:tls terminates TLS over it with the given server certificate, and
 * aedes serves the clear stream (with a CA, client certificates are required and checked: mutual
 * TLS); and websocket (9001), plain or over TLS.
 */
import tls from 'node:tls';
import { wsMqttServer } from '../broker_ws.ts';
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

/**
 * Adds a websocket listener (9001 by default, as mosquitto's usual one) to an embedded broker:
 * MQTT over `ws://`, or over `wss://` with `tls` (the same options as the TLS listener).
 */
export function addBrokerWsListener(broker: SimBroker, addr: string, opts: { port?: number; tls?: BrokerTlsOptions } = {}): Listener | number {
  const front = wsMqttServer((s) => broker.aedes.handle(s));
  const context = opts.tls ? tls.createSecureContext({ cert: opts.tls.cert, key: opts.tls.key, ca: opts.tls.ca }) : null;
  const l = broker.node.listen(endpoint(addr, opts.port ?? 9001), 128, (conn) => {
    if (!context) return front.accept(toDuplex(conn));
    const sock = new tls.TLSSocket(toDuplex(conn), {
      isServer: true,
      secureContext: context,
      requestCert: opts.tls?.ca !== undefined,
      rejectUnauthorized: opts.tls?.ca !== undefined,
    });
    sock.on('error', () => sock.destroy());
    front.accept(sock);
  });
  // Its clients are aedes' streams: closing the broker closes them.
  return l;
}
