/**
 * `zsim fleet --broker` against a real mosquitto: real time, every board on the host network
 * with its own client id; ticks come from mosquitto_pub, as a user would send them.
 * Under CI=true a missing mosquitto fails instead of skipping.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, mosquittoAvailable, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';
import { fleet, qos, tmp } from './helpers.ts';

const PUB = '/usr/bin/mosquitto_pub';
const have = mosquittoAvailable() && (existsSync(PUB) || (process.env.CI === 'true' ? (() => { throw new Error('mosquitto_pub is required under CI=true'); })() : false));

function pub(port: number, topic: string, message: string): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn(PUB, ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-m', message, '-q', '1'], { stdio: 'ignore' });
    p.on('exit', (code) => resolve(code ?? -1));
  });
}

describe.skipIf(!have)('zsim fleet --broker with a real mosquitto', () => {
  let broker: Mosquitto;
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
    broker = await startMosquitto([`listener ${port} 127.0.0.1`, 'allow_anonymous true'], [port]);
  });
  afterAll(async () => broker?.stop());

  it('connects every board with its own id, answers ticks, halts on control/all', async () => {
    const dir = tmp();
    const driver = (async () => {
      // Once every board subscribed, tick twice and halt them all.
      const until = Date.now() + 20_000;
      while ((broker.log().match(/Received SUBSCRIBE from zsim-0000\d/g) ?? []).length < 5 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await pub(port, 'tick', 'tick');
      await pub(port, 'tick', 'tick');
      // The tocks must be acknowledged before the halt, or they would be in flight at the end.
      const tocks = Date.now() + 10_000;
      while ((broker.log().match(/Received PUBLISH from zsim-0000\d/g) ?? []).length < 10 && Date.now() < tocks) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await pub(port, 'control/all', 'halt');
    })();
    const run = await fleet(path.join(dir, 'build'), { count: 5, time: 30, broker: `mqtt://127.0.0.1:${port}` });
    await driver;
    const log = broker.log();
    for (let i = 0; i < 5; i++) expect(log).toContain(`as zsim-0000${i}`);
    expect(run.result.reason).toBe('finished');
    expect(run.report.broker).toBe(`mqtt://127.0.0.1:${port}`);
    expect(run.report.connections.connects).toBe(5);
    expect(run.report.board_states.finished).toBe(5);
    // Two ticks and the halt reached each board; each tick was answered by a QoS 1 tock the
    // broker acknowledged.
    expect(qos(run, 1).delivered).toBe(15);
    expect(qos(run, 1).published).toBe(10);
    expect(qos(run, 1).lost).toBe(0);
    expect(qos(run, 1).in_flight).toBe(0);
  });
});
