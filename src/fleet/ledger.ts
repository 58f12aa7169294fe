/**
 * Delivery accounting for a fleet: every application message (a PUBLISH that a board or the
 * scenario originates; resends are not new messages) and every delivery of it to a board.
 *
 * Facts come from the boards' wires (`wire.ts`: what each board sent and what reached it, at its
 * own time) and, with the embedded broker, from the broker (`broker.ts`: which message each
 * accepted PUBLISH is, which boards it is routed to, and which message each PUBLISH written on a
 * connection carries, so the board end of that connection knows what it received). With
 * `--broker` there is no broker tap: deliveries are matched to board messages by topic and
 * payload. The words of the report (published, delivered, duplicated, lost, in flight) are
 * defined in docs/fleet.md, "Delivery accounting", and implemented here.
 */
import { Histogram } from './histogram.ts';
import { PUBACK, PUBREC, PUBREL, type WireConnKey, type WirePublish, type WireSink } from './wire.ts';

/** One application message. */
class Msg {
  accepted = false;
  /** Simulation time the broker first routed it, or -1. */
  routedNs = -1;
  /** Per board: low 4 bits 0 = not routed there, 1 = expected, n >= 2 = arrived n-1 times; bits 4-5 QoS. */
  obl: Uint8Array | null = null;
  pending = 0;
  /** Packet id at the publisher (QoS >= 1 board messages), for forgetting it once settled. */
  pid = 0;
  constructor(
    readonly qos: number,
    /** Publishing board's slot; -1 scenario, -2 unknown (external client). */
    readonly origin: number,
    readonly firstNs: number,
    /** Publisher's boot generation at its last send (a reboot loses its outbox). */
    public gen: number,
  ) {}
}

/** Counters per QoS (index 0..2). */
export interface QosCounters {
  published: number[];
  delivered: number[];
  duplicated: number[];
  lost: number[];
  inFlight: number[];
}

export interface LedgerTrace {
  (event: string, slot: number, detail?: Record<string, unknown>): void;
}

const zeros = (): number[] => [0, 0, 0];
/** Board messages remembered by content with `--broker` (a delivery later than that is not matched). */
const CONTENT_MEMORY = 100_000;

export class Ledger {
  readonly q: QosCounters = { published: zeros(), delivered: zeros(), duplicated: zeros(), lost: zeros(), inFlight: zeros() };
  readonly latency = new Histogram();
  retransmissions = 0;
  /** Messages the scenario published (through the embedded broker), per QoS; also in `q.published`. */
  readonly scenarioPublished = zeros();
  /** The part of `bytesOut` / `bytesIn` that went inside TLS (MQTT bytes, not TLS records). */
  tlsBytesOut = 0;
  tlsBytesIn = 0;
  /** The part of `bytesOut` / `bytesIn` that went inside websocket frames (their payload). */
  wsBytesOut = 0;
  wsBytesIn = 0;
  bytesOut = 0;
  bytesIn = 0;
  connects = 0;
  reconnects = 0;
  disconnects = 0;
  connectedNow = 0;
  /** First time every board was connected at once, ns, or -1. */
  allConnectedNs = -1;
  /** Set by `finish()`. */
  finished = false;

  private readonly gen: Int32Array;
  private readonly halted: Uint8Array;
  private readonly everConnected: Uint8Array;
  private readonly connected: Uint8Array;
  private readonly cleanAsked: Uint8Array;
  private readonly sessionClean: Uint8Array;
  private readonly sessionLostNs: Float64Array;
  private readonly curConn: (string | null)[];
  private readonly pubIndex: (Map<number, Msg> | undefined)[];
  private readonly awaiting2: (Set<number> | undefined)[];
  /** Messages not settled yet (not accepted, or deliveries pending). */
  private readonly open = new Set<Msg>();
  /** Broker message key -> message, for messages routed to some board (kept for duplicate checks). */
  private readonly routed = new Map<number, Msg>();
  /** Broker message key -> message, recent ones not routed (yet); two generations, swapped when full. */
  private recent = new Map<number, Msg>();
  private older = new Map<number, Msg>();
  /** Board-end connection key -> messages the broker wrote on it, in order, not yet arrived. */
  private readonly fifos = new Map<string, (Msg | null)[]>();
  /** With `--broker`: topic + payload -> latest board-originated message with that content. */
  private readonly byContent = new Map<string, Msg>();

