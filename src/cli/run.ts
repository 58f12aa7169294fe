/**
 * `zsim run -b BOARD APP`: builds the app for the board and runs it.
 */
import { accessSync, constants, statSync, type WriteStream } from 'node:fs';
import { loadApp } from '../build/app.ts';
import { westBuild } from '../build/build.ts';
import { credentialTypeName, parseCredArg, provisionCredentials, type CredSpec } from '../net/tls_credentials.ts';
import type { Kernel, KConfig } from '../kernel/kernel.ts';
import { UsageError } from './errors.ts';
import { openOutputStream } from './output_file.ts';
import { needsRealtime, prepareNetwork } from './run_net.ts';
import type { ConsoleSink, Tracer } from '../kernel/console.ts';
import type { AppImage } from '../kernel/init.ts';
import { Simulation, type RunResult } from '../kernel/sim.ts';
import { BufferedOut, JsonConsole, JsonTracer, TextConsole, type TextOut } from '../logging/console_sink.ts';
import { shouldColor } from '../logging/log_output.ts';

export interface RunOptions {
  board?: string;
  app?: string;
  buildDir: string;
  pristine?: 'always' | 'never' | 'auto';
  /** Virtual-time limit in seconds. */
  time?: number;
  seed: number;
  realtime: boolean;
  json: boolean;
  trace?: string;
  defines: string[];
  extraConfFiles: string[];
  confFile?: string[];
  /** `mqtt://HOST:PORT` etc.: use a real broker over the host network (real time). */
  broker?: string;
  /** `TAG:TYPE:FILE` credentials loaded after the boot banner, before main. */
  creds: string[];
  pcap?: string;
  /** Start the board's shell on stdin/stdout (`--shell`; needs CONFIG_SHELL=y). */
  shell?: boolean;
}

export interface RunOutcome {
  result: RunResult;
}

/** What an embedder (`zsim twister`) changes in a run. */
export interface RunHooks {
  /** Replaces the console (stdout text or JSON) with this sink. */
  console?: ConsoleSink;
  /** Called with the simulation just before it runs, e.g. to stop it once a harness has its verdict. */
  onStart?: (sim: Simulation) => void;
}

