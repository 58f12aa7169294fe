/**
 * lwIP's MQTT client against a scripted broker on the simulated network (virtual time): what it
 * puts on the wire, the err_t results of its calls, and the connection statuses.
 */
import { describe, expect, it } from 'vitest';
import { K_MSEC, K_SECONDS, k_msleep, k_sem, k_sem_give, k_sem_init, k_sem_take, k_uptime_get } from '../../src/kernel/index.ts';
import {
  ERR_ARG, ERR_CONN, ERR_ISCONN, ERR_OK, ERR_VAL, IP4_ADDR, MQTT_CONNECT_ACCEPTED, MQTT_CONNECT_DISCONNECTED,
  MQTT_CONNECT_REFUSED_IDENTIFIER, MQTT_CONNECT_REFUSED_NOT_AUTHORIZED_, MQTT_CONNECT_REFUSED_PROTOCOL_VERSION,
  MQTT_CONNECT_REFUSED_SERVER, MQTT_CONNECT_REFUSED_USERNAME_PASS, ip_addr_t, mqtt_client_connect, mqtt_client_free,
  mqtt_client_is_connected, mqtt_client_new, mqtt_disconnect, mqtt_publish, mqtt_subscribe, mqtt_unsubscribe,
  type mqtt_client_t, type mqtt_connect_client_info_t,
} from '../../src/lwip/mqtt.ts';
import { Scripted, bytes, connackOnly, frame, simBoard } from './helpers.ts';

function broker(): ip_addr_t {
  const ip = new ip_addr_t();
  IP4_ADDR(ip, 192, 0, 2, 2);
  return ip;
}

/** Connects and waits for the first status; the log collects every status with its time. */
async function connect(client: mqtt_client_t, log: string[], info: mqtt_connect_client_info_t = { client_id: 'c1' }): Promise<number> {
  const sem = new k_sem();
  k_sem_init(sem, 0, 1);
  let first = -1;
  const rc = mqtt_client_connect(client, broker(), 1883, (_c, _a, status) => {
    log.push(`status ${status} at ${k_uptime_get()}`);
    if (first < 0) first = status;
    k_sem_give(sem);
  }, null, info);
  if (rc !== ERR_OK) return rc;
  await k_sem_take(sem, K_SECONDS(300));
  return first;
}

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