  constructor(
    readonly slots: number,
    private readonly now: () => number,
    /** True when there is a broker-side tap (embedded broker). */
    readonly brokerTap: boolean,
    private readonly trace: LedgerTrace | null = null,
    /**
     * False once the run is over: the sockets the end of a run closes are not disconnects, so
     * the counts stay those of the last simulated instant.
     */
    readonly live: () => boolean = () => true,
  ) {
    this.gen = new Int32Array(slots);
    this.halted = new Uint8Array(slots);
    this.everConnected = new Uint8Array(slots);
    this.connected = new Uint8Array(slots);
    this.cleanAsked = new Uint8Array(slots);
    this.sessionClean = new Uint8Array(slots);
    this.sessionLostNs = new Float64Array(slots).fill(-1);
    this.curConn = new Array<string | null>(slots).fill(null);
    this.pubIndex = new Array<Map<number, Msg> | undefined>(slots);
    this.awaiting2 = new Array<Set<number> | undefined>(slots);
  }

  /** The tap callbacks of board `slot`. */
  sink(slot: number): WireSink {
    return new BoardSink(this, slot);
  }

  // ---- boards ----

  /** Board `slot` booted (again): its app's state (outbox, QoS 2 receive state) is new. */
  boot(slot: number): void {
    this.gen[slot]!++;
    this.pubIndex[slot] = undefined;
    this.awaiting2[slot] = undefined;
    if (this.gen[slot]! > 1) this.trace?.('reboot', slot);
  }

  /** Board `slot` stopped for good (its app finished, or a fatal error). */
  halt(slot: number): void {
    this.halted[slot] = 1;
  }

  /** The broker forgot every session (restart without persistence). */
  sessionsDropped(): void {
    this.sessionLostNs.fill(this.now());
  }

  // ---- from the boards' wires ----

  /** @internal */
  onConnect(slot: number, clean: boolean): void {
    this.cleanAsked[slot] = clean ? 1 : 0;
  }

  /** @internal */
  onConnack(slot: number, rc: number, sessionPresent: boolean, conn: string): void {
    if (rc !== 0) return;
    this.connects++;
    if (this.everConnected[slot]) this.reconnects++;
    this.everConnected[slot] = 1;
    if (!this.connected[slot]) this.connectedNow++;
    this.connected[slot] = 1;
    this.curConn[slot] = conn;
    this.sessionClean[slot] = this.cleanAsked[slot]!;
    if (!sessionPresent) this.sessionLostNs[slot] = this.now();
    if (this.connectedNow === this.slots && this.allConnectedNs < 0) this.allConnectedNs = this.now();
    this.trace?.('connect', slot, { session: sessionPresent ? 'resumed' : 'new' });
  }

  /** @internal */
  onOpen(conn: string): void {
    if (this.brokerTap) this.fifos.set(conn, []);
  }

  /** @internal */
  onClosed(slot: number, conn: string): void {
    this.fifos.delete(conn);
    if (this.curConn[slot] !== conn) return;
    this.curConn[slot] = null;
    if (this.connected[slot]) {
      this.connected[slot] = 0;
      this.connectedNow--;
      this.disconnects++;
      this.trace?.('disconnect', slot);
    }
    // A clean session ends with its connection [MQTT-3.1.2-6].
    if (this.sessionClean[slot]) this.sessionLostNs[slot] = this.now();
  }

  /** @internal a board sent a PUBLISH. */
  onPublishOut(slot: number, p: WirePublish): void {
    const now = this.now();
    if (p.qos === 0) {
      this.q.published[0]!++;
      if (!this.brokerTap && p.payload) this.remember(p, new Msg(0, slot, now, this.gen[slot]!));
      return;
    }
    let idx = this.pubIndex[slot];
    if (idx === undefined) idx = this.pubIndex[slot] = new Map();
    if (p.dup) {
      // A resend (spec 4.4): of a message still open, or of one already settled and forgotten.
      this.retransmissions++;
      const old = idx.get(p.pid);
      if (old !== undefined) old.gen = this.gen[slot]!;
      return;
    }
    const m = new Msg(p.qos, slot, now, this.gen[slot]!);
    m.pid = p.pid;
    this.q.published[p.qos]!++;
    idx.set(p.pid, m);
    this.open.add(m);
    if (!this.brokerTap && p.payload) this.remember(p, m);
  }

