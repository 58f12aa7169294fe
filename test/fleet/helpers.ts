/**
 * Runs fleets in-process for the tests: one build directory per test file, output collected.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runFleet, type FleetOptions, type FleetRun } from '../../src/fleet/fleet.ts';
import { ROOT } from '../helpers/cli.ts';

export const TICKTOCK = path.join(ROOT, 'samples/net/mqtt_ticktock');

/** A fresh temporary folder. */
export const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'zsim-fleet-'));

/** Writes a scenario file and returns its path. */
export function scenarioFile(dir: string, name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

export interface FleetTestRun extends FleetRun {
  stdout: string;
  stderr: string;
}

/** Runs a fleet of the tick-tock sample (unless `app` says otherwise) with `opts`. */
export async function fleet(buildDir: string, opts: Partial<FleetOptions>): Promise<FleetTestRun> {
  let stdout = '';
  let stderr = '';
  const run = await runFleet(
    {
      board: 'qemu_x86',
      app: TICKTOCK,
      buildDir,
      defines: [],
      extraConfFiles: [],
      count: 5,
      seed: 1,
      console: false,
      progress: false,
      ...opts,
    },
    { write: (s: string) => (stdout += s) },
    { write: (s: string) => (stderr += s) },
    (l) => (stderr += l + '\n'),
  );
  return { ...run, stdout, stderr };
}

/** The counters of one QoS in a report. */
export function qos(run: FleetRun, q: 0 | 1 | 2): FleetRun['report']['messages'][number] {
  return run.report.messages.find((m) => m.qos === q)!;
}