/** Builds when needed, then runs; output goes to `stdout`. Throws BuildError/BoardError on bad input. */
export async function runCommand(opts: RunOptions, stdout: NodeJS.WriteStream, log: (line: string) => void, hooks: RunHooks = {}): Promise<RunOutcome> {
  const built = await westBuild({
    board: opts.board,
    app: opts.app,
    buildDir: opts.buildDir,
    pristine: opts.pristine,
    confFile: opts.confFile,
    extraConfFiles: opts.extraConfFiles,
    defines: opts.defines,
    log,
  });
  const config = built.config;
  const board = built.board;
  const image = await loadApp(built.bundle, built.modules);

  const out = new BufferedOut(stdout);
  let traceFile: WriteStream | null = null;
  let traceOut: BufferedOut | null = null;
  if (opts.trace) {
    traceFile = openOutputStream(opts.trace);
    traceOut = new BufferedOut(traceFile);
  }
  let sink: ConsoleSink;
  let tracer: Tracer | null = null;
  if (hooks.console) {
    sink = hooks.console;
    if (traceOut) tracer = new JsonTracer(traceOut);
  } else if (opts.json) {
    const j = new JsonConsole(out, traceOut);
    sink = j;
    if (traceOut) tracer = j;
  } else {
    sink = new TextConsole(out, { color: shouldColor(stdout, process.env) });
    if (traceOut) tracer = new JsonTracer(traceOut);
  }

  const credSpecs = parseCreds(opts.creds, config);
  if (opts.shell && config.SHELL !== true) throw new UsageError('--shell needs an app with CONFIG_SHELL=y');
  // Loaded only for --shell; a terminal session follows the wall clock (see shellWantsRealtime).
  const shell = opts.shell ? await import('../shell/board_shell.ts') : null;
  const netOpts = { broker: opts.broker, pcap: opts.pcap, seed: opts.seed, appDir: built.appDir };
  const sim = new Simulation({
    realtime: opts.realtime || needsRealtime(config, netOpts) || shell?.shellWantsRealtime(process.stdin, stdout) === true,
    timeLimitNs: opts.time === undefined ? undefined : Math.round(opts.time * 1e9),
  });
  const net = await prepareNetwork(sim, config, netOpts);
  if (net && !opts.broker && config.MQTT_VERSION_5_0 === true) {
    // aedes 1.x refuses a 5.0 CONNECT; without this line the app only sees its connect fail.
    log('zsim: warning: the embedded broker (aedes) speaks MQTT 3.1 and 3.1.1 only: with CONFIG_MQTT_VERSION_5_0=y, give --broker mqtt://HOST:PORT of a 5.0 broker (e.g. mosquitto)');
  }
  const bootImage = provisioningImage(image, credSpecs, () => kernel, (problems) => {
    // The board's lines so far (banner, provisioning) first, so 2>&1 reads in order.
    out.flush();
    for (const problem of problems) log(`zsim: ${problem}`);
  });
  const kernel = sim.addBoard({ board: board.name, config, console: sink, seed: opts.seed, tracer }, bootImage);
  net?.attach(kernel);
  shell?.startBoardShell(sim, kernel, { stdout, flush: () => out.flush(), json: opts.json, netif: board.netif });
  const onSigint = (): void => sim.stop('interrupted');
  process.once('SIGINT', onSigint);
  const flusher = setInterval(() => out.flush(), 200);
  flusher.unref();
  let result: RunResult;
  hooks.onStart?.(sim);
  try {
    result = await sim.run();
  } finally {
    clearInterval(flusher);
    process.removeListener('SIGINT', onSigint);
    out.flush();
    await net?.close();
    if (traceOut && traceFile) {
      traceOut.flush();
      await new Promise<void>((r) => traceFile!.end(r));
    }
  }
  return { result };
}

/**
 * The image a board boots with `--cred` (`zsim run`, `zsim fleet`). Zephyr has no --cred; its
 * nearest counterpart is a SYS_INIT at the APPLICATION level, which runs in the main thread after
 * the boot banner and before main(). So the store of `kernel()` is filled (and says so on the
 * board's log) when the main thread instantiates the app, before its statics; `onProblems` gets
 * what was wrong with the files (already logged on the board), when anything was.
 */
export function provisioningImage(image: AppImage, specs: readonly CredSpec[], kernel: () => Kernel, onProblems: (problems: string[]) => void): AppImage {
  if (!specs.length) return image;
  return {
    instantiate: () => {
      const problems = provisionCredentials(kernel(), specs);
      if (problems.length) onProblems(problems);
      return image.instantiate();
    },
  };
}

/**
 * The `--cred TAG:TYPE:FILE` arguments (`zsim run`, `zsim fleet`), parsed: a CredArgError names a
 * malformed one, a UsageError an app without a credential store or a file that cannot be read
 * (a run that quietly went on without the credential asked for would test something else).
 * What a file holds is checked when it is provisioned, on the board, as an app's own would be.
 */
export function parseCreds(creds: readonly string[], config: KConfig): CredSpec[] {
  const specs = creds.map(parseCredArg);
  if (specs.length && config.TLS_CREDENTIALS !== true) throw new UsageError('--cred needs an app with CONFIG_TLS_CREDENTIALS=y');
  for (const c of specs) {
    try {
      if (!statSync(c.file).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
      accessSync(c.file, constants.R_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'ENOENT (no such file or directory)' : code === 'EACCES' ? 'EACCES (permission denied)' : code ?? String(e);
      throw new UsageError(`--cred ${c.tag}:${credentialTypeName(c.type)}:${c.file}: cannot read the file: ${why}`);
    }
  }
  return specs;
}

/** Writes to a stream and waits until it drained (so exit codes follow complete output). */
export function drain(stream: TextOut & NodeJS.WritableStream): Promise<void> {
  return new Promise((r) => (stream.write('') ? r() : stream.once('drain', () => r())));
}
