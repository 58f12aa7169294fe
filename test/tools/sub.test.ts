/**
 * `zsim sub` against a real mosquitto, fed by mosquitto's own mosquitto_pub: `-C n -v`, `-F`,
 * QoS acknowledgements, `-W` with mosquitto_sub's timeout exit code, `-c` persistent sessions.
 */
import { describe, expect, it } from 'vitest';
import { freePort, mosquittoForSuite } from '../helpers/mosquitto.ts';
import { mosquittoPub as publish } from '../helpers/mosquitto_clients.ts';
import { haveMosquittoTools, zsimRun, zsimSpawn } from './helpers.ts';

const have = haveMosquittoTools('sub');
const mq = mosquittoForSuite({ skip: !have });

const sub = (...args: string[]): string[] => ['sub', '-h', '127.0.0.1', '-p', String(mq.port), ...args];

describe.skipIf(!have)('mosquitto_pub -> zsim sub', () => {
  it('-C 3 -v prints "topic payload" for each message and exits 0; QoS 1/2 are acknowledged', async () => {
    const p = zsimSpawn(sub('-t', 'zs/a/#', '-t', 'zs/b', '-q', '2', '-C', '4', '-v', '-d'));
    expect(await p.waitStderr(/received SUBACK/)).toBe(true);
    expect(await publish(mq.port, 'zs/a/1', 'at most once')).toBe(0);
    expect(await publish(mq.port, 'zs/b', 'at least once', ['-q', '1'])).toBe(0);
    expect(await publish(mq.port, 'zs/a/2', 'exactly once', ['-q', '2'])).toBe(0);
    expect(await publish(mq.port, 'zs/a/3', '')).toBe(0);
    const r = await p.done;
    expect(r.code, r.stderr).toBe(0);
    // A QoS 2 message is delivered on PUBREL (as libmosquitto does), so it may print after the
    // QoS 0 message published after it.
    expect(r.stdout.split('\n').sort()).toEqual(['', 'zs/a/1 at most once', 'zs/a/2 exactly once', 'zs/a/3 (null)', 'zs/b at least once']);
    expect(r.stdout).toMatch(/^zs\/a\/1 at most once\nzs\/b at least once\n/);
    expect(r.stderr).toMatch(/Subscribed \(mid: 1\): 2, 2/);
    expect(r.stderr).toMatch(/received PUBLISH \(d0, q1, r0, m\d+, 'zs\/b', \.\.\. \(13 bytes\)\)\n.*sending PUBACK/);
    expect(r.stderr).toMatch(/sending PUBREC[\s\S]*received PUBREL[\s\S]*sending PUBCOMP/);
    // mosquitto_pub -q 1/-q 2 only exit 0 once acknowledged; the broker saw the tool's acks too.
    expect(await mq.broker.waitLog(/Received PUBCOMP from zsim-sub-/)).toMatch(/Received PUBACK from zsim-sub-/);
  }, 60_000);

  it('without -v prints payloads only; empty payloads print nothing but count', async () => {
    const p = zsimSpawn(sub('-t', 'zs/plain', '-C', '3', '-d'));
    expect(await p.waitStderr(/received SUBACK/)).toBe(true);
    await publish(mq.port, 'zs/plain', 'first');
    expect(await publish(mq.port, 'zs/plain', '')).toBe(0);
    await publish(mq.port, 'zs/plain', 'third');
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('first\nthird\n');
  }, 60_000);

  it('-F formats %t %p %q %r %l %m, and gets retained messages', async () => {
    expect(await publish(mq.port, 'zs/fmt/kept', 'old news', ['-r', '-q', '1'])).toBe(0);
    const p = zsimSpawn(sub('-t', 'zs/fmt/#', '-q', '1', '-C', '2', '-F', '%t|%p|%q|%r|%l|%m %%\\t.', '-d'));
    expect(await p.waitStderr(/received SUBACK/)).toBe(true);
    await publish(mq.port, 'zs/fmt/new', 'fresh', ['-q', '1']);
    const r = await p.done;
    expect(r.code, r.stderr).toBe(0);
    const [kept, fresh] = r.stdout.split('\n');
    expect(kept).toMatch(/^zs\/fmt\/kept\|old news\|1\|1\|8\|\d+ %\t\.$/);
    expect(fresh).toMatch(/^zs\/fmt\/new\|fresh\|1\|0\|5\|\d+ %\t\.$/);
    const bad = await zsimRun(sub('-t', 'x', '-F', '%z'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid format specifier 'z'/);
  }, 60_000);

  it('-W 1 with no traffic: "Timed out" and exit code 27, as mosquitto_sub 2.x', async () => {
    const t0 = Date.now();
    const r = await zsimRun(sub('-t', 'zs/silence', '-W', '1'));
    expect(r.code).toBe(27);
    expect(r.stderr).toBe('Timed out\n');
    expect(r.stdout).toBe('');
    expect(Date.now() - t0).toBeLessThan(15_000);
  }, 60_000);

  it('-c keeps the session: QoS 1 messages sent while away arrive on the next run', async () => {
    const id = `zsim-persist-${process.pid}`;
    const first = await zsimRun(sub('-t', 'zs/persist', '-q', '1', '-c', '-i', id, '-W', '1'));
    expect(first.code).toBe(27);
    expect(await publish(mq.port, 'zs/persist', 'while you were away', ['-q', '1'])).toBe(0);
    const again = await zsimRun(sub('-t', 'zs/persist', '-q', '1', '-c', '-i', id, '-C', '1', '-W', '10'));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('while you were away\n');
    const noId = await zsimRun(sub('-t', 'x', '-c'));
    expect(noId.code).toBe(2);
    expect(noId.stderr).toMatch(/-c needs -i/);
  }, 60_000);

  it('a closed port: exit 1 with "Connection refused"', async () => {
    const r = await zsimRun(['sub', '-h', '127.0.0.1', '-p', String(await freePort()), '-t', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error: Connection refused\n');
  }, 60_000);
});
