/**
 * Helpers for simulated-network tests: a network on a fresh simulation, actions at absolute
 * virtual times, and stream/datagram event recorders.
 */
import { Simulation } from '../../../src/kernel/sim.ts';
import type { DatagramEvents, Endpoint, StreamConn, StreamEvents } from '../../../src/net/conn.ts';
import { SimNetwork, type SimNetworkOptions } from '../../../src/net/sim/network.ts';
import { SimTimer } from '../../../src/net/sim/timer.ts';

export function makeNet(opts: SimNetworkOptions = {}, timeLimitMs?: number): { sim: Simulation; net: SimNetwork } {
  const sim = new Simulation({ timeLimitNs: timeLimitMs === undefined ? undefined : timeLimitMs * 1e6 });
  return { sim, net: new SimNetwork(sim, opts) };
}

/** Runs `fn` at absolute virtual time `ns`. */
export function at(sim: Simulation, ns: number, fn: () => void): void {
  new SimTimer(sim, fn).start(ns - sim.clock.now());
}

export const ms = (n: number): number => n * 1e6;

export function ep(addr: string, port: number): Endpoint {
  return { family: addr.includes(':') ? 6 : 4, addr, port };
}

/** A stream's events, with the virtual time of each, and everything received. */
export class Recorder implements StreamEvents {
  readonly log: string[] = [];
  readonly times: Record<string, number> = {};
  received: Uint8Array[] = [];
  error = 0;
  ended = false;
  connected = false;
  onConnectHook: (() => void) | null = null;
  onDataHook: ((d: Uint8Array) => void) | null = null;
  onWritableHook: (() => void) | null = null;
  onEndHook: (() => void) | null = null;

  constructor(private readonly sim: Simulation, private readonly name = '') {}

  private note(what: string): void {
    const t = this.sim.clock.now();
    this.log.push(`${t} ${this.name}${what}`);
    if (!(what in this.times)) this.times[what] = t;
  }

  onConnect(): void {
    this.connected = true;
    this.note('connect');
    this.onConnectHook?.();
  }
  onData(d: Uint8Array): void {
    this.received.push(d);
    this.note('data');
    this.onDataHook?.(d);
  }
  onWritable(): void {
    this.note('writable');
    this.onWritableHook?.();
  }
  onEnd(): void {
    this.ended = true;
    this.note('end');
    this.onEndHook?.();
  }
  onError(err: number): void {
    this.error = err;
    this.note(`error ${err}`);
  }

  get bytes(): Uint8Array {
    return concat(this.received);
  }
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Deterministic test data. */
export function pattern(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Writes all of `data`, continuing on onWritable; calls `done` once everything was accepted. */
export function writeAll(conn: StreamConn, rec: Recorder, data: Uint8Array, done?: () => void): { partials: number[] } {
  let off = 0;
  const partials: number[] = [];
  const pump = (): void => {
    while (off < data.length) {
      const n = conn.write(data.subarray(off));
      partials.push(n);
      off += n;
      if (off < data.length) return;
    }
    done?.();
  };
  rec.onWritableHook = pump;
  pump();
  return { partials };
}

export class DgramRecorder implements DatagramEvents {
  readonly got: { data: Uint8Array; from: Endpoint; t: number }[] = [];
  readonly errors: { err: number; t: number }[] = [];
  constructor(private readonly sim: Simulation) {}
  onDatagram(data: Uint8Array, from: Endpoint): void {
    this.got.push({ data, from, t: this.sim.clock.now() });
  }
  onError(err: number): void {
    this.errors.push({ err, t: this.sim.clock.now() });
  }
}

/** Byte equality without a slow deep comparison of large arrays. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}
