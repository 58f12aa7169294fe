/**
 * Runs a scenario: one timer on the simulation's timeout queue, at the next instant any event
 * occurs, runs every occurrence of that instant in file order (a repeat of an earlier event as
 * well as a first occurrence), and acts on the fleet through `FleetControl`. Board selections are resolved over the whole fleet
 * and then narrowed to the boards this shard runs.
 */
import type { NetSimHost } from '../net/sim/timer.ts';
import { SimTimer } from '../net/sim/timer.ts';
import type { LinkParams } from '../net/sim/link.ts';
import { resolveSelector, type IdLookup } from './scenario_values.ts';
import type { Scenario, ScenarioEvent } from './scenario.ts';

/** What a scenario can do to a fleet (implemented by the fleet runner). */
export interface FleetControl {
  /** Boards in the whole fleet. */
  readonly size: number;
  /** This shard's first global index; slots are `global - first`. */
  readonly first: number;
  /** Boards in this shard. */
  readonly slots: number;
  readonly seed: number;
  readonly lookup: IdLookup;
  linkParams(slot: number): LinkParams;
  setLink(slot: number, p: Partial<LinkParams>): void;
  partition(slots: number[]): void;
  heal(): void;
  brokerRestart(keepSessions: boolean, downNs: number): void;
  reboot(slot: number, downNs: number): void;
  /** The broker publishes; false when it could not (down: a restart), and nothing was sent. */
  publish(topic: string, payload: string, qos: 0 | 1 | 2, retain: boolean): boolean;
  trace(event: string, detail: Record<string, unknown>): void;
}

/** Shown in the trace for a selection: the ids when few, else how many. */
const LIST_MAX = 16;

export class ScenarioRunner {
  /** Occurrences run so far. */
  fired = 0;
  /** Scenario publishes that could not happen (the broker was down: a restart). */
  publishesSkipped = 0;
  /** Per event (file order): its next occurrence's number and time, or null when it has no more. */
  private readonly next: ({ n: number; atNs: number } | null)[];
  /** One timer, armed at the earliest next occurrence of any event. */
  private readonly timer: SimTimer;

  constructor(
    private readonly sim: NetSimHost,
    private readonly scenario: Scenario,
    private readonly fleet: FleetControl,
  ) {
    this.next = scenario.events.map(() => null);
    this.timer = new SimTimer(sim, () => this.tick());
  }

  /** Arms the scenario: each event's first occurrence. */
  arm(): void {
    this.scenario.events.forEach((ev, i) => (this.next[i] = { n: 0, atNs: ev.at }));
    this.rearm();
  }

  /**
   * One timer for the whole scenario, so that every occurrence at an instant (first ones and
   * repeats alike) runs in file order, whenever each event was armed.
   */
  private rearm(): void {
    let t = Infinity;
    for (const nx of this.next) if (nx !== null && nx.atNs < t) t = nx.atNs;
    if (t !== Infinity) this.timer.start(Math.max(0, t - this.sim.clock.now()));
  }

  private tick(): void {
    const now = this.sim.clock.now();
    this.scenario.events.forEach((ev, i) => {
      const nx = this.next[i];
      if (nx === null || nx.atNs > now) return;
      this.next[i] = this.following(ev, nx.n);
      this.fire(ev, nx.n);
    });
    this.rearm();
  }

  /** The occurrence after number `n` of a repeating event, or null. */
  private following(ev: ScenarioEvent, n: number): { n: number; atNs: number } | null {
    if (ev.every === undefined) return null;
    const atNs = ev.at + (n + 1) * ev.every;
    const more = (ev.count === undefined || n + 1 < ev.count) && (ev.until === undefined || atNs <= ev.until);
    return more ? { n: n + 1, atNs } : null;
  }

  private fire(ev: ScenarioEvent, n: number): void {
    this.fired++;
    try {
      this.apply(ev, n);
    } catch (e) {
      // Selections are checked before the run; anything else is a bug worth a clear line.
      this.fleet.trace('scenario_error', { index: ev.index, message: (e as Error).message });
    }
  }

  /** Local slots an event's `boards` picks on this occurrence. */
  private slotsOf(ev: ScenarioEvent & { boards: Parameters<typeof resolveSelector>[0] }, n: number): number[] {
    const f = this.fleet;
    // Each occurrence of a repeating fraction draws anew: "10% of the boards, every minute".
    const key = ev.index * 1_000_003 + n;
    const global = resolveSelector(ev.boards, f.size, f.seed, key, f.lookup);
    const out: number[] = [];
    for (const g of global) if (g >= f.first && g < f.first + f.slots) out.push(g - f.first);
    return out;
  }

  private note(ev: ScenarioEvent, n: number, extra: Record<string, unknown> = {}): void {
    this.fleet.trace('scenario', { index: ev.index, type: ev.type, n, ...extra });
  }

  private boardsDetail(slots: number[]): Record<string, unknown> {
    return slots.length <= LIST_MAX ? { boards: slots.map((s) => s + this.fleet.first) } : { boards: slots.length };
  }

