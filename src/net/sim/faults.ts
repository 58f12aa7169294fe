/**
 * Partitions: sets of node pairs that cannot reach each other. Each `partition(a, b)` call adds a
 * cut between every node of `a` and every node of `b` (both directions); cuts accumulate until
 * `heal()` removes them all. Packets are checked when they cross the switch, so a packet already
 * past the switch when the cut is made still arrives.
 */
import type { SimNode } from './node.ts';

export class Partitions {
  private readonly cuts: [ReadonlySet<SimNode>, ReadonlySet<SimNode>][] = [];

  /** True when no cut is in place (the common case, checked per packet). */
  get empty(): boolean {
    return this.cuts.length === 0;
  }

  add(a: Iterable<SimNode>, b: Iterable<SimNode>): void {
    const sa = new Set(a);
    const sb = new Set(b);
    for (const n of sa) if (sb.has(n)) throw new RangeError(`partition: node ${n.name} is on both sides`);
    this.cuts.push([sa, sb]);
  }

  clear(): void {
    this.cuts.length = 0;
  }

  /** True when some cut separates `x` from `y`. */
  separates(x: SimNode, y: SimNode): boolean {
    for (const [a, b] of this.cuts) {
      if ((a.has(x) && b.has(y)) || (b.has(x) && a.has(y))) return true;
    }
    return false;
  }
}
