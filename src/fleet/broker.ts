/**
 * The fleet's embedded broker: aedes on the simulated network, as `startSimBroker` sets it up,
 * plus what a fleet needs on top:
 *
 * - restarts: stop (clients' connections close, the port refuses) and start again after a pause,
 *   with the same in-memory persistence (sessions, subscriptions, queued QoS 1/2 messages and the
 *   QoS 2 receive state survive) or a fresh one;
 * - determinism: aedes draws its first packet id per client with `Math.random()` and its broker
 *   id with `randomUUID()`, and runs keep-alive, connect and drain timeouts on the wall clock. Here
 *   each client starts at packet id 1, broker ids are `zsim-broker-<generation>`, wall-clock
 *   timeouts are off, and keep-alive [MQTT-3.1.2-24] is checked in simulated time;
 * - the broker tap for the ledger (`ledger.ts`): each message accepted, each routing to a board
 *   (online or queued offline), and each PUBLISH written on a connection;
 * - optionally a TLS listener (8883), as `zsim run`'s embedded broker has with the app's
 *   `certs/server.pem` and `server.key` (`src/net/sim/broker_tls.ts`): node:tls terminates TLS
 *   and aedes serves the clear stream, with the same accounting as on 1883;
 * - optionally a websocket listener (9001), as `zsim run`'s for apps built with
 *   CONFIG_MQTT_LIB_WEBSOCKET (`addBrokerWsListener`): the same websocket front (`broker_ws.ts`)
 *   over the connection (`ws`) or over TLS on it (`wss`), aedes serving the MQTT stream inside.
 */
import { Aedes, type AedesOptions, type Client } from 'aedes';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { wsMqttServer, type WsMqttServer } from '../net/broker_ws.ts';
import type { Listener, StreamConn, StreamEvents } from '../net/conn.ts';
import { endpoint } from '../net/sim/addr.ts';
import { toDuplex, type SimDuplex } from '../net/sim/duplex.ts';
import type { SimNetwork } from '../net/sim/network.ts';
import type { SimNode } from '../net/sim/node.ts';
import { HOST_TCP } from '../net/sim/tcp_params.ts';
import { SimTimer } from '../net/sim/timer.ts';
import { installWriteTap, newMemoryPersistence, WRITE_TAP, type AedesPersistence, type TappedPacket } from './aedes_hooks.ts';
import type { Ledger } from './ledger.ts';

/** aedes' internals this module relies on (present in aedes 1.x, not in its types). */
interface ClientInternals {
  _nextId: number;
  subscriptions: Record<string, { qos?: number } | undefined>;
}

interface ConnRecord {
  client: Client;
  /** The board end of the connection (`addr:port`), as the board's tap names it. */
  key: string;
  slot: number;
  keepaliveNs: number;
  lastNs: number;
  /** From CONNECT, once it arrived. */
  clientId: string;
}

export interface FleetBrokerOptions {
  addr: string;
  port: number;
  /** Listen backlog: the whole fleet may connect at the same instant. */
  backlog: number;
  ledger: Ledger;
  /** Board slot of a remote address (-2 when not a board). */
  slotOfAddr(addr: string): number;
  trace?: (event: string, detail: Record<string, unknown>) => void;
  /** A TLS listener too: server certificate and key; with `ca`, client certificates are required. */
  tls?: { cert: Buffer | string; key: Buffer | string; ca?: Buffer | string; port?: number };
  /**
   * A websocket listener too (MQTT over WebSocket, 9001 by default); with `secure` over TLS (wss,
   * with the certificate of `tls`, which must be given).
   */
  ws?: { port?: number; secure: boolean };
}

/**
 * Largest delay a Node timer takes: aedes' wall-clock timers are pushed out of any run's reach.
 * A quarter of it, because aedes runs its will sweep every 4 heartbeat intervals.
 */
const NEVER_MS = Math.floor((2 ** 31 - 1) / 4);
/** Broker id given to stored PUBRELs (see `hook`). */
const PUBREL_ID = 'zsim-pubrel';
/** Keep-alive is checked this often, in simulated time. */
const SWEEP_NS = 1e9;

