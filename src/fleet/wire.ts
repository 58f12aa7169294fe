/**
 * The board-side tap: every stream a board opens is wrapped so that the MQTT packets crossing it,
 * in both directions, are seen by the fleet's ledger at the board's own wire time (what the board
 * sent, what actually reached it). It works the same on the simulated network and on the host
 * network (`--broker`), because it sits between the socket layer and the backend.
 *
 * Only the fixed header and the few fields accounting needs are decoded (CONNECT's clean-session
 * flag and protocol level, CONNACK, PUBLISH's QoS, DUP, packet id, and topic and payload when asked,
 * acknowledgement ids); the board's own MQTT client does the real decoding.
 *
 * MQTT over WebSocket is read inside its frames (`ws_frames.ts`): a stream whose first bytes from
 * the board are an HTTP request (`GET`, which no MQTT stream starts with: its first packet is a
 * CONNECT) is a websocket, on any port, in the clear or inside TLS.
 */
import type { DatagramConn, DatagramEvents, Endpoint, Listener, NetInterface, StreamConn, StreamEvents } from '../net/conn.ts';
import type { TlsLayeredStream } from '../net/tls.ts';
import { WsDeframer } from './ws_frames.ts';

/** MQTT control packet types (high nibble of the first byte). */
export const CONNECT = 1;
export const CONNACK = 2;
export const PUBLISH = 3;
export const PUBACK = 4;
export const PUBREC = 5;
export const PUBREL = 6;
export const PUBCOMP = 7;
export const DISCONNECT = 14;

/**
 * A PUBLISH as the tap saw it. `topic` and `payload` are only filled when the sink wants content.
 * The object is reused for the next packet: a sink copies what it keeps.
 */
export interface WirePublish {
  qos: 0 | 1 | 2;
  dup: boolean;
  retain: boolean;
  pid: number;
  topic: string;
  payload: Uint8Array | null;
}

/** Receives what the taps of one board see. `out` is board-to-network, `in` network-to-board. */
export interface WireSink {
  /** Whether PUBLISH topic and payload must be decoded (content matching without a broker tap). */
  readonly wantContent: boolean;
  /**
   * `n` MQTT bytes crossed the wire; `tls`: inside TLS (the clear stream, not the records); `ws`:
   * inside websocket frames (their payload, not the frame headers nor the HTTP upgrade).
   */
  bytes(dir: 'in' | 'out', n: number, tls: boolean, ws: boolean): void;
  /** A connection opened (TCP established): `conn` names it from now on. */
  opened(conn: WireConnKey): void;
  connect(clean: boolean): void;
  connack(returnCode: number, sessionPresent: boolean, conn: WireConnKey): void;
  publish(dir: 'in' | 'out', p: WirePublish, conn: WireConnKey): void;
  ack(dir: 'in' | 'out', type: number, pid: number): void;
  /** The connection closed (either side), or failed. Called once. */
  closed(conn: WireConnKey): void;
}

/** Identifies a connection by the board's end (`addr:port`), which the broker sees as remote. */
export interface WireConnKey {
  key: string;
}

const TD = new TextDecoder();
/** 'G' of `GET`: the board's first byte on a websocket (an MQTT stream starts with CONNECT, 0x10). */
const HTTP_GET = 0x47;

/** Splits a byte stream into MQTT packets and reports the interesting ones. */
// One record every framer fills in turn: the sink reads it before the framer returns.
const SCRATCH_PUB: WirePublish = { qos: 0, dup: false, retain: false, pid: 0, topic: '', payload: null };

class Framer {
  private pend: Uint8Array | null = null;
  /** MQTT protocol level of the connection (4 = 3.1.1, 5 = 5.0), from CONNECT. */
  level = 4;

  constructor(
    private readonly dir: 'in' | 'out',
    private readonly sink: WireSink,
    private readonly conn: WireConnKey,
  ) {}

