/**
 * Tells the socket layer's TLS (`src/net/tls.ts`) how a simulated connection becomes the Node
 * Duplex node:tls runs over: `toDuplex`, whose host gate keeps virtual time still while node:tls
 * works, so a board's TLS handshake over the simulated network is as deterministic as the rest.
 */
import { registerDuplexAdapter } from '../tls.ts';
import { toDuplex } from './duplex.ts';
import { SimTcpConn } from './tcp.ts';

let registered = false;

/** Registers the adapter once (every `SimNetwork` calls it). */
export function registerSimTlsAdapter(): void {
  if (registered) return;
  registered = true;
  registerDuplexAdapter((conn) => (conn instanceof SimTcpConn ? toDuplex(conn) : null));
}
