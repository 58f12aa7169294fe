/**
 * `zsim pub` against a real mosquitto, checked with mosquitto's own mosquitto_sub: QoS 0/1/2,
 * retained messages, `-l` streaming stdin lines as they arrive, `-f`, `-n`, and the failures.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, mosquittoForSuite } from '../helpers/mosquitto.ts';
import { mosquittoSub as subscribe } from '../helpers/mosquitto_clients.ts';
import { haveMosquittoTools, zsimRun, zsimSpawn } from './helpers.ts';

const have = haveMosquittoTools('pub');
const mq = mosquittoForSuite({ skip: !have });

const pub = (...args: string[]): string[] => ['pub', '-h', '127.0.0.1', '-p', String(mq.port), ...args];

describe.skipIf(!have)('zsim pub -> mosquitto_sub', () => {
  it('publishes at QoS 0, 1 and 2 (waiting for the acks) and a retained message', async () => {
    const sub = subscribe(mq.port, 'zp/q/#', ['-q', '2']);
    await sub.ready;
    for (const q of ['0', '1', '2']) {
      const r = await zsimRun(pub('-t', `zp/q/${q}`, '-m', `hello ${q}`, '-q', q, '-d'));
      expect(r.code, r.stderr).toBe(0);
      if (q === '1') expect(r.stderr).toMatch(/received PUBACK \(Mid: 1, RC:0\)/);
      if (q === '2') expect(r.stderr).toMatch(/received PUBREC[\s\S]*sending PUBREL[\s\S]*received PUBCOMP/);
      expect(r.stderr).toMatch(/sending DISCONNECT/);
    }
    const got = await sub.waitFor(3);
    sub.stop();
    expect(got).toEqual(['zp/q/0 0 0 hello 0', 'zp/q/1 1 0 hello 1', 'zp/q/2 2 0 hello 2']);

    const r = await zsimRun(pub('-t', 'zp/retained', '-m', 'kept', '-r', '-q', '1'));
    expect(r.code, r.stderr).toBe(0);
    // A subscriber that comes later gets the retained message, flagged as such.
    const late = subscribe(mq.port, 'zp/retained');
    const kept = await late.waitFor(1);
    late.stop();
    expect(kept).toEqual(['zp/retained 0 1 kept']);
  }, 60_000);

  it('-l publishes each stdin line as it arrives, until EOF', async () => {
    const sub = subscribe(mq.port, 'zp/tick', ['-q', '1']);
    await sub.ready;
    const p = zsimSpawn(pub('-t', 'zp/tick', '-l', '-q', '1'), { keepStdin: true });
    // Each line is out before the next is written: the seed's `while true; echo tick; sleep 1`.
    p.proc.stdin!.write('tick 1\n');
    expect(await sub.waitFor(1, 15_000)).toEqual(['zp/tick 1 0 tick 1']);
    p.proc.stdin!.write('tick 2\n');
    expect(await sub.waitFor(2, 5000)).toHaveLength(2);
    p.proc.stdin!.write('\ntick 3\r\nlast without newline');
    p.proc.stdin!.end();
    const r = await p.done;
    expect(r.code, r.stderr).toBe(0);
    const got = await sub.waitFor(5);
    sub.stop();
    // As mosquitto_pub: an empty line is an empty message, \r stays, the last line is sent at EOF.
    expect(got).toEqual(['zp/tick 1 0 tick 1', 'zp/tick 1 0 tick 2', 'zp/tick 1 0 ', 'zp/tick 1 0 tick 3\r', 'zp/tick 1 0 last without newline']);
  }, 60_000);

  it('-l from a shell pipe', async () => {
    const sub = subscribe(mq.port, 'zp/pipe');
    await sub.ready;
    const r = await zsimRun(pub('-t', 'zp/pipe', '-l'), 'one\ntwo\nthree\n');
    expect(r.code, r.stderr).toBe(0);
    const got = await sub.waitFor(3);
    sub.stop();
    expect(got).toEqual(['zp/pipe 0 0 one', 'zp/pipe 0 0 two', 'zp/pipe 0 0 three']);
  }, 60_000);

  it('-f sends a file as one message; -n a zero-length one', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'zsim-pub-')), 'msg.bin');
    const body = 'line 1\nline 2\n' + 'x'.repeat(5000);
    writeFileSync(file, body);
    const sub = subscribe(mq.port, 'zp/file', ['-q', '1'], '%t %l %q');
    await sub.ready;
    expect((await zsimRun(pub('-t', 'zp/file', '-f', file, '-q', '1'))).code).toBe(0);
    expect((await zsimRun(pub('-t', 'zp/file', '-n'))).code).toBe(0);
    const got = await sub.waitFor(2);
    sub.stop();
    expect(got).toEqual([`zp/file ${body.length} 1`, 'zp/file 0 0']);
  }, 60_000);

  it('a closed port: exit 1 with "Connection refused"; an unknown host: a lookup error', async () => {
    const closed = await freePort();
    const r = await zsimRun(['pub', '-h', '127.0.0.1', '-p', String(closed), '-t', 'x', '-m', 'y']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error: Connection refused\n');
    const l = await zsimRun(['pub', '-h', 'no-such-host.invalid', '-t', 'x', '-m', 'y']);
    expect(l.code).toBe(1);
    expect(l.stderr).toMatch(/Unable to connect \(Lookup error\.\)/);
  }, 60_000);

  it('usage errors exit 2: no message, two messages, a wildcard topic', async () => {
    const cases = [
      [pub('-t', 'x'), /give the message/],
      [pub('-t', 'x', '-m', 'a', '-n'), /only one of/],
      [pub('-t', 'a/#', '-m', 'a'), /invalid publish topic 'a\/#'/],
      [pub('-t', 'x', '-m', 'a', '-q', '3'), /-q 3: expected an integer from 0 to 2/],
    ] as const;
    for (const [args, re] of cases) {
      const r = await zsimRun([...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
    }
  }, 60_000);
});
