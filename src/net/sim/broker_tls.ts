/**
 * The embedded broker's other listeners: TLS (8883 by default), where each simulated connection
 * becomes a Node Duplex, node:tls terminates TLS over it with the given server certificate, and
 * aedes serves the clear stream (with a CA, client certificates are required and checked: mutual
 * TLS); and websocket (9001), plain or over TLS.
 */
import tls from 'node:tls';
import { wsMqttServer } from '../broker_ws.ts';
import type { Listener, StreamConn } from '../conn.ts';
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

/**
 * A function that wraps a simulated connection in server-side TLS with the broker's certificate
 * (and, with a CA, a required client certificate: mutual TLS).
 */
function tlsTerminator(opts: BrokerTlsOptions): (conn: StreamConn) => tls.TLSSocket {
  const context = tls.createSecureContext({ cert: opts.cert, key: opts.key, ca: opts.ca });
  return (conn) => {
    const sock = new tls.TLSSocket(toDuplex(conn), {
      isServer: true,
      secureContext: context,
      requestCert: opts.ca !== undefined,
      rejectUnauthorized: opts.ca !== undefined,
    });
    // A failed handshake is the client's to report; the broker just drops the connection.
    sock.on('error', () => sock.destroy());
    return sock;
  };
}

/** Adds a TLS listener to an embedded broker; returns it (close it with the broker). */
export function addBrokerTlsListener(broker: SimBroker, addr: string, opts: BrokerTlsOptions): Listener | number {
  const terminate = tlsTerminator(opts);
  return broker.node.listen(endpoint(addr, opts.port ?? 8883), 128, (conn) => broker.aedes.handle(terminate(conn)));
}

/**
 * Adds a websocket listener (9001 by default, as mosquitto's usual one) to an embedded broker:
 * MQTT over `ws://`, or over `wss://` with `tls` (the same options as the TLS listener). Its
 * clients are aedes' streams: closing the broker closes them.
 */
export function addBrokerWsListener(broker: SimBroker, addr: string, opts: { port?: number; tls?: BrokerTlsOptions } = {}): Listener | number {
  const front = wsMqttServer((s) => broker.aedes.handle(s));
  const terminate = opts.tls ? tlsTerminator(opts.tls) : null;
  return broker.node.listen(endpoint(addr, opts.port ?? 9001), 128, (conn) => front.accept(terminate ? terminate(conn) : toDuplex(conn)));
}
