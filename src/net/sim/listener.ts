/**
 * A listening TCP endpoint. Backlog: at most `backlog` connections may be half open (SYN received,
 * handshake not complete); a SYN beyond that is answered with RST, as Zephyr answers a SYN it
 * cannot allocate a connection for (`tcp_conn_new` failing leads to `net_tcp_reply_rst`). Zephyr's
 * `net_context_listen` otherwise ignores the backlog; a completed connection is handed to
 * `onAccept` at once, and the socket layer owns the accept queue (it may `destroy()` what exceeds
 * its own limit, which resets the peer).
 */
import type { Endpoint, Listener } from '../conn.ts';
import type { SimTcpConn, TcpAcceptor } from './tcp.ts';

/** What a listener needs from its node. */
export interface ListenerHost {
  unlisten(l: SimListener): void;
}

export class SimListener implements Listener, TcpAcceptor {
  private readonly halfOpen = new Set<SimTcpConn>();
  private closed = false;

  constructor(
    private readonly node: ListenerHost,
    readonly local: Endpoint,
    readonly backlog: number,
    private readonly onAccept: (conn: SimTcpConn) => void,
  ) {}

  /** True when a new SYN may start a connection. */
  canTake(): boolean {
    return !this.closed && this.halfOpen.size < this.backlog;
  }

  /** A SYN started a half-open connection on this listener. */
  took(c: SimTcpConn): void {
    this.halfOpen.add(c);
  }

  established(c: SimTcpConn): void {
    this.halfOpen.delete(c);
    if (this.closed) c.destroy();
    else this.onAccept(c);
  }

  abandoned(c: SimTcpConn): void {
    this.halfOpen.delete(c);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.node.unlisten(this);
    for (const c of [...this.halfOpen]) c.destroy();
    this.halfOpen.clear();
  }
}
