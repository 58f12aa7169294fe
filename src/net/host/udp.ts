/**
 * UDP endpoints of the host backend, over `node:dgram`.
 */
import * as dgram from 'node:dgram';
import type { DatagramConn, DatagramEvents, Endpoint, WireTap } from '../conn.ts';
import { EAFNOSUPPORT, EBADF, EMSGSIZE } from '../../libc/errno.ts';
import { zephyrErrno } from './errno_map.ts';

/** Largest UDP payload: 65535 minus the IP (20 or 40 bytes) and UDP (8 bytes) headers. */
const MAX_PAYLOAD: Record<4 | 6, number> = { 4: 65507, 6: 65487 };

/** What a {@link HostDatagram} needs from its interface. */
export interface HostDatagramContext {
  beginHostIo?: () => () => void;
  tap?: WireTap;
  now: () => number;
  /** The interface's own addresses, to name a wildcard-bound socket's source in captures. */
  addrs: readonly Endpoint[];
}

/** True for the unspecified address (`0.0.0.0`, `::`): bind to every interface. */
export function isWildcard(addr: string): boolean {
  return addr === '0.0.0.0' || addr === '::' || addr === '';
}

/** True for loopback addresses (127/8, `::1`, and 127/8 mapped into IPv6). */
export function isLoopback(addr: string): boolean {
  return addr.startsWith('127.') || addr === '::1' || addr.startsWith('::ffff:127.');
}

/**
 * The address a wildcard-bound socket uses toward `peer`, as far as captures are concerned:
 * the kernel picks it by routing, which Node does not reveal, so guess loopback for loopback
 * peers and the interface's first address of the family otherwise.
 */
export function captureSource(local: Endpoint, peer: Endpoint, addrs: readonly Endpoint[]): Endpoint {
  if (!isWildcard(local.addr)) return local;
  if (isLoopback(peer.addr)) return { ...local, addr: local.family === 4 ? '127.0.0.1' : '::1' };
  const own = addrs.find((a) => a.family === local.family);
  return own ? { ...local, addr: own.addr } : local;
}

/** A bound UDP socket. Holds a host-I/O token while open: a datagram may arrive at any time. */
export class HostDatagram implements DatagramConn {
  private readonly sock: dgram.Socket;
  private localEp: Endpoint;
  private closed = false;
  private bound = false;
  private releaseIo: (() => void) | null;
  /** Captures of datagrams sent before the bind completed, held until the port is known. */
  private unboundSends: Array<{ timeNs: number; to: Endpoint; payload: Uint8Array }> = [];

  constructor(
    local: Endpoint,
    private readonly ev: DatagramEvents,
    private readonly ctx: HostDatagramContext,
  ) {
    this.localEp = { ...local };
    this.sock = dgram.createSocket({ type: local.family === 6 ? 'udp6' : 'udp4' });
    this.releaseIo = ctx.beginHostIo?.() ?? null;
    this.sock.on('listening', () => {
      this.bound = true;
      const a = this.sock.address();
      this.localEp = { family: local.family, addr: a.address, port: a.port };
      for (const u of this.unboundSends) this.record('out', u.to, u.payload, u.timeNs);
      this.unboundSends = [];
    });
    this.sock.on('message', (msg: Buffer, rinfo: dgram.RemoteInfo) => {
      if (this.closed) return;
      const from: Endpoint = { family: rinfo.family === 'IPv6' ? 6 : 4, addr: rinfo.address, port: rinfo.port };
      const data = new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
      this.record('in', from, data);
      this.ev.onDatagram(data, from);
    });
    this.sock.on('error', (err: Error) => {
      if (this.closed) return;
      if (!this.bound) {
        // The bind failed (EADDRINUSE...): nothing can arrive any more.
        this.releaseIo?.();
        this.releaseIo = null;
      }
      this.ev.onError(zephyrErrno(err));
    });
    // exclusive: a board's port is its own, never shared with a cluster sibling.
    this.sock.bind({ port: local.port, address: isWildcard(local.addr) ? undefined : local.addr, exclusive: true });
  }

  /** The bound address; the requested one until the bind completes (port 0 is resolved then). */
  get local(): Endpoint {
    return this.localEp;
  }

  send(data: Uint8Array, to: Endpoint): number {
    if (this.closed) return -EBADF;
    if (to.family !== this.localEp.family) return -EAFNOSUPPORT;
    if (data.length > MAX_PAYLOAD[to.family]) return -EMSGSIZE;
    const copy = Buffer.from(data); // the caller reuses its buffer once we return
    if (this.ctx.tap && !this.bound) this.unboundSends.push({ timeNs: this.ctx.now(), to, payload: copy });
    else this.record('out', to, copy);
    // Failures known only later (EHOSTUNREACH...) arrive as onError, like an ICMP error would.
    this.sock.send(copy, to.port, to.addr, (err) => {
      if (err && !this.closed) this.ev.onError(zephyrErrno(err));
    });
    return 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.releaseIo?.();
    this.releaseIo = null;
    try {
      this.sock.close();
    } catch {
      // Already closed by a failed bind.
    }
  }

  /** Captures a datagram; a wildcard local address is replaced by a guess of the real source. */
  private record(dir: 'in' | 'out', peer: Endpoint, payload: Uint8Array, timeNs = this.ctx.now()): void {
    const tap = this.ctx.tap;
    if (!tap) return;
    const own = captureSource(this.localEp, peer, this.ctx.addrs);
    tap.segment({ timeNs, proto: 'udp', src: dir === 'out' ? own : peer, dst: dir === 'out' ? peer : own, payload });
  }
}