  feed(data: Uint8Array): void {
    let buf = data;
    if (this.pend !== null) {
      const joined = new Uint8Array(this.pend.length + data.length);
      joined.set(this.pend);
      joined.set(data, this.pend.length);
      buf = joined;
      this.pend = null;
    }
    let pos = 0;
    while (pos < buf.length) {
      // Fixed header: type/flags, then the remaining length in 1..4 bytes of 7 bits.
      let len = 0;
      let mult = 1;
      let i = pos + 1;
      let complete = false;
      for (let n = 0; n < 4 && i < buf.length; n++) {
        const b = buf[i++]!;
        len += (b & 0x7f) * mult;
        mult *= 128;
        if ((b & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || i + len > buf.length) break;
      this.packet(buf[pos]!, buf, i, i + len);
      pos = i + len;
    }
    if (pos < buf.length) this.pend = buf.slice(pos);
  }

  private packet(b0: number, buf: Uint8Array, start: number, end: number): void {
    const type = b0 >> 4;
    const s = this.sink;
    switch (type) {
      case PUBLISH: {
        const qos = ((b0 >> 1) & 3) as 0 | 1 | 2;
        const tlen = (buf[start]! << 8) | buf[start + 1]!;
        let p = start + 2 + tlen;
        let pid = 0;
        if (qos > 0) {
          pid = (buf[p]! << 8) | buf[p + 1]!;
          p += 2;
        }
        let topic = '';
        let payload: Uint8Array | null = null;
        if (s.wantContent) {
          topic = TD.decode(buf.subarray(start + 2, start + 2 + tlen));
          if (this.level === 5) p = skipVarintBlock(buf, p);
          payload = buf.slice(p, end);
        }
        const pub = SCRATCH_PUB;
        pub.qos = qos;
        pub.dup = (b0 & 8) !== 0;
        pub.retain = (b0 & 1) !== 0;
        pub.pid = pid;
        pub.topic = topic;
        pub.payload = payload;
        s.publish(this.dir, pub, this.conn);
        return;
      }
      case PUBACK:
      case PUBREC:
      case PUBREL:
      case PUBCOMP:
        if (end - start >= 2) s.ack(this.dir, type, (buf[start]! << 8) | buf[start + 1]!);
        return;
      case CONNECT: {
        // Protocol name (2 + n bytes), level, flags.
        const nlen = (buf[start]! << 8) | buf[start + 1]!;
        this.level = buf[start + 2 + nlen]!;
        const flags = buf[start + 3 + nlen]!;
        s.connect((flags & 2) !== 0);
        return;
      }
      case CONNACK:
        s.connack(buf[start + 1] ?? 255, ((buf[start] ?? 0) & 1) !== 0, this.conn);
        return;
      default:
        return;
    }
  }
}

function skipVarintBlock(buf: Uint8Array, p: number): number {
  let len = 0;
  let mult = 1;
  for (let n = 0; n < 4 && p < buf.length; n++) {
    const b = buf[p++]!;
    len += (b & 0x7f) * mult;
    mult *= 128;
    if ((b & 0x80) === 0) break;
  }
  return p + len;
}

/**
 * A `StreamConn` whose traffic is reported to a sink; everything else passes through. It is also
 * the event receiver the backend calls, forwarding to the owner (which `setEvents` replaces), so
 * the tap sees every event from the first one on.
 */
class TappedConn implements StreamConn, StreamEvents, TlsLayeredStream {
  private inner!: StreamConn;
  private readonly key: WireConnKey = { key: '' };
  private out: Framer;
  private inp: Framer;
  private done = false;
  /** True once TLS is set up: the tap then reads the clear stream above it. */
  private tls = false;
  /** Whether the board wrote on the (clear) stream yet: its first byte tells a websocket. */
  private started = false;
  /** With MQTT over WebSocket: the frame readers of each direction, which feed the framers. */
  private wsOut: WsDeframer | null = null;
  private wsIn: WsDeframer | null = null;

  constructor(
    private readonly sink: WireSink,
    private owner: StreamEvents,
  ) {
    this.out = new Framer('out', sink, this.key);
    this.inp = new Framer('in', sink, this.key);
  }

  /** Binds the backend's stream (right after `connect` returned it, before any event). */
  attach(inner: StreamConn): void {
    this.inner = inner;
    this.key.key = `${inner.local.addr}:${inner.local.port}`;
  }

  get local(): Endpoint {
    return this.inner.local;
  }

  get remote(): Endpoint {
    return this.inner.remote;
  }

  // ---- StreamEvents (from the backend) ----

  onConnect(): void {
    // A host socket learns its local port only now.
    this.key.key = `${this.inner.local.addr}:${this.inner.local.port}`;
    this.sink.opened(this.key);
    this.owner.onConnect();
  }

  onData(d: Uint8Array): void {
    if (this.wsIn !== null) this.wsIn.feed(d);
    else this.received(d, false);
    this.owner.onData(d);
  }

  /** MQTT bytes that reached the board. */
  private received(d: Uint8Array, ws: boolean): void {
    this.sink.bytes('in', d.length, this.tls, ws);
    // Once the board has closed the connection, what still comes in never reaches its app (the
    // socket is gone): not a delivery. Its bytes did reach the board.
    if (!this.done) {
      this.inp.level = this.out.level;
      this.inp.feed(d);
    }
  }

  /** MQTT bytes the board sent. */
  private sent(d: Uint8Array, ws: boolean): void {
    this.sink.bytes('out', d.length, this.tls, ws);
    this.out.feed(d);
  }

  onWritable(): void {
    this.owner.onWritable();
  }

  onEnd(): void {
    this.close();
    this.owner.onEnd();
  }

  onError(e: number): void {
    this.close();
    this.owner.onError(e);
  }

  private close(): void {
    if (this.done) return;
    this.done = true;
    this.sink.closed(this.key);
  }

  // ---- StreamConn (from the owner) ----

  write(data: Uint8Array): number {
    const n = this.inner.write(data);
    if (n > 0) {
      const d = n === data.length ? data : data.subarray(0, n);
      if (!this.started) {
        this.started = true;
        if (d[0] === HTTP_GET) {
          this.wsOut = new WsDeframer((p) => this.sent(p, true));
          this.wsIn = new WsDeframer((p) => this.received(p, true));
        }
      }
      if (this.wsOut !== null) this.wsOut.feed(d);
      else this.sent(d, false);
    }
    return n;
  }

  writable(): number {
    return this.inner.writable();
  }

  pending(): number {
    return this.inner.pending();
  }

  end(): void {
    this.close();
    this.inner.end();
  }

  destroy(): void {
    this.close();
    this.inner.destroy();
  }

  setEvents(ev: StreamEvents): void {
    this.owner = ev;
  }

  setReceiveWindow(bytes: number): void {
    this.inner.setReceiveWindow?.(bytes);
  }

  setNoDelay(on: boolean): void {
    this.inner.setNoDelay?.(on);
  }

  // ---- TLS (src/net/tls.ts): the tap watches the clear MQTT stream, not the TLS records ----

  tlsInner(): StreamConn {
    // node:tls takes the backend's stream over; the handshake's bytes are not MQTT.
    return this.inner;
  }

  tlsSecured(clear: StreamConn): StreamConn {
    this.inner = clear;
    this.tls = true;
    this.out = new Framer('out', this.sink, this.key);
    this.inp = new Framer('in', this.sink, this.key);
    this.started = false;
    this.wsOut = this.wsIn = null;
    clear.setEvents(this);
    return this;
  }
}

/**
 * A board's network interface with its streams tapped. `redirect` (for `--broker`) sends the
 * board's connections to `peer:port` to the real broker instead.
 */
export class TappedInterface implements NetInterface {
  constructor(
    private readonly inner: NetInterface,
    private readonly sink: WireSink,
    private readonly redirect: { addr: string; ports: readonly number[]; to: Endpoint } | null = null,
  ) {}

  get addrs(): readonly Endpoint[] {
    return this.inner.addrs;
  }

  get realNetwork(): boolean {
    return this.inner.realNetwork;
  }

  connect(remote: Endpoint, local: Endpoint | null, ev: StreamEvents): StreamConn | number {
    const r = this.redirect;
    const to = r !== null && remote.addr === r.addr && r.ports.includes(remote.port) ? r.to : remote;
    const tapped = new TappedConn(this.sink, ev);
    const c = this.inner.connect(to, local, tapped);
    if (typeof c === 'number') return c;
    tapped.attach(c);
    return tapped;
  }

  listen(local: Endpoint, backlog: number, onAccept: (conn: StreamConn) => void): Listener | number {
    return this.inner.listen(local, backlog, onAccept);
  }

  bindUdp(local: Endpoint, ev: DatagramEvents): DatagramConn | number {
    return this.inner.bindUdp(local, ev);
  }

  resolve(host: string, family: 0 | 4 | 6): Promise<Endpoint[] | number> {
    return this.inner.resolve(host, family);
  }
}