describe('lwIP MQTT client on the wire', () => {
  it("sends lwIP's CONNECT (3.1.1, clean session, will, user, password) and a QoS 0 publish completes once sent", async () => {
    const s = new Scripted(connackOnly(0));
    const log: string[] = [];
    await simBoard(async () => {
      const c = mqtt_client_new()!;
      const info = { client_id: 'id', client_user: 'u', client_pass: 'p', keep_alive: 60, will_topic: 'w', will_msg: 'bye', will_qos: 1, will_retain: 1 };
      log.push(`connect ${await connect(c, log, info)}`);
      log.push(`connected ${mqtt_client_is_connected(c)}`);
      log.push(`publish ${mqtt_publish(c, 'a/b', 'hi', 2, 0, 1, (_a, err) => log.push(`published ${err}`), null)}`);
      await k_msleep(100);
      mqtt_disconnect(c);
      await k_msleep(100);
    }, { server: s.server });
    expect(log).toEqual(['status 0 at 8', 'connect 0', 'connected 1', 'publish 0', 'published 0']);
    // 0x10, remaining length, "MQTT", level 4, flags user|pass|will retain|will QoS 1|will|clean, keep-alive 60.
    expect(hex(s.packets[0]!)).toBe(
      '10 1c 00 04 4d 51 54 54 04 ee 00 3c 00 02 69 64 00 01 77 00 03 62 79 65 00 01 75 00 01 70',
    );
    expect(hex(s.packets[1]!)).toBe('31 07 00 03 61 2f 62 68 69');
    // lwIP's mqtt_disconnect closes TCP without sending DISCONNECT.
    expect(s.packets).toHaveLength(2);
    expect(s.ended).toBe(true);
  });

  it('subscribe, unsubscribe and a QoS 1 / QoS 2 publish complete on SUBACK, UNSUBACK, PUBACK, PUBREC-PUBREL-PUBCOMP', async () => {
    const s = new Scripted((sc, p) => {
      const id = [p[2]!, p[3]!];
      if (p[0] === 0x10) sc.send(new Uint8Array([0x20, 2, 0, 0]));
      if (p[0] === 0x82) sc.send(new Uint8Array([0x90, 3, ...id, 0x80])); // refused subscription
      if (p[0] === 0xa2) sc.send(new Uint8Array([0xb0, 2, ...id]));
      const pid = [p[p[3]! + 4]!, p[p[3]! + 5]!];
      if (p[0] === 0x32) sc.send(new Uint8Array([0x40, 2, ...pid]));
      if (p[0] === 0x34) sc.send(new Uint8Array([0x50, 2, ...pid]));
      if (p[0] === 0x62) sc.send(new Uint8Array([0x70, 2, ...id]));
    });
    const log: string[] = [];
    await simBoard(async () => {
      const c = mqtt_client_new()!;
      await connect(c, log);
      const cb = (what: string) => (_a: unknown, err: number) => log.push(`${what} ${err}`);
      log.push(`rc ${mqtt_subscribe(c, 'x/#', 1, cb('suback'), null)}`);
      log.push(`rc ${mqtt_unsubscribe(c, 'x/#', cb('unsuback'), null)}`);
      log.push(`rc ${mqtt_publish(c, 't', new Uint8Array([1, 2, 3]), 3, 1, 0, cb('puback'), null)}`);
      log.push(`rc ${mqtt_publish(c, 't', new Uint8Array([4]), 1, 2, 0, cb('pubcomp'), null)}`);
      await k_msleep(200);
      mqtt_disconnect(c);
    }, { server: s.server });
    expect(log).toEqual(['status 0 at 8', 'rc 0', 'rc 0', 'rc 0', 'rc 0', 'suback -13', 'unsuback 0', 'puback 0', 'pubcomp 0']);
    expect(s.packets.map((p) => hex(p))).toEqual([
      expect.stringMatching(/^10 /),
      '82 08 00 01 00 03 78 2f 23 01',
      'a2 07 00 02 00 03 78 2f 23',
      '32 08 00 01 74 00 03 01 02 03',
      '34 06 00 01 74 00 04 04',
      '62 02 00 04',
    ]);
  });

  it('output queued before mqtt_disconnect still goes out before the close, as TCP sends what it holds', async () => {
    const s = new Scripted(connackOnly(0));
    const log: unknown[] = [];
    await simBoard(async () => {
      const c = mqtt_client_new()!;
      await connect(c, []);
      // Same thread, no blocking call in between: the tcpip thread has not sent the publish yet.
      log.push(mqtt_publish(c, 'bye', 'now', 3, 0, 0, (_a, err) => log.push(`cb ${err}`), null));
      mqtt_disconnect(c);
      log.push(mqtt_client_is_connected(c));
      await k_msleep(100);
    }, { server: s.server });
    // The request was dropped with the connection (no callback); its bytes were not.
    expect(log).toEqual([ERR_OK, 0]);
    expect(s.types()).toEqual([0x10, 0x30]);
    expect(s.ended).toBe(true);
  });

  it('mqtt_disconnect while TCP is still connecting sends nothing and calls nothing back', async () => {
    const s = new Scripted(connackOnly(0));
    const log: string[] = [];
    const r = await simBoard(async () => {
      const c = mqtt_client_new()!;
      mqtt_client_connect(c, broker(), 1883, (_c, _a, st) => log.push(`status ${st}`), null, { client_id: 'x' });
      await k_msleep(1);
      mqtt_disconnect(c);
      await k_msleep(100);
    }, { server: s.server });
    expect(r.result.reason).toBe('finished');
    expect(log).toEqual([]);
    expect(s.packets).toEqual([]);
  });

  it('returns lwIP\'s err_t for calls that cannot be made', async () => {
    const s = new Scripted(connackOnly(0));
    const log: unknown[] = [];
    await simBoard(async () => {
      const c = mqtt_client_new()!;
      log.push(mqtt_publish(c, 't', 'x', 1, 0, 0, null, null), mqtt_subscribe(c, 't', 0, null, null));
      log.push(mqtt_client_connect(c, broker(), 1883, null, null, { client_id: 'a', client_user: '' }));
      log.push(mqtt_client_connect(c, broker(), 1883, null, null, { client_id: 'a', will_topic: 'w'.repeat(256), will_msg: 'm' }));
      log.push(mqtt_client_connect(c, broker(), 1883, null, null, { client_id: 'a', will_topic: '', will_msg: 'm' }));
      log.push(mqtt_client_connect(c, null, 1883, null, null, { client_id: 'a' }));
      log.push(mqtt_client_connect(c, broker(), 1883, null, null, { client_id: 'a', client_pass: 'p' }));
      log.push(await connect(c, []));
      log.push(mqtt_client_connect(c, broker(), 1883, null, null, { client_id: 'a' }));
      log.push(mqtt_publish(c, 't', 'x', 1, 3, 0, null, null), mqtt_publish(c, 't', 'x', 2, 0, 0, null, null));
      log.push(mqtt_publish(c, '', 'x', 1, 0, 0, null, null));
      log.push(mqtt_subscribe(c, 't', 3, null, null));
      mqtt_client_free(c);
      log.push(mqtt_client_is_connected(c), mqtt_publish(c, 't', 'x', 1, 0, 0, null, null));
    }, { server: s.server });
    // lwIP would send a password without a user name, QoS 3 and an empty topic; the codec refuses them.
    expect(log).toEqual([ERR_CONN, ERR_CONN, ERR_VAL, ERR_VAL, ERR_VAL, ERR_ARG, ERR_VAL, 0, ERR_ISCONN, ERR_ARG, ERR_ARG, ERR_ARG, ERR_ARG, 0, ERR_CONN]);
  });
});

