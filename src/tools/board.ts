/**
 * The tiny board a pub/sub tool runs on: a qemu_x86 board in this process, on the host network
 * (`HostInterface`), in real time, with the Kconfig a Zephyr MQTT app over TLS would have. The
 * tool's code is the board's `main()`; it talks MQTT through Zephyr's API like any zsim app.
 *
 * The board's log is kept (the TLS layer explains a failed handshake there, in words) and, with
 * `-d`, printed on stderr.
 */
import type { ConsoleSink, LogRecord } from '../kernel/console.ts';
import type { Kernel, KConfig } from '../kernel/kernel.ts';
import { Simulation } from '../kernel/sim.ts';
import { HostInterface } from '../net/host/index.ts';
import { net_if_attach } from '../net/net_if.ts';
import { HostQueue } from './host_queue.ts';

/** The board's Kconfig: sockets, TLS sockets and credentials, the MQTT library (3.1.1 and 5.0). */
export const TOOL_CONFIG: KConfig = {
  BOOT_BANNER: false,
  NETWORKING: true,
  NET_IPV4: true,
  NET_IPV6: true,
  NET_TCP: true,
  NET_SOCKETS: true,
  DNS_RESOLVER: true,
  NET_SOCKETS_SOCKOPT_TLS: true,
  TLS_CREDENTIALS: true,
  TLS_MAX_CREDENTIALS_NUMBER: 4,
  MQTT_LIB: true,
  MQTT_LIB_TLS: true,
  MQTT_VERSION_5_0: true,
  MQTT_CLEAN_SESSION: true,
  MQTT_KEEPALIVE: 60,
  LOG: true,
};

/** Keeps the board's log; echoes it on stderr with `-d`. */
class ToolConsole implements ConsoleSink {
  readonly records: LogRecord[] = [];
  constructor(private readonly echo: ((line: string) => void) | null) {}

  printk(_k: Kernel, text: string): void {
    if (this.echo && text.trim() !== '') this.echo(text.replace(/\n$/, ''));
  }

  log(_k: Kernel, rec: LogRecord): void {
    this.records.push(rec);
    if (this.echo) this.echo(`<${['', 'err', 'wrn', 'inf', 'dbg'][rec.level]}> ${rec.module}: ${rec.message}`);
  }
}

/**
 * What the tool's main thread waits for: Ctrl-C, a line of stdin (`pub -l`) or its end, the
 * message count reached (`sub -C`), the connection lost.
 */
export type ToolEvent =
  | { kind: 'interrupt' }
  | { kind: 'line'; bytes: Uint8Array }
  | { kind: 'eof'; error?: string }
  | { kind: 'count' }
  | { kind: 'lost'; code: number; message: string };

/** What the tool's main gets. */
export interface ToolContext {
  kernel: Kernel;
  /** Events for the main thread, from the host (Ctrl-C, stdin) and from the receive thread. */
  events: HostQueue<ToolEvent>;
  /** Writes one line on stderr. */
  stderr(line: string): void;
  /** The board's log so far. */
  log(): readonly LogRecord[];
  /** Marks host input in progress (stdin open): the board must wait for it, not end idle. */
  holdHostIo(): () => void;
}

export interface ToolBoardOptions {
  debug: boolean;
  stderr(line: string): void;
  /** Silences Node's deprecation warning for an IP address as TLS server name. */
  quietTlsIpWarning?: boolean;
  /** Runs before the board does, on the host (to start reading stdin into a queue...). */
  setup?(ctx: ToolContext): void;
}

/**
 * Runs `main` as the board's main thread until it returns; resolves to the exit code it gave. A
 * board that dies (a fatal error, a deadlock) gives 1 with the simulator's reason on stderr.
 * Ctrl-C (SIGINT, SIGTERM) becomes an `interrupt` event; a second one stops the board at once.
 */
export async function runToolBoard(main: (ctx: ToolContext) => Promise<number>, opts: ToolBoardOptions): Promise<number> {
  const sim = new Simulation({ realtime: true });
  const console = new ToolConsole(opts.debug ? opts.stderr : null);
  let code: number | null = null;
  let ctx: ToolContext | null = null;
  const kernel = sim.addBoard(
    // A random seed: nothing here should be reproducible, and MQTT message ids start from it.
    { board: 'qemu_x86', config: TOOL_CONFIG, console, seed: Math.floor(Math.random() * 0x7fffffff) },
    {
      instantiate: () => ({
        main: async () => {
          code = await main(ctx!);
        },
      }),
    },
  );
  ctx = {
    kernel,
    events: new HostQueue<ToolEvent>(kernel),
    stderr: opts.stderr,
    log: () => console.records,
    holdHostIo: () => sim.beginHostIo(),
  };
  net_if_attach(kernel, new HostInterface({ sim }));
  // node:tls warns (DEP0123) when TLS_HOSTNAME is an IP address, which `-h 127.0.0.1 --cafile`
  // legitimately gives (the certificate's IP SAN is checked): keep stderr for the tool's output.
  if (opts.quietTlsIpWarning) process.noDeprecation = true;
  opts.setup?.(ctx);
  let signals = 0;
  const onSignal = (): void => {
    if (++signals === 1) ctx!.events.push({ kind: 'interrupt' });
    else sim.stop('interrupted');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await sim.run();
    if (code !== null) return code;
    if (result.reason === 'stopped') return 130;
    opts.stderr(`Error: the tool's board ended: ${result.message}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
