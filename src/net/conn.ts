/**
 * What the socket layer needs from a network backend, and what backends give it: connected byte
 * streams, listeners and datagram endpoints. Two backends implement it: `host` (real sockets
 * through node:net, real time) and `sim` (the simulated network, virtual time). TLS wraps a
 * `StreamConn` into another `StreamConn`, so it works over both.
 *
 * Events flow from the backend to the socket layer through the `*Events` callbacks, always
 * outside any thread (host I/O callbacks or simulated-network deliveries); the socket layer runs
 * them in the board's ISR context and wakes the threads that wait.
 */

/** An IP endpoint. `family` is 4 or 6; `addr` is the textual address (`192.0.2.1`, `2001:db8::1`). */
export interface Endpoint {
  family: 4 | 6;
  addr: string;
  port: number;
}

/** Callbacks a stream's owner installs. */
export interface StreamEvents {
  /** The connection is established (after `connect`). */
  onConnect(): void;
  /** Bytes arrived, in order. The array may be kept by the receiver. */
  onData(data: Uint8Array): void;
  /** Send-buffer space was freed after `write` returned less than asked. */
  onWritable(): void;
  /** The peer closed its sending side (FIN): no more data will arrive. */
  onEnd(): void;
  /** The connection failed: a negative errno (-ECONNREFUSED, -ECONNRESET, -ETIMEDOUT, -EHOSTUNREACH...). */
  onError(err: number): void;
}

/** A connected (or connecting) byte stream. */
export interface StreamConn {
  readonly local: Endpoint;
  readonly remote: Endpoint;
  /** Takes as many bytes as fit in the send buffer now; returns how many (0 when full). */
  write(data: Uint8Array): number;
  /** Bytes the send buffer can take now. */
  writable(): number;
  /** Bytes written but not yet acknowledged by the peer (for SO_NWRITE-like reporting and drains). */
  pending(): number;
  /** Closes the sending side gracefully (FIN) once buffered data is out. */
  end(): void;
  /** Aborts the connection (RST); no more events. */
  destroy(): void;
  /** Replaces the event callbacks (set once by the owner right after creation). */
  setEvents(ev: StreamEvents): void;
  /** Tells the backend how much receive space the owner has (flow control); optional. */
  setReceiveWindow?(bytes: number): void;
  /** Disables Nagle-like coalescing (TCP_NODELAY). */
  setNoDelay?(on: boolean): void;
}

/** A listening TCP endpoint. `local` may change once the backend has bound (port 0). */
export interface Listener {
  readonly local: Endpoint;
  /** A failure found after `listen` returned (e.g. -EADDRINUSE on the host), or 0. */
  readonly error?: number;
  close(): void;
}

/** Callbacks of a datagram endpoint. */
export interface DatagramEvents {
  onDatagram(data: Uint8Array, from: Endpoint): void;
  onError(err: number): void;
}

/** A bound UDP endpoint. */
export interface DatagramConn {
  readonly local: Endpoint;
  /** Sends one datagram; returns 0 or a negative errno (-EMSGSIZE, -EHOSTUNREACH, -ENETDOWN...). */
  send(data: Uint8Array, to: Endpoint): number;
  close(): void;
}

/**
 * One board's view of a network: the backend bound to the board's interface. Calls return a
 * negative errno synchronously when they fail at once; asynchronous outcomes come as events.
 */
export interface NetInterface {
  /** The board's own addresses (IPv4 first), for bind(INADDR_ANY) and getsockname. */
  readonly addrs: readonly Endpoint[];
  /** True for the host backend: time is real and the board talks to the real network. */
  readonly realNetwork: boolean;
  /** Opens a stream to `remote`; outcome via `ev.onConnect` / `ev.onError`. */
  connect(remote: Endpoint, local: Endpoint | null, ev: StreamEvents): StreamConn | number;
  /** Listens on `local` (port 0 picks one); each new connection is handed to `onAccept`. */
  listen(local: Endpoint, backlog: number, onAccept: (conn: StreamConn) => void): Listener | number;
  /** Binds a UDP endpoint. */
  bindUdp(local: Endpoint, ev: DatagramEvents): DatagramConn | number;
  /** Resolves a host name to addresses (DNS, /etc/hosts or the simulated network's names). */
  resolve(host: string, family: 0 | 4 | 6): Promise<Endpoint[] | number>;
}

/** A segment seen on the wire, for captures (`--pcap`). */
export interface WireSegment {
  /** Simulation time (ns) at which it was sent. */
  timeNs: number;
  proto: 'tcp' | 'udp';
  src: Endpoint;
  dst: Endpoint;
  /** TCP only. */
  seq?: number;
  ack?: number;
  /** TCP flag bits: FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10. */
  flags?: number;
  window?: number;
  payload: Uint8Array;
}

/** Receives every segment a backend puts on the wire. */
export interface WireTap {
  segment(s: WireSegment): void;
}
