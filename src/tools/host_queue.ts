/**
 * Hands items to a board thread from anywhere: host callbacks (stdin lines, Ctrl-C) or another
 * board thread. A thread waits with `take`, as a Zephyr thread waits on a `k_sem` an ISR gives:
 * the board stays idle (no polling) until something arrives or the timeout runs out.
 */
import { cpu, kick } from '../kernel/cpu.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { K_SEM_MAX_LIMIT, k_sem, k_sem_give, k_sem_init, k_sem_take, type k_timeout_t } from '../kernel/index.ts';

export class HostQueue<T> {
  private readonly items: T[] = [];
  private readonly sem = new k_sem();

  constructor(private readonly kernel: Kernel) {
    k_sem_init(this.sem, 0, K_SEM_MAX_LIMIT);
  }

  /** Queues `item` and wakes a waiting thread. */
  push(item: T): void {
    this.items.push(item);
    if (cpu.kernel === this.kernel && (cpu.current !== null || cpu.isr > 0)) {
      k_sem_give(this.sem);
      return;
    }
    // From a host callback: give in the board's interrupt context, as a device driver's ISR would.
    this.kernel.isr(() => k_sem_give(this.sem));
    kick();
  }

  /** The next item, or null when `timeout` ran out first. Call from a board thread. */
  async take(timeout: k_timeout_t): Promise<T | null> {
    const rc = await k_sem_take(this.sem, timeout);
    return rc === 0 ? (this.items.shift() ?? null) : null;
  }
}