export class FleetBroker {
  readonly node: SimNode;
  aedes: Aedes | null = null;
  generation = 0;
  private persistence: AedesPersistence;
  private listeners: Listener[] = [];
  private readonly secure: tls.SecureContext | null;
  /** The websocket front of the running instance (with `ws`). */
  private front: WsMqttServer | null = null;
  /** Websocket connections waiting for their HTTP upgrade, by the stream the front reads. */
  private readonly upgrading = new WeakMap<Duplex, ConnRecord>();
  /** By the stream aedes serves: the connection's duplex, or the TLS socket over it. */
  private readonly conns = new Map<Duplex, ConnRecord>();
  private readonly slotOfClientId = new Map<string, number>();
  private readonly genOfId = new Map<string, number>();
  /** Next packet id towards each client id, kept with the sessions. */
  private nextIds = new Map<string, number>();
  private readonly sweep: SimTimer;

  constructor(
    private readonly net: SimNetwork,
    private readonly opts: FleetBrokerOptions,
  ) {
    this.node = net.lookup(opts.addr) ?? net.addNode({ name: 'broker', addrs: [opts.addr], tcp: { ...HOST_TCP } });
    this.persistence = newMemoryPersistence();
    this.sweep = new SimTimer(net.sim, () => this.checkKeepalive());
    const t = opts.tls;
    this.secure = t ? tls.createSecureContext({ cert: t.cert, key: t.key, ca: t.ca }) : null;
    installWriteTap();
  }

  get running(): boolean {
    return this.aedes !== null;
  }

  /** Starts aedes and listens. `fresh` drops every session kept by the previous instance. */
  async start(fresh = false): Promise<void> {
    if (fresh) {
      this.persistence = newMemoryPersistence();
      this.nextIds = new Map();
      this.opts.ledger.sessionsDropped();
    }
    const id = `zsim-broker-${this.generation++}`;
    const options: AedesOptions = {
      id,
      persistence: this.persistence,
      heartbeatInterval: NEVER_MS,
      connectTimeout: NEVER_MS,
      drainTimeout: 0,
      preConnect: (client, packet, cb) => {
        // Keep-alive runs in simulated time (checkKeepalive), not on aedes' wall-clock timer.
        const rec = this.recordOf(client);
        if (rec) {
          rec.keepaliveNs = (packet.keepalive ?? 0) * 1e9;
          rec.clientId = packet.clientId;
        }
        packet.keepalive = 0;
        // Packet ids go on where the session's last connection left them, so a new message never
        // takes the id of one still queued from before [MQTT-2.3.1-2].
        const next = packet.clean ? undefined : this.nextIds.get(packet.clientId);
        (client as unknown as ClientInternals)._nextId = next ?? 1;
        cb(null, true);
      },
      authorizeForward: (client, packet) => {
        const p = packet as unknown as TappedPacket;
        if (p.brokerId !== undefined) {
          const sub = (client as unknown as ClientInternals).subscriptions[p.topic];
          // aedes downgrades to the subscription's QoS the same way (lib/client.js, deliverQoS).
          const qos = sub && (sub.qos ?? 0) < p.qos ? (sub.qos ?? 0) : p.qos;
          this.opts.ledger.brokerRoute(this.keyOf(p.brokerId, p.brokerCounter!), this.slotOfClient(client), qos);
        }
        return packet;
      },
    };
    const aedes = await Aedes.createBroker(options);
    this.hook(aedes);
    this.aedes = aedes;
    const l = this.node.listen(endpoint(this.opts.addr, this.opts.port), this.opts.backlog, (conn) => this.accept(conn, false));
    if (typeof l === 'number') throw new Error(`the embedded broker cannot listen on ${this.opts.addr}:${this.opts.port} (${l})`);
    this.listeners.push(l);
    if (this.secure) {
      const port = this.opts.tls!.port ?? 8883;
      const s = this.node.listen(endpoint(this.opts.addr, port), this.opts.backlog, (conn) => this.accept(conn, true));
      if (typeof s === 'number') throw new Error(`the embedded broker cannot listen for TLS on ${this.opts.addr}:${port} (${s})`);
      this.listeners.push(s);
    }
    const ws = this.opts.ws;
    if (ws) {
      if (ws.secure && !this.secure) throw new Error('the embedded broker has no TLS certificate for wss');
      const front = wsMqttServer((mqtt, socket) => {
        const rec = this.upgrading.get(socket);
        this.upgrading.delete(socket);
        if (rec) this.serve(mqtt, rec);
        else mqtt.destroy();
      });
      this.front = front;
      const port = ws.port ?? 9001;
      const w = this.node.listen(endpoint(this.opts.addr, port), this.opts.backlog, (conn) => this.accept(conn, ws.secure, front));
      if (typeof w === 'number') throw new Error(`the embedded broker cannot listen for websocket on ${this.opts.addr}:${port} (${w})`);
      this.listeners.push(w);
    }
    this.opts.trace?.('broker_start', { id });
  }

