/**
 * The progress line of a running fleet, on a terminal only (never in a pipe or a CI log): simulated
 * time against the time limit, boards connected, and messages delivered per second of wall time.
 *
 * Drawn with `cli-progress` when it is installed; otherwise with the small built-in renderer at
 * the bottom of this file, which only rewrites one line with `\r`. Both redraw from a wall-clock
 * interval that never keeps the process alive, so the simulation's output is not affected.
 */
import { formatSimTime } from './report.ts';

/** What the progress line shows, read at each redraw. */
export interface ProgressSource {
  /** Simulated time now, ns. */
  simNs(): number;
  /** The time limit, ns, or null when the run has none. */
  readonly totalNs: number | null;
  boards: number;
  connected(): number;
  /** Deliveries so far (all QoS). */
  deliveries(): number;
}

/** The stream the line is drawn on (stderr). */
export interface ProgressStream {
  write(s: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressDisplay {
  stop(): void;
}

interface Bar {
  update(value: number, payload: Record<string, string>): void;
  stop(): void;
}

const REDRAW_MS = 250;

function fields(src: ProgressSource, rate: number): Record<string, string> {
  return {
    sim: formatSimTime(src.simNs() / 1e9),
    // Not `total`: cli-progress reserves that token for the bar's own total.
    limit: src.totalNs === null ? '?' : formatSimTime(src.totalNs / 1e9),
    connected: `${src.connected()}/${src.boards}`,
    rate: rate >= 1000 ? `${(rate / 1000).toFixed(1)}k` : rate.toFixed(0),
  };
}

/**
 * Starts the display on `stream` when it is a terminal (and `enabled`); returns its stopper. A
 * missing `cli-progress` falls back to the built-in line.
 */
export async function startProgress(stream: ProgressStream, src: ProgressSource, enabled: boolean): Promise<ProgressDisplay> {
  if (!enabled || stream.isTTY !== true) return { stop() {} };
  const total = src.totalNs === null ? 1 : src.totalNs / 1e9;
  const bar = (await cliProgressBar(stream, total)) ?? new BuiltinBar(stream, src.totalNs === null ? null : total);
  let lastDeliveries = src.deliveries();
  let lastWall = performance.now();
  let rate = 0;
  const draw = (): void => {
    const now = performance.now();
    const d = src.deliveries();
    // A smoothed rate: a simulation moves in bursts between event-loop turns.
    const inst = ((d - lastDeliveries) * 1000) / Math.max(1, now - lastWall);
    rate = rate === 0 ? inst : rate * 0.6 + inst * 0.4;
    lastDeliveries = d;
    lastWall = now;
    bar.update(src.totalNs === null ? 0 : src.simNs() / 1e9, fields(src, rate));
  };
  draw();
  const timer = setInterval(draw, REDRAW_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      draw();
      bar.stop();
    },
  };
}

async function cliProgressBar(stream: ProgressStream, total: number): Promise<Bar | null> {
  let mod: typeof import('cli-progress');
  try {
    mod = await import('cli-progress');
  } catch {
    return null;
  }
  const cp = (mod as { default?: typeof import('cli-progress') }).default ?? mod;
  const bar = new cp.SingleBar(
    {
      stream: stream as NodeJS.WritableStream,
      format: 'fleet {bar} {sim} / {limit} | connected {connected} | {rate} msg/s',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      fps: 4,
    },
    cp.Presets.shades_classic,
  );
  bar.start(total, 0, { sim: '0 s', limit: '?', connected: '0', rate: '0' });
  return { update: (v, p) => bar.update(v, p), stop: () => bar.stop() };
}

/** The fallback renderer: one line, rewritten in place, erased at the end. */
class BuiltinBar implements Bar {
  private readonly width = 24;

  constructor(
    private readonly stream: ProgressStream,
    /** The time limit in seconds, or null without one (no bar then). */
    private readonly totalS: number | null,
  ) {}

  update(value: number, p: Record<string, string>): void {
    let bar = '';
    if (this.totalS !== null) {
      const fill = Math.max(0, Math.min(this.width, Math.round((value / this.totalS) * this.width)));
      bar = '[' + '#'.repeat(fill) + '-'.repeat(this.width - fill) + '] ';
    }
    const line = `fleet ${bar}${p.sim} / ${p.limit} | connected ${p.connected} | ${p.rate} msg/s`;
    this.stream.write('\r' + line.slice(0, (this.stream.columns || 100) - 1) + '\x1b[K');
  }

  stop(): void {
    this.stream.write('\r\x1b[K');
  }
}
