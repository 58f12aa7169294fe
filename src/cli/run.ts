/**
 * `zsim run -b BOARD APP`: builds the app for the board and runs it.
 */
import { createWriteStream, existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BuildError, buildApp, loadApp } from '../build/app.ts';
import { findBoard } from '../build/boards.ts';
import { mergeConfig } from '../build/config.ts';
import type { ConsoleSink, Tracer } from '../kernel/console.ts';
import { Simulation, type RunResult } from '../kernel/sim.ts';
import { BufferedOut, JsonConsole, JsonTracer, TextConsole, type TextOut } from '../logging/console_sink.ts';
import { shouldColor } from '../logging/log_output.ts';

export interface RunOptions {
  board: string;
  app: string;
  buildDir: string;
  /** Virtual-time limit in seconds. */
  time?: number;
  seed: number;
  realtime: boolean;
  json: boolean;
  trace?: string;
  defines: string[];
  extraConfFiles: string[];
}

export interface RunOutcome {
  result: RunResult;
}

/** Builds and runs; output goes to `stdout`. Throws BuildError/BoardError/ConfigError on bad input. */
export async function runCommand(opts: RunOptions, stdout: NodeJS.WriteStream): Promise<RunOutcome> {
  const board = findBoard(opts.board);
  const appDir = path.resolve(opts.app);
  if (!existsSync(appDir) || !statSync(appDir).isDirectory()) throw new BuildError(`${opts.app}: no such app folder`);
  const fragments = [
    ...(board.defconfig ? [board.defconfig] : []),
    path.join(appDir, 'prj.conf'),
    ...opts.extraConfFiles.map((f) => path.resolve(f)),
  ];
  const config = mergeConfig({ fragments, defines: opts.defines });
  const outDir = path.join(path.resolve(opts.buildDir), 'zephyr');
  const built = await buildApp(appDir, outDir, config);
  writeFileSync(
    path.join(outDir, '.config'),
    Object.entries(config)
      .map(([k, v]) => `CONFIG_${k}=${typeof v === 'boolean' ? 'y' : typeof v === 'string' ? JSON.stringify(v) : v}`)
      .join('\n') + '\n',
  );
  const image = await loadApp(built.bundle, built.modules);

  const out = new BufferedOut(stdout);
  let traceFile: ReturnType<typeof createWriteStream> | null = null;
  let traceOut: BufferedOut | null = null;
  if (opts.trace) {
    traceFile = createWriteStream(opts.trace);
    traceOut = new BufferedOut(traceFile);
  }
  let sink: ConsoleSink;
  let tracer: Tracer | null = null;
  if (opts.json) {
    const j = new JsonConsole(out, traceOut);
    sink = j;
    if (traceOut) tracer = j;
  } else {
    sink = new TextConsole(out, { color: shouldColor(stdout, process.env) });
    if (traceOut) tracer = new JsonTracer(traceOut);
  }

  const sim = new Simulation({
    realtime: opts.realtime,
    timeLimitNs: opts.time === undefined ? undefined : Math.round(opts.time * 1e9),
  });
  sim.addBoard({ board: board.name, config, console: sink, seed: opts.seed, tracer }, image);
  const onSigint = (): void => sim.stop('interrupted');
  process.once('SIGINT', onSigint);
  const flusher = setInterval(() => out.flush(), 200);
  flusher.unref();
  let result: RunResult;
  try {
    result = await sim.run();
  } finally {
    clearInterval(flusher);
    process.removeListener('SIGINT', onSigint);
    out.flush();
    if (traceOut && traceFile) {
      traceOut.flush();
      await new Promise<void>((r) => traceFile!.end(r));
    }
  }
  return { result };
}

/** Writes to a stream and waits until it drained (so exit codes follow complete output). */
export function drain(stream: TextOut & NodeJS.WritableStream): Promise<void> {
  return new Promise((r) => (stream.write('') ? r() : stream.once('drain', () => r())));
}
