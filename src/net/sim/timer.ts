/**
 * A one-shot virtual-time timer on the simulation's timeout queue: what every protocol timer of
 * the simulated network (retransmission, persist, TIME-WAIT, ARP, resolver) is made of.
 */
import type { TimeoutNode, TimeoutQueue } from '../../kernel/timeout_q.ts';
import type { Clock } from '../../kernel/clock.ts';

/** What the network needs from a `Simulation`. */
export interface NetSimHost {
  readonly clock: Clock;
  readonly timeouts: TimeoutQueue;
  /** Marks host I/O in progress; the simulation does not move time until the returned function is called. */
  beginHostIo(): () => void;
}

export class SimTimer implements TimeoutNode {
  at = 0;
  seq = 0;
  idx = -1;

  constructor(
    private readonly host: NetSimHost,
    private readonly fn: () => void,
  ) {}

  /** True while armed. */
  get armed(): boolean {
    return this.idx >= 0;
  }

  /** (Re)arms the timer `delayNs` from now. */
  start(delayNs: number): void {
    this.host.timeouts.add(this, this.host.clock.now() + delayNs);
  }

  /** Disarms the timer if armed. */
  stop(): void {
    if (this.idx >= 0) this.host.timeouts.remove(this);
  }

  expire(): void {
    this.fn();
  }
}

/** Runs `fn` once, `delayNs` from now, on the simulation's queue. */
export function schedule(host: NetSimHost, delayNs: number, fn: () => void): SimTimer {
  const t = new SimTimer(host, fn);
  t.start(delayNs);
  return t;
}