  /** Runs `fn` after `ns` of simulated time. */
  private later(ns: number, fn: () => void): void {
    new SimTimer(this.sim, fn).start(ns);
  }

  private apply(ev: ScenarioEvent, n: number): void {
    const f = this.fleet;
    switch (ev.type) {
      case 'link_down': {
        const slots = this.slotsOf(ev, n);
        this.note(ev, n, this.boardsDetail(slots));
        for (const s of slots) f.setLink(s, { up: false });
        if (ev.duration !== undefined) {
          this.later(ev.duration, () => {
            this.note(ev, n, { ...this.boardsDetail(slots), end: true });
            for (const s of slots) f.setLink(s, { up: true });
          });
        }
        return;
      }
      case 'link_up': {
        const slots = this.slotsOf(ev, n);
        this.note(ev, n, this.boardsDetail(slots));
        for (const s of slots) f.setLink(s, { up: true });
        return;
      }
      case 'link': {
        const slots = this.slotsOf(ev, n);
        this.note(ev, n, this.boardsDetail(slots));
        const before = slots.map((s) => ({ ...f.linkParams(s) }));
        const p: Partial<LinkParams> = {};
        if (ev.latency !== undefined) p.latencyNs = ev.latency;
        if (ev.jitter !== undefined) p.jitterNs = ev.jitter;
        if (ev.loss !== undefined) p.loss = ev.loss;
        if (ev.bandwidth !== undefined) p.bandwidthBps = ev.bandwidth;
        for (const s of slots) f.setLink(s, p);
        if (ev.duration !== undefined) {
          this.later(ev.duration, () => {
            this.note(ev, n, { ...this.boardsDetail(slots), end: true });
            slots.forEach((s, i) => {
              const b = before[i]!;
              f.setLink(s, { latencyNs: b.latencyNs, jitterNs: b.jitterNs, loss: b.loss, bandwidthBps: b.bandwidthBps });
            });
          });
        }
        return;
      }
      case 'partition': {
        const slots = this.slotsOf(ev, n);
        this.note(ev, n, this.boardsDetail(slots));
        if (slots.length > 0) f.partition(slots);
        if (ev.duration !== undefined) {
          this.later(ev.duration, () => {
            this.note(ev, n, { end: true });
            f.heal();
          });
        }
        return;
      }
      case 'heal':
        this.note(ev, n);
        f.heal();
        return;
      case 'broker_restart':
        this.note(ev, n, { sessions: ev.sessions, down_ns: ev.down });
        f.brokerRestart(ev.sessions === 'keep', ev.down);
        return;
      case 'reboot': {
        const slots = this.slotsOf(ev, n);
        this.note(ev, n, this.boardsDetail(slots));
        for (const s of slots) f.reboot(s, ev.down);
        return;
      }
      case 'publish': {
        const payload = ev.payload.replaceAll('{n}', String(n + 1)).replaceAll('{t}', String(Math.floor(this.sim.clock.now() / 1e9)));
        this.note(ev, n, { topic: ev.topic, qos: ev.qos });
        if (!f.publish(ev.topic, payload, ev.qos, ev.retain)) this.publishesSkipped++;
        return;
      }
    }
  }
}

/** Problems with a scenario for this fleet, found before the run (each names the event's path). */
export function checkScenario(
  scenario: Scenario,
  fleet: Pick<FleetControl, 'size' | 'seed' | 'lookup'>,
  mode: { networked: boolean; hostBroker: boolean },
): string[] {
  const problems: string[] = [];
  const where = (ev: ScenarioEvent, field: string): string => `${scenario.file}: events[${ev.index}]${field}`;
  for (const ev of scenario.events) {
    const net = ev.type === 'link_down' || ev.type === 'link_up' || ev.type === 'link' || ev.type === 'partition' || ev.type === 'heal';
    const broker = ev.type === 'broker_restart' || ev.type === 'publish';
    if ((net || broker) && !mode.networked) problems.push(`${where(ev, '.type')}: ${ev.type} needs an app with CONFIG_NETWORKING=y`);
    else if (net && mode.hostBroker) problems.push(`${where(ev, '.type')}: ${ev.type} needs the simulated network (not with --broker)`);
    else if (broker && mode.hostBroker) {
      const hint = ev.type === 'publish' ? ' (with --broker, publish with mosquitto_pub)' : '';
      problems.push(`${where(ev, '.type')}: ${ev.type} needs the embedded broker, not --broker${hint}`);
    }
    if ('boards' in ev) {
      try {
        resolveSelector(ev.boards, fleet.size, fleet.seed, ev.index, fleet.lookup);
      } catch (e) {
        problems.push(`${where(ev, '.boards')}: ${(e as Error).message}`);
      }
    }
  }
  return problems;
}

/** The first event that repeats without end (the run then needs --time), if any. */
export function repeatsForever(scenario: Scenario): ScenarioEvent | undefined {
  return scenario.events.find((e) => e.every !== undefined && e.until === undefined && e.count === undefined);
}
