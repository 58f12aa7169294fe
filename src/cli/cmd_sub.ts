/**
 * `zsim sub`: mosquitto_sub on zsim's own MQTT stack. A tiny board on the host network connects
 * with Zephyr's MQTT client (`src/tools/`), subscribes to every `-t` in one SUBSCRIBE and prints
 * what arrives (the payload; `-v`: `topic payload`; `-F`: a format), acknowledging QoS 1 and 2
 * itself. It ends after `-C COUNT` messages (0), at `-W SECONDS` (27 and "Timed out", as
 * mosquitto_sub 2.x), on Ctrl-C (0), or when the connection drops (7).
 */
import type { Argv } from 'yargs';
import type { CliCommand } from './command.ts';
import { UsageError } from './errors.ts';
import { K_FOREVER, K_MSEC, k_uptime_get } from '../kernel/index.ts';
import { runToolBoard, type ToolContext } from '../tools/board.ts';
import { ToolClient } from '../tools/client.ts';
import { EXIT_TIMEOUT } from '../tools/errors.ts';
import { parseFormat, renderMessage, type OutputOptions } from '../tools/format.ts';
import { hostNotHelp, printHelpIfAsked } from '../tools/help.ts';
import { connectionOptions, tlsHostIsIp, intOption, parseConnOptions, qosOption, type ConnOptions } from '../tools/options.ts';
import type { mqtt_qos } from '../net/mqtt/mqtt.ts';

interface SubPlan {
  conn: ConnOptions;
  topics: string[];
  qos: mqtt_qos;
  count: number | null;
  timeoutSec: number | null;
  output: OutputOptions;
}

/** A topic filter's wildcards must stand alone in their level (MQTT 4.7.1). */
function checkFilter(t: string): void {
  const levels = t.split('/');
  levels.forEach((l, i) => {
    if (l.includes('#') && (l !== '#' || i !== levels.length - 1)) throw new UsageError(`invalid subscription topic '${t}': '#' must be a whole last level`);
    if (l.includes('+') && l !== '+') throw new UsageError(`invalid subscription topic '${t}': '+' must be a whole level`);
  });
}

function plan(a: Record<string, unknown>): SubPlan {
  const raw = a.topic;
  const topics = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
  if (topics.length === 0) throw new UsageError('-t TOPIC is required (give it several times for several topics)');
  for (const t of topics) {
    if (t === '') throw new UsageError('-t: empty topic');
    checkFilter(t);
  }
  const conn = parseConnOptions(a, 'sub');
  if (a['disable-clean-session'] === true) {
    if (typeof a.id !== 'string') throw new UsageError('-c needs -i ID: a persistent session is found again by its client id');
    conn.cleanSession = false;
  }
  const fmt = a.format;
  return {
    conn,
    topics,
    qos: qosOption(a, 'qos', '-q'),
    count: intOption(a, 'count', '-C', 1, 0x7fffffff) ?? null,
    timeoutSec: intOption(a, 'timeout', '-W', 1, 0x7fffffff) ?? null,
    output: {
      format: typeof fmt === 'string' ? parseFormat(fmt) : null,
      verbose: a.verbose === true,
      eol: a['no-eol'] !== true,
    },
  };
}

/** The board's main: connect, subscribe, print until the count, the timeout or Ctrl-C. */
async function subMain(ctx: ToolContext, p: SubPlan): Promise<number> {
  // -W counts from the start, connection included, as mosquitto_sub's alarm() does.
  const deadline = p.timeoutSec === null ? null : k_uptime_get() + p.timeoutSec * 1000;
  const client = new ToolClient(ctx, p.conn);
  let received = 0;
  client.onLost = (f) => ctx.events.push({ kind: 'lost', ...f });
  client.onMessage = (m) => {
    // Messages the receive thread reads after the count was reached are not printed.
    if (p.count !== null && received >= p.count) return;
    received++;
    const out = renderMessage(m, p.output);
    if (out) process.stdout.write(out);
    if (p.count !== null && received === p.count) ctx.events.push({ kind: 'count' });
  };
  const failed = await client.connect(p.topics.reduce((n, t) => n + Buffer.byteLength(t) + 3, 0));
  if (failed) {
    ctx.stderr(failed.message);
    return failed.code;
  }
  const codes = await client.subscribe(p.topics, p.qos);
  if (!Array.isArray(codes)) {
    ctx.stderr(codes.message);
    return codes.code;
  }
  if (codes.length > 0 && codes.every((c) => c >= 0x80)) {
    await client.close();
    ctx.stderr('All subscription requests were denied.');
    return 1;
  }
  codes.forEach((c, i) => {
    if (c >= 0x80 && p.topics[i] !== undefined) ctx.stderr(`Warning: Subscription to '${p.topics[i]}' was denied (${c}).`);
  });
  for (;;) {
    const left = deadline === null ? null : deadline - k_uptime_get();
    const ev = left === null ? await ctx.events.take(K_FOREVER) : left > 0 ? await ctx.events.take(K_MSEC(left)) : null;
    if (ev === null) {
      if (deadline !== null && k_uptime_get() >= deadline) {
        await client.close();
        ctx.stderr('Timed out');
        return EXIT_TIMEOUT;
      }
      continue;
    }
    if (ev.kind === 'count' || ev.kind === 'interrupt') break;
    if (ev.kind === 'lost') {
      await client.close();
      ctx.stderr(ev.message);
      return ev.code;
    }
  }
  await client.close();
  return 0;
}

export const subCmd: CliCommand = {
  command: 'sub',
  describe: 'subscribe to MQTT topics with zsim\'s MQTT client and print messages (like mosquitto_sub)',
  builder: (y: Argv) =>
    connectionOptions(hostNotHelp('sub', y))
      .usage('zsim sub -h HOST -p PORT -t TOPIC... [-q QOS] [-v] [-C COUNT] [-W SECONDS] [-F FORMAT] [options]')
      .option('topic', { alias: 't', type: 'string', array: true, describe: 'topic filter to subscribe to (repeatable)' })
      .option('qos', { alias: 'q', type: 'number', default: 0, describe: 'QoS asked for the subscriptions: 0, 1 or 2' })
      .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'print "topic payload"' })
      .option('count', { alias: 'C', type: 'number', describe: 'exit after COUNT messages' })
      .option('timeout', { alias: 'W', type: 'number', describe: 'exit after SECONDS (exit code 27, as mosquitto_sub)' })
      .option('disable-clean-session', { alias: 'c', type: 'boolean', default: false, describe: 'persistent session (needs -i)' })
      .option('format', { alias: 'F', type: 'string', describe: 'output format: %t topic, %p payload, %q QoS, %r retain, %l length, %m message id, %x hex payload' })
      .option('no-eol', { alias: 'N', type: 'boolean', default: false, describe: 'no newline after each message' }),
  handler: async (a, io) => {
    if (printHelpIfAsked('sub', a)) return 0;
    const p = plan(a);
    return runToolBoard((ctx) => subMain(ctx, p), {
      debug: p.conn.debug,
      quietTlsIpWarning: tlsHostIsIp(p.conn),
      stderr: (l) => io.stderr(l),
    });
  },
};