  /** Closes every client connection and stops listening; connections to the port are refused. */
  async stop(): Promise<void> {
    const aedes = this.aedes;
    if (!aedes) return;
    this.aedes = null;
    for (const l of this.listeners.splice(0)) l.close();
    this.sweep.stop();
    await new Promise<void>((r) => aedes.close(() => r()));
    // Connections still in their HTTP upgrade (aedes closed the others).
    this.front?.close();
    this.front = null;
    this.conns.clear();
    this.opts.trace?.('broker_stop', { id: aedes.id });
  }

  /**
   * Publishes from the broker itself (a scenario `publish`), as an application connected to it
   * would. The network's host gate holds time until aedes has written to every subscriber.
   */
  publish(topic: string, payload: string, qos: 0 | 1 | 2, retain: boolean): boolean {
    const aedes = this.aedes;
    if (!aedes) return false;
    this.net.gate.poke();
    aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain, dup: false }, () => {});
    return true;
  }

  /**
   * A number for aedes' message id (broker id, counter): the counter restarts with each broker
   * instance, and a number is cheaper than a string per message.
   */
  private keyOf(brokerId: string, counter: number): number {
    let g = this.genOfId.get(brokerId);
    if (g === undefined) this.genOfId.set(brokerId, (g = this.genOfId.size));
    return g * 4294967296 + counter;
  }

  private recordOf(client: Client): ConnRecord | undefined {
    return this.conns.get(client.conn as Duplex);
  }

  private slotOfClient(client: Client): number {
    return this.recordOf(client)?.slot ?? this.slotOfClientId.get(client.id) ?? -2;
  }

  /** A connection to one of the listeners: TLS over it when `secure`, a websocket inside with `front`. */
  private accept(conn: StreamConn, secure: boolean, front: WsMqttServer | null = null): void {
    const aedes = this.aedes;
    if (!aedes) {
      conn.destroy();
      return;
    }
    const now = (): number => this.net.sim.clock.now();
    const rec: ConnRecord = {
      client: null as unknown as Client,
      key: `${conn.remote.addr}:${conn.remote.port}`,
      slot: this.opts.slotOfAddr(conn.remote.addr),
      keepaliveNs: 0,
      lastNs: now(),
      clientId: '',
    };
    // Activity for keep-alive: any bytes from the client. The duplex installs its callbacks with
    // setEvents; wrap them as they go in.
    const setEvents = conn.setEvents.bind(conn);
    conn.setEvents = (ev: StreamEvents): void =>
      setEvents({
        ...ev,
        onData: (d) => {
          rec.lastNs = now();
          ev.onData(d);
        },
      });
    const duplex: SimDuplex = toDuplex(conn);
    let stream: Duplex = duplex;
    if (secure) {
      const sock = new tls.TLSSocket(duplex, {
        isServer: true,
        secureContext: this.secure!,
        requestCert: this.opts.tls!.ca !== undefined,
        rejectUnauthorized: this.opts.tls!.ca !== undefined,
      });
      // A failed handshake is the board's to report; the broker just drops the connection.
      sock.on('error', () => sock.destroy());
      stream = sock;
    }
    if (front) {
      // aedes gets the MQTT stream inside the websocket once the front answered the upgrade.
      this.upgrading.set(stream, rec);
      front.accept(stream);
      return;
    }
    this.serve(stream, rec);
  }

  /** Hands aedes the MQTT stream of a connection, tapped for the ledger. */
  private serve(stream: Duplex, rec: ConnRecord): void {
    const aedes = this.aedes;
    if (!aedes) {
      stream.destroy();
      return;
    }
    const ledger = this.opts.ledger;
    (stream as unknown as Record<symbol, unknown>)[WRITE_TAP] = (p: TappedPacket): void => {
      if (p.cmd === 'publish' && p.brokerId !== undefined) ledger.brokerWrite(rec.key, this.keyOf(p.brokerId, p.brokerCounter!));
    };
    this.conns.set(stream, rec);
    const client = aedes.handle(stream);
    rec.client = client;
    // Deterministic packet ids towards this client (aedes starts at a random one); preConnect
    // continues the session's sequence.
    (client as unknown as ClientInternals)._nextId = 1;
    stream.once('close', () => {
      if (rec.clientId !== '') this.nextIds.set(rec.clientId, (client as unknown as ClientInternals)._nextId);
      if (this.conns.get(stream) === rec) this.conns.delete(stream);
    });
    if (!this.sweep.armed) this.sweep.start(SWEEP_NS);
  }

  /** [MQTT-3.1.2-24]: a client silent for 1.5 keep-alive periods is disconnected. */
  private checkKeepalive(): void {
    const now = this.net.sim.clock.now();
    let any = false;
    for (const rec of this.conns.values()) {
      if (rec.keepaliveNs <= 0) continue;
      any = true;
      if (now - rec.lastNs > rec.keepaliveNs * 1.5 && !rec.client.closed) {
        this.net.gate.poke();
        this.opts.trace?.('keepalive_timeout', { client: rec.client.id });
        this.aedes?.emit('keepaliveTimeout', rec.client);
        rec.client.emit('error', new Error('keep alive timeout'));
      }
    }
    if (any || this.conns.size > 0) this.sweep.start(SWEEP_NS);
  }

  /** Wraps aedes' publish and the persistence's offline queue to tell the ledger. */
  private hook(aedes: Aedes): void {
    const ledger = this.opts.ledger;
    const inner = aedes as unknown as { counter: number; id: string; publish: (p: TappedPacket, c: Client | null, done?: unknown) => void };
    const publish = inner.publish;
    inner.publish = (packet: TappedPacket, client: Client | null, done?: unknown): void => {
      // aedes numbers the message synchronously on entry (new Packet: ++broker.counter), before any
      // delivery can start, so the key is known here; system topics are not application traffic.
      const sys = typeof packet.topic !== 'string' || packet.topic.startsWith('$SYS/');
      if (!sys) {
        const key = packet.brokerId !== undefined ? this.keyOf(packet.brokerId, packet.brokerCounter!) : this.keyOf(inner.id, inner.counter + 1);
        const slot = client === null || typeof client === 'function' ? -1 : this.slotOfClient(client);
        ledger.brokerMessage(key, slot, packet.qos ?? 0, packet.messageId ?? 0);
      }
      publish.call(aedes, packet, client, done);
    };
    aedes.on('client', (client) => {
      const slot = this.slotOfClient(client);
      if (slot >= 0) this.slotOfClientId.set(client.id, slot);
    });
    const p = this.persistence;
    if (!p.zsimHooked) {
      p.zsimHooked = true;
      // aedes-persistence 11's memory outgoingUpdate matches a PUBREL (which has no broker id)
      // with the first queued entry that has no broker id either: another PUBREL. With two QoS 2
      // messages between PUBREC and PUBCOMP, the second PUBREL renames the first instead of
      // replacing its own PUBLISH, which then stays queued and is sent again after the next
      // reconnect: a QoS 2 duplicate. A broker id of their own keeps PUBRELs apart.
      const update = p.outgoingUpdate.bind(p);
      p.outgoingUpdate = (client, packet) => {
        if (packet.cmd === 'pubrel' && packet.brokerId === undefined) {
          packet.brokerId = PUBREL_ID;
          packet.brokerCounter = -(packet.messageId ?? 0);
        }
        return update(client, packet);
      };
      const enqueue = p.outgoingEnqueueCombi.bind(p);
      p.outgoingEnqueueCombi = (subs, packet) => {
        if (packet.brokerId !== undefined) {
          const key = this.keyOf(packet.brokerId, packet.brokerCounter!);
          for (const s of subs) {
            const slot = this.slotOfClientId.get(s.clientId);
            if (slot !== undefined) ledger.brokerRoute(key, slot, Math.min(s.qos ?? 0, packet.qos));
          }
        }
        return enqueue(subs, packet);
      };
    }
  }
}