describe('connection statuses', () => {
  const refused: [number, string][] = [
    [MQTT_CONNECT_REFUSED_PROTOCOL_VERSION, 'protocol version'],
    [MQTT_CONNECT_REFUSED_IDENTIFIER, 'identifier'],
    [MQTT_CONNECT_REFUSED_SERVER, 'server'],
    [MQTT_CONNECT_REFUSED_USERNAME_PASS, 'user name or password'],
    [MQTT_CONNECT_REFUSED_NOT_AUTHORIZED_, 'not authorized'],
  ];
  for (const [code, what] of refused) {
    it(`CONNACK refusing (${what}) gives status ${code} and closes the connection`, async () => {
      const s = new Scripted(connackOnly(code));
      const log: string[] = [];
      await simBoard(async () => {
        const c = mqtt_client_new()!;
        await connect(c, log);
        log.push(`connected ${mqtt_client_is_connected(c)}`);
        await k_msleep(50);
      }, { server: s.server });
      expect(log).toEqual([`status ${code} at 8`, 'connected 0']);
      expect(s.ended).toBe(true);
    });
  }

  it('a refused TCP connection gives MQTT_CONNECT_DISCONNECTED', async () => {
    const log: string[] = [];
    const r = await simBoard(async () => {
      const c = mqtt_client_new()!;
      const other = new ip_addr_t();
      IP4_ADDR(other, 192, 0, 2, 1); // the board itself: nothing listens on 1883
      mqtt_client_connect(c, other, 1883, (_c, _a, st) => log.push(`status ${st}`), null, { client_id: 'x' });
      await k_msleep(1000);
    });
    expect(r.result.reason).toBe('finished');
    expect(log).toEqual([`status ${MQTT_CONNECT_DISCONNECTED}`]);
  });

  it('the server closing the connection gives MQTT_CONNECT_DISCONNECTED, and the callback may reconnect', async () => {
    let n = 0;
    const s = new Scripted((sc, p) => {
      if (p[0] !== 0x10) return;
      sc.send(new Uint8Array([0x20, 2, 0, 0]));
      if (++n === 1) sc.conn!.end();
    });
    const log: string[] = [];
    await simBoard(async () => {
      const c = mqtt_client_new()!;
      const done = new k_sem();
      k_sem_init(done, 0, 1);
      const cb = (cl: mqtt_client_t, _a: unknown, st: number): void => {
        log.push(`status ${st}`);
        if (st === MQTT_CONNECT_DISCONNECTED) log.push(`reconnect ${mqtt_client_connect(cl, broker(), 1883, cb, null, { client_id: 'x' })}`);
        else if (log.length > 2) k_sem_give(done);
      };
      mqtt_client_connect(c, broker(), 1883, cb, null, { client_id: 'x' });
      await k_sem_take(done, K_MSEC(2000));
      mqtt_disconnect(c);
    }, { server: s.server });
    expect(log).toEqual([`status ${MQTT_CONNECT_ACCEPTED}`, `status ${MQTT_CONNECT_DISCONNECTED}`, 'reconnect 0', `status ${MQTT_CONNECT_ACCEPTED}`]);
    expect(s.accepted).toBe(2);
  });

  it('ignores a second CONNACK and drops the connection on a packet a client never gets', async () => {
    const s = new Scripted((sc, p) => {
      if (p[0] === 0x10) sc.send(new Uint8Array([0x20, 2, 0, 0, 0x20, 2, 0, 0]));
      if (p[0] === 0x30) sc.send(frame(0x82, [0, 1, 0, 1, 0x61, 0])); // SUBSCRIBE to a client
    });
    const log: string[] = [];
    await simBoard(async () => {
      const c = mqtt_client_new()!;
      await connect(c, log);
      mqtt_publish(c, 't', bytes('x'), 1, 0, 0, null, null);
      await k_msleep(100);
    }, { server: s.server });
    expect(log).toEqual(['status 0 at 8', `status ${MQTT_CONNECT_DISCONNECTED} at 12`]);
  });
});
