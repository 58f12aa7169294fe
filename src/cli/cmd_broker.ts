/**
 * `zsim broker [--port N] [--host H] [--tls --cert F --key F [--ca F]]`: serves the embedded
 * broker (aedes) on the host's loopback, for other MQTT clients (mosquitto_pub, MQTT.js, a board
 * run with --broker). Runs until interrupted.
 */
import { Aedes } from 'aedes';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import type { Argv } from 'yargs';
import type { CliCommand } from './command.ts';
import { UsageError } from './errors.ts';

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
      .option('ca', { type: 'string', describe: 'CA for client certificates: clients must present one' }),
  handler: async (a, io) => {
    const useTls = a.tls === true;
    const port = (a.port as number | undefined) ?? (useTls ? 8883 : 1883);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${a.port}: not a port number`);
    const host = a.host as string;
    const aedes = await Aedes.createBroker();
    const server = useTls
      ? tls.createServer(
          { cert: read(a.cert, 'cert'), key: read(a.key, 'key'), ca: a.ca ? read(a.ca, 'ca') : undefined, requestCert: !!a.ca, rejectUnauthorized: !!a.ca },
          (s) => aedes.handle(s),
        )
      : net.createServer((s) => aedes.handle(s));
    aedes.on('client', (c) => io.stderr(`zsim broker: client ${c.id} connected`));
    aedes.on('clientDisconnect', (c) => io.stderr(`zsim broker: client ${c.id} disconnected`));
    const bound = await new Promise<number>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new UsageError(`cannot listen on ${host}:${port}: ${e.code ?? e.message}`)));
      server.listen(port, host, () => resolve((server.address() as net.AddressInfo).port));
    });
    process.stdout.write(`zsim broker: listening on ${useTls ? 'mqtts' : 'mqtt'}://${host}:${bound}\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
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
