/**
 * The simulation's pending timeouts: an indexed binary min-heap ordered by expiry time, then by
 * insertion order (Zephyr fires timeouts that expire on the same tick in the order they were added).
 * Removal is O(log n), so cancelled timeouts leave nothing behind.
 */

/** Anything that can wait in the timeout queue. */
export interface TimeoutNode {
  /** Absolute expiry, simulation nanoseconds. */
  at: number;
  /** Tie-break: insertion order. Set by the queue. */
  seq: number;
  /** Position in the heap, -1 when not queued. Owned by the queue. */
  idx: number;
  /** Called once when the timeout expires (already removed from the queue). */
  expire(): void;
}

export class TimeoutQueue {
  private readonly heap: TimeoutNode[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** The earliest timeout, without removing it. */
  peek(): TimeoutNode | undefined {
    return this.heap[0];
  }

  add(node: TimeoutNode, at: number): void {
    if (node.idx >= 0) this.remove(node);
    node.at = at;
    node.seq = this.seq++;
    node.idx = this.heap.length;
    this.heap.push(node);
    this.up(node.idx);
  }

  /** Removes `node` if queued; returns whether it was. */
  remove(node: TimeoutNode): boolean {
    const i = node.idx;
    if (i < 0) return false;
    const last = this.heap.pop()!;
    node.idx = -1;
    if (last !== node) {
      this.heap[i] = last;
      last.idx = i;
      this.down(i);
      this.up(last.idx);
    }
    return true;
  }

  /** Removes and returns the earliest timeout. */
  pop(): TimeoutNode | undefined {
    const top = this.heap[0];
    if (top) this.remove(top);
    return top;
  }

  private less(a: TimeoutNode, b: TimeoutNode): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    const node = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p]!;
      if (!this.less(node, parent)) break;
      h[i] = parent;
      parent.idx = i;
      i = p;
    }
    h[i] = node;
    node.idx = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const node = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(h[r]!, h[l]!) ? r : l;
      const child = h[c]!;
      if (!this.less(child, node)) break;
      h[i] = child;
      child.idx = i;
      i = c;
    }
    h[i] = node;
    node.idx = i;
  }
}