  /** Indexes a board's message by content (`--broker`), forgetting the oldest beyond a bound. */
  private remember(p: WirePublish, m: Msg): void {
    const key = contentKey(p);
    this.byContent.delete(key);
    this.byContent.set(key, m);
    if (this.byContent.size > CONTENT_MEMORY) this.byContent.delete(this.byContent.keys().next().value!);
  }

  /** @internal a board received an acknowledgement of its own PUBLISH. */
  onAckIn(slot: number, type: number, pid: number): void {
    if (type === PUBREL) {
      this.awaiting2[slot]?.delete(pid);
      return;
    }
    if (type !== PUBACK && type !== PUBREC) return;
    const m = this.pubIndex[slot]?.get(pid);
    if (m) this.accept(m);
  }

  /** @internal a PUBLISH reached a board. */
  onPublishIn(slot: number, p: WirePublish, conn: string): void {
    let m: Msg | null = null;
    if (this.brokerTap) {
      const fifo = this.fifos.get(conn);
      m = fifo !== undefined && fifo.length > 0 ? fifo.shift()! : null;
    } else if (p.payload) {
      m = this.byContent.get(contentKey(p)) ?? null;
    }
    if (p.qos === 2) {
      let set = this.awaiting2[slot];
      if (set === undefined) set = this.awaiting2[slot] = new Set();
      // The broker resending a PUBLISH the board holds unreleased: the protocol, not an arrival.
      if (set.has(p.pid)) return;
      set.add(p.pid);
    }
    if (m === null) {
      // Not a message the fleet saw sent (with --broker, one from outside the fleet): delivered,
      // but with no send time, so not timed; the summary's latency line says how many.
      this.q.delivered[p.qos]!++;
      return;
    }
    if (m.obl === null) m.obl = new Uint8Array(this.slots);
    const st = m.obl[slot]!;
    const n = st & 15;
    if (n <= 1) {
      this.q.delivered[p.qos]!++;
      this.latency.add((this.now() - m.firstNs) / 1000);
      if (n === 1) {
        m.pending--;
        this.settle(m);
      }
    } else {
      this.q.duplicated[p.qos]!++;
      this.trace?.('duplicate', slot, { qos: p.qos, pid: p.pid, dup: p.dup, origin: m.origin, published_ns: m.firstNs });
    }
    m.obl[slot] = Math.min(15, Math.max(2, n + 1)) | (p.qos << 4);
  }

  // ---- from the embedded broker ----

  /**
   * The broker accepted a message (`key`: a number standing for its broker id and counter, see
   * `FleetBroker.keyOf`). `slot` is the publishing
   * board (-1 for the scenario, -2 for a client that is not a board); `pid` its packet id.
   */
  brokerMessage(key: number, slot: number, qos: number, pid: number): void {
    let m: Msg | undefined;
    if (slot >= 0 && qos > 0) m = this.pubIndex[slot]?.get(pid);
    if (m === undefined) {
      m = new Msg(qos, slot, this.now(), slot >= 0 ? this.gen[slot]! : 0);
      if (slot === -1) {
        this.q.published[qos]!++;
        this.scenarioPublished[qos]!++;
      }
    }
    this.accept(m);
    if (this.recent.size >= 20000) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(key, m);
  }

  private lookup(key: number): Msg | undefined {
    return this.routed.get(key) ?? this.recent.get(key) ?? this.older.get(key);
  }

  /** The broker routed message `key` to board `slot` at `qos` (online, or queued offline). */
  brokerRoute(key: number, slot: number, qos: number): void {
    const m = this.lookup(key);
    if (m === undefined || slot < 0) return;
    if (m.obl === null) m.obl = new Uint8Array(this.slots);
    if ((m.obl[slot]! & 15) !== 0) return;
    m.obl[slot] = 1 | (qos << 4);
    m.pending++;
    if (m.routedNs < 0) m.routedNs = this.now();
    this.routed.set(key, m);
    this.open.add(m);
  }

