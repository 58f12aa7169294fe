/**
 * Runs a scenario: each event occurrence is a timer on the simulation's timeout queue (so it
 * happens at an exact simulated instant, in file order among events of the same instant), and
 * acts on the fleet through `FleetControl`. Board selections are resolved over the whole fleet
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
  publish(topic: string, payload: string, qos: 0 | 1 | 2, retain: boolean): void;
  trace(event: string, detail: Record<string, unknown>): void;
}

/** Shown in the trace for a selection: the ids when few, else how many. */
const LIST_MAX = 16;

export class ScenarioRunner {
  /** Occurrences run so far. */
  fired = 0;

  constructor(
    private readonly sim: NetSimHost,
    private readonly scenario: Scenario,
    private readonly fleet: FleetControl,
  ) {}

  /** Arms every event's first occurrence (in file order, so same-instant events keep it). */
  arm(): void {
    for (const ev of this.scenario.events) this.at(ev, 0, ev.at);
  }

  private at(ev: ScenarioEvent, n: number, atNs: number): void {
    new SimTimer(this.sim, () => this.fire(ev, n)).start(Math.max(0, atNs - this.sim.clock.now()));
  }

  private fire(ev: ScenarioEvent, n: number): void {
    this.fired++;
    if (ev.every !== undefined) {
      const next = ev.at + (n + 1) * ev.every;
      const more = (ev.count === undefined || n + 1 < ev.count) && (ev.until === undefined || next <= ev.until);
      if (more) this.at(ev, n + 1, next);
    }
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
        f.publish(ev.topic, payload, ev.qos, ev.retain);
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

/** True when some event repeats without end (the run then needs --time). */
export function repeatsForever(scenario: Scenario): boolean {
  return scenario.events.some((e) => e.every !== undefined && e.until === undefined && e.count === undefined);
}
