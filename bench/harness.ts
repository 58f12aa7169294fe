import net from 'node:net';

/**
 * The shape every benchmark row takes. `npm run bench` collects rows from each bench module and
 * prints one table: ours vs the named peer, measured in the same run, and the ratio against the target.
 */
export interface BenchRow {
  /** What was measured, e.g. "k_sem ping-pong". */
  name: string;
  /** Unit of `ours` and `peer`, e.g. "switches/s" or "ops/s". Higher is better unless `lowerIsBetter`. */
  unit: string;
  ours: number;
  /** The peer's figure measured in the same run. */
  peer: number;
  /** Who the peer is, e.g. "bare Promise ping-pong" or "mqtt-packet 9". */
  peerName: string;
  /** Minimum acceptable ratio (ours/peer, or peer/ours when lowerIsBetter). */
  target: number;
  lowerIsBetter?: boolean;
}

/** Ratio in the direction where bigger is better. */
export function ratio(row: BenchRow): number {
  return row.lowerIsBetter ? row.peer / row.ours : row.ours / row.peer;
}

/** Runs `fn` repeatedly for about `ms` milliseconds (after a warm-up) and returns operations per second. */
export async function opsPerSecond(fn: () => unknown | Promise<unknown>, opsPerCall: number, ms = 1000): Promise<number> {
  const warm = performance.now() + Math.min(200, ms / 5);
  while (performance.now() < warm) await fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    await fn();
    ops += opsPerCall;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

/** A TCP port free on 127.0.0.1 just now, for a broker a bench or a test starts (no vitest here). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