  /** The broker wrote a PUBLISH of message `key` on the connection whose board end is `conn`. */
  brokerWrite(conn: string, key: number): void {
    this.fifos.get(conn)?.push(this.lookup(key) ?? null);
  }

  // ---- settling ----

  private accept(m: Msg): void {
    if (m.accepted) return;
    m.accepted = true;
    this.settle(m);
  }

  private settle(m: Msg): void {
    if (!m.accepted || m.pending > 0) return;
    this.open.delete(m);
    // Nothing was routed: no delivery can be a duplicate of it, so its packet id can be forgotten.
    if (m.obl === null && m.origin >= 0 && m.pid !== 0) {
      const idx = this.pubIndex[m.origin];
      if (idx?.get(m.pid) === m) idx.delete(m.pid);
    }
  }

  /** Classifies what is still open as lost or in flight (see the module comment). Once. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const m of this.open) {
      if (!m.accepted && m.origin >= 0) {
        const held = m.gen === this.gen[m.origin] && !this.halted[m.origin];
        if (held) this.q.inFlight[m.qos]!++;
        else this.q.lost[m.qos]!++;
      }
      const obl = m.obl;
      if (obl === null || m.pending === 0) continue;
      for (let s = 0; s < this.slots; s++) {
        const st: number = obl[s]!;
        if ((st & 15) !== 1) continue;
        const qos = st >> 4;
        if (qos === 0 || this.sessionLostNs[s]! >= m.routedNs) this.q.lost[qos]!++;
        else this.q.inFlight[qos]!++;
      }
    }
  }

  /** Whether board `slot` ever completed an MQTT connection. */
  everConnectedBoard(slot: number): boolean {
    return this.everConnected[slot] === 1;
  }

  /** Boards connected now (for progress). */
  get connectedBoards(): number {
    return this.connectedNow;
  }

  /** First deliveries so far, all QoS (for the progress rate). */
  get deliveries(): number {
    return this.q.delivered[0]! + this.q.delivered[1]! + this.q.delivered[2]!;
  }
}

function contentKey(p: WirePublish): string {
  return p.topic + '\u0000' + Buffer.from(p.payload!.buffer, p.payload!.byteOffset, p.payload!.length).toString('latin1');
}

/** The wire sink of one board: forwards to the ledger with the board's slot. */
class BoardSink implements WireSink {
  constructor(
    private readonly l: Ledger,
    private readonly slot: number,
  ) {}

  get wantContent(): boolean {
    return !this.l.brokerTap;
  }

  bytes(dir: 'in' | 'out', n: number, tls: boolean, ws: boolean): void {
    if (!this.l.live()) return;
    if (dir === 'in') {
      this.l.bytesIn += n;
      if (tls) this.l.tlsBytesIn += n;
      if (ws) this.l.wsBytesIn += n;
    } else {
      this.l.bytesOut += n;
      if (tls) this.l.tlsBytesOut += n;
      if (ws) this.l.wsBytesOut += n;
    }
  }

  connect(clean: boolean): void {
    this.l.onConnect(this.slot, clean);
  }

  opened(conn: WireConnKey): void {
    this.l.onOpen(conn.key);
  }

  connack(rc: number, sp: boolean, conn: WireConnKey): void {
    this.l.onConnack(this.slot, rc, sp, conn.key);
  }

  publish(dir: 'in' | 'out', p: WirePublish, conn: WireConnKey): void {
    if (!this.l.live()) return;
    if (dir === 'out') this.l.onPublishOut(this.slot, p);
    else this.l.onPublishIn(this.slot, p, conn.key);
  }

  ack(dir: 'in' | 'out', type: number, pid: number): void {
    if (dir === 'in') this.l.onAckIn(this.slot, type, pid);
  }

  closed(conn: WireConnKey): void {
    if (this.l.live()) this.l.onClosed(this.slot, conn.key);
  }
}
