/**
 * `zsim pub`: mosquitto_pub on zsim's own MQTT stack. A tiny board on the host network connects
 * with Zephyr's MQTT client (`src/tools/`) and publishes one message (`-m`, `-f`, `-n`, `-s`) or
 * each line of stdin as it arrives (`-l`, until EOF):
 *
 *     while true; do echo tick; sleep 1; done | zsim pub -l -t tick
 *
 * QoS 1 and 2 wait for the broker's acknowledgements. Exit codes as mosquitto_pub's: 0, 1 for a
 * failed connection (refused, unreachable, TLS), the CONNACK code for a refused session; 2 for
 * bad usage (zsim's convention; mosquitto_pub says 1).
 */
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import type { CliCommand } from './command.ts';
import { UsageError } from './errors.ts';
import { K_FOREVER } from '../kernel/index.ts';
import { runToolBoard, type ToolContext } from '../tools/board.ts';
import { ToolClient } from '../tools/client.ts';
import { hostNotHelp, printHelpIfAsked } from '../tools/help.ts';
import { readLines } from '../tools/lines.ts';
import { connectionOptions, tlsHostIsIp, parseConnOptions, qosOption, type ConnOptions } from '../tools/options.ts';
import type { mqtt_qos } from '../net/mqtt/mqtt.ts';

/** Where the message comes from. */
type Source = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'lines' };

interface PubPlan {
  conn: ConnOptions;
  topic: string;
  qos: mqtt_qos;
  retain: boolean;
  source: Source;
}

function readAllStdin(): Uint8Array {
  try {
    return new Uint8Array(readFileSync(0));
  } catch (e) {
    throw new UsageError(`-s: cannot read stdin (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/** Validates the arguments into a plan; usage errors throw. */
function plan(a: Record<string, unknown>): PubPlan {
  const topic = a.topic;
  if (typeof topic !== 'string' || topic === '') throw new UsageError('-t TOPIC is required (mosquitto_pub: both topic and message must be supplied)');
  if (/[+#]/.test(topic)) throw new UsageError(`invalid publish topic '${topic}': it contains '+' or '#'`);
  const chosen = (['message', 'stdin-line', 'file', 'null-message', 'stdin-file'] as const).filter((k) => a[k] !== undefined && a[k] !== false);
  if (chosen.length === 0) throw new UsageError('give the message: -m MSG, -f FILE, -l (stdin lines), -s (all stdin) or -n (empty)');
  if (chosen.length > 1) throw new UsageError('only one of -m, -f, -l, -s, -n at a time');
  let source: Source;
  switch (chosen[0]) {
    case 'message':
      source = { kind: 'bytes', bytes: new TextEncoder().encode(String(a.message)) };
      break;
    case 'file': {
      const file = String(a.file);
      try {
        source = { kind: 'bytes', bytes: new Uint8Array(readFileSync(file)) };
      } catch (e) {
        throw new UsageError(`-f ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
      break;
    }
    case 'null-message':
      source = { kind: 'bytes', bytes: new Uint8Array(0) };
      break;
    case 'stdin-file':
      source = { kind: 'bytes', bytes: readAllStdin() };
      break;
    default:
      source = { kind: 'lines' };
  }
  return { conn: parseConnOptions(a, 'pub'), topic, qos: qosOption(a, 'qos', '-q'), retain: a.retain === true, source };
}

/** The board's main: connect, publish, disconnect; the exit code. */
async function pubMain(ctx: ToolContext, p: PubPlan): Promise<number> {
  const client = new ToolClient(ctx, p.conn);
  client.onLost = (f) => ctx.events.push({ kind: 'lost', ...f });
  const failed = await client.connect();
  if (failed) {
    ctx.stderr(failed.message);
    return failed.code;
  }
  let failure = null;
  if (p.source.kind === 'bytes') {
    failure = await client.publish(p.topic, p.source.bytes, p.qos, p.retain);
  } else {
    for (;;) {
      const ev = await ctx.events.take(K_FOREVER);
      if (ev === null || ev.kind === 'interrupt') break;
      if (ev.kind === 'lost') {
        failure = ev;
        break;
      }
      if (ev.kind === 'eof') {
        if (ev.error) ctx.stderr(`Error: reading stdin: ${ev.error}`);
        break;
      }
      if (ev.kind === 'line' && (failure = await client.publish(p.topic, ev.bytes, p.qos, p.retain))) break;
    }
  }
  await client.close();
  if (failure) {
    ctx.stderr(failure.message);
    return failure.code;
  }
  return 0;
}

export const pubCmd: CliCommand = {
  command: 'pub',
  describe: 'publish MQTT messages with zsim\'s MQTT client (like mosquitto_pub)',
  builder: (y: Argv) =>
    connectionOptions(hostNotHelp('pub', y))
      .usage('zsim pub -h HOST -p PORT -t TOPIC (-m MSG | -f FILE | -l | -s | -n) [-q QOS] [-r] [options]')
      .option('topic', { alias: 't', type: 'string', describe: 'topic to publish to' })
      .option('message', { alias: 'm', type: 'string', describe: 'message payload' })
      .option('file', { alias: 'f', type: 'string', describe: 'send the contents of FILE as the message' })
      .option('stdin-line', { alias: 'l', type: 'boolean', describe: 'send each line of stdin as a message, until EOF' })
      .option('stdin-file', { alias: 's', type: 'boolean', describe: 'send all of stdin as one message' })
      .option('null-message', { alias: 'n', type: 'boolean', describe: 'send a zero-length message' })
      .option('qos', { alias: 'q', type: 'number', default: 0, describe: 'quality of service: 0, 1 or 2' })
      .option('retain', { alias: 'r', type: 'boolean', default: false, describe: 'retain the message' }),
  handler: async (a, io) => {
    if (printHelpIfAsked('pub', a)) return 0;
    const p = plan(a);
    return runToolBoard((ctx) => pubMain(ctx, p), {
      debug: p.conn.debug,
      quietTlsIpWarning: tlsHostIsIp(p.conn),
      stderr: (l) => io.stderr(l),
      setup: (ctx) => {
        if (p.source.kind !== 'lines') return;
        // stdin is host input the board waits for: hold the board open until EOF.
        const release = ctx.holdHostIo();
        readLines(process.stdin, {
          line: (bytes) => ctx.events.push({ kind: 'line', bytes }),
          end: (err) => {
            ctx.events.push({ kind: 'eof', error: err?.message });
            release();
          },
        });
      },
    });
  },
};
