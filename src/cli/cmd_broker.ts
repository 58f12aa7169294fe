/**
 * `zsim broker [--port N] [--host H] [--tls --cert F --key F [--ca F]] [--ws]`: serves the
 * embedded broker (aedes) on the host's loopback, for other MQTT clients (mosquitto_pub, MQTT.js,
 * a board run with --broker), over TCP or, with --ws, over websocket. Runs until interrupted.
 */
import { Aedes } from 'aedes';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import type { Argv } from 'yargs';
import type { CliCommand } from './command.ts';
import { UsageError } from './errors.ts';
import { wsMqttServer } from '../net/broker_ws.ts';

function read(file: unknown, what: string): Buffer {
  if (typeof file !== 'string') throw new UsageError(`--tls needs --${what} FILE`);
  try {
    return readFileSync(file);
  } catch {
    throw new UsageError(`--${what} ${file}: cannot read the file`);
  }
}

export const brokerCmd: CliCommand = {
  command: 'broker',
  describe: 'serve the embedded MQTT broker on loopback',
  builder: (y: Argv) =>
    y
      .option('port', { alias: 'p', type: 'number', describe: 'TCP port (default 1883, or 8883 with --tls)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on' })
      .option('tls', { type: 'boolean', default: false, describe: 'serve MQTT over TLS' })
      .option('cert', { type: 'string', describe: 'server certificate (PEM), with --tls' })
      .option('key', { type: 'string', describe: 'server private key (PEM), with --tls' })
      .option('ca', { type: 'string', describe: 'CA for client certificates: clients must present one' })
      .option('ws', { type: 'boolean', default: false, describe: 'serve MQTT over websocket (ws://, wss:// with --tls; default port 9001)' }),
  handler: async (a, io) => {
    const useTls = a.tls === true;
    const useWs = a.ws === true;
    const port = (a.port as number | undefined) ?? (useWs ? 9001 : useTls ? 8883 : 1883);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${a.port}: not a port number`);
    const host = a.host as string;
    const aedes = await Aedes.createBroker();
    // Over websocket, each connection (after TLS, with --tls) goes through the websocket front.
    const front = useWs ? wsMqttServer((s) => aedes.handle(s)) : null;
    const serve = (s: net.Socket): void => (front ? front.accept(s) : void aedes.handle(s));
    const server = useTls
      ? tls.createServer(
          { cert: read(a.cert, 'cert'), key: read(a.key, 'key'), ca: a.ca ? read(a.ca, 'ca') : undefined, requestCert: !!a.ca, rejectUnauthorized: !!a.ca },
          serve,
        )
      : net.createServer(serve);
    aedes.on('client', (c) => io.stderr(`zsim broker: client ${c.id} connected`));
    aedes.on('clientDisconnect', (c) => io.stderr(`zsim broker: client ${c.id} disconnected`));
    const bound = await new Promise<number>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new UsageError(`cannot listen on ${host}:${port}: ${e.code ?? e.message}`)));
      server.listen(port, host, () => resolve((server.address() as net.AddressInfo).port));
    });
    const scheme = useWs ? (useTls ? 'wss' : 'ws') : useTls ? 'mqtts' : 'mqtt';
    process.stdout.write(`zsim broker: listening on ${scheme}://${host}:${bound}\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        front?.close();
        server.close();
        aedes.close(() => resolve());
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    io.stderr('zsim broker: stopped');
    return 0;
  },
};
