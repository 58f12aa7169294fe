/**
 * lwIP's limits on the simulated network (virtual time, so lwIP's 30 s and 100 s timeouts run
 * at once): the output ring buffer and the in-flight requests (ERR_MEM beyond them), request
 * timeouts, the connect timeout and keep-alive pings from the cyclic timer.
 */
import { describe, expect, it } from 'vitest';
import { K_SECONDS, k_msleep, k_sem, k_sem_give, k_sem_init, k_sem_take, k_uptime_get } from '../../src/kernel/index.ts';
import {
  ERR_MEM, ERR_OK, ERR_TIMEOUT, IP4_ADDR, MQTT_CONNECT_TIMEOUT, ip_addr_t, mqtt_client_connect, mqtt_client_new,
  mqtt_disconnect, mqtt_publish, mqtt_subscribe, type mqtt_client_t, type mqtt_connect_client_info_t,
} from '../../src/lwip/mqtt.ts';
import { Scripted, connackOnly, simBoard } from './helpers.ts';

function broker(): ip_addr_t {
  const ip = new ip_addr_t();
  IP4_ADDR(ip, 192, 0, 2, 2);
  return ip;
}

/** Connects; resolves with the first status. Later statuses go to `log` with their time. */
async function connect(c: mqtt_client_t, log: string[] = [], info: mqtt_connect_client_info_t = { client_id: 'lim' }): Promise<number> {
  const sem = new k_sem();
  k_sem_init(sem, 0, 1);
  let first = -1;
  const rc = mqtt_client_connect(c, broker(), 1883, (_c, _a, st) => {
    log.push(`status ${st} at ${k_uptime_get()}`);
    if (first < 0) first = st;
    k_sem_give(sem);
  }, null, info);
  if (rc !== ERR_OK) return rc;
  await k_sem_take(sem, K_SECONDS(1000));
  return first;
}

const payload = (n: number): Uint8Array => new Uint8Array(n).fill(0x61);

describe('output ring buffer (MQTT_OUTPUT_RINGBUF_SIZE)', () => {
  it('default 256 bytes: a publish that fills it exactly is queued, one byte more is ERR_MEM', async () => {
    const s = new Scripted(connackOnly(0));
    const log: unknown[] = [];
    await simBoard(async () => {
      const c = mqtt_client_new()!;
      await connect(c);
      // PUBLISH QoS 0 on "t": type byte, two length bytes, topic (3), payload.
      log.push(mqtt_publish(c, 't', payload(251), 251, 0, 0, null, null));
      log.push(mqtt_publish(c, 't', payload(250), 250, 0, 0, null, null));
      // The tcpip thread has not run since: the ring is full.
      log.push(mqtt_publish(c, 't', payload(1), 1, 0, 0, null, null));
      await k_msleep(50);
      log.push(mqtt_publish(c, 't', payload(1), 1, 0, 0, null, null));
      await k_msleep(50);
      mqtt_disconnect(c);
    }, { server: s.server });
    expect(log).toEqual([ERR_MEM, ERR_OK, ERR_MEM, ERR_OK]);
    expect(s.packets.map((p) => p.length)).toEqual([expect.any(Number), 256, 6]);
  });

  it('CONFIG_LWIP_MQTT_OUTPUT_RINGBUF_SIZE sets it, CONNECT included', async () => {
    const s = new Scripted(connackOnly(0));
    const log: unknown[] = [];
    await simBoard(async () => {
      const c = mqtt_client_new()!;
      log.push(mqtt_client_connect(c, broker(), 1883, null, null, { client_id: 'x'.repeat(60) }));
      await connect(c);
      log.push(mqtt_publish(c, 't', payload(60), 60, 0, 0, null, null));
      log.push(mqtt_publish(c, 't', payload(59), 59, 0, 0, null, null));
      await k_msleep(50);
      mqtt_disconnect(c);
    }, { server: s.server, config: { LWIP_MQTT_OUTPUT_RINGBUF_SIZE: 64 } });
    expect(log).toEqual([ERR_MEM, ERR_MEM, ERR_OK]);
  });
});

describe('requests in flight (MQTT_REQ_MAX_IN_FLIGHT)', () => {
  it('four pending requests at most: the fifth is ERR_MEM until an answer frees a slot', async () => {
    // PUBACK only for the publish whose payload is "ack".
    let held: Uint8Array | null = null;
    const s = new Scripted((sc, p) => {
      if (p[0] === 0x10) sc.send(new Uint8Array([0x20, 2, 0, 0]));
      if (p[0] === 0x32) {
        const id = p.slice(5, 7);
        if (p[p.length - 1] === 0x6b) held = new Uint8Array([0x40, 2, ...id]);
      }
    });
    const log: unknown[] = [];
    await simBoard(async () => {
      const c = mqtt_client_new()!;
      await connect(c);
      const cb = (_a: unknown, err: number): void => void log.push(`done ${err}`);
      log.push(mqtt_publish(c, 't', 'ack', 3, 1, 0, cb, null));
      for (let i = 0; i < 3; i++) log.push(mqtt_publish(c, 't', 'x', 1, 1, 0, cb, null));
      log.push(mqtt_publish(c, 't', 'x', 1, 1, 0, cb, null));
      log.push(mqtt_publish(c, 't', 'x', 1, 0, 0, cb, null));
      log.push(mqtt_subscribe(c, 'x', 1, cb, null));
      await k_msleep(100);
      s.send(held!);
      await k_msleep(100);
      log.push(mqtt_subscribe(c, 'x', 1, cb, null));
      log.push(mqtt_publish(c, 't', 'x', 1, 0, 0, cb, null));
      mqtt_disconnect(c);
    }, { server: s.server });
    expect(log).toEqual([ERR_OK, ERR_OK, ERR_OK, ERR_OK, ERR_MEM, ERR_MEM, ERR_MEM, `done ${ERR_OK}`, ERR_OK, ERR_MEM]);
  });

  it('CONFIG_LWIP_MQTT_REQ_MAX_IN_FLIGHT=1 allows one', async () => {
    const s = new Scripted(connackOnly(0));
    const log: unknown[] = [];
    await simBoard(async () => {
      const c = mqtt_client_new()!;
      await connect(c);
      log.push(mqtt_subscribe(c, 'a', 0, null, null), mqtt_subscribe(c, 'b', 0, null, null));
      mqtt_disconnect(c);
    }, { server: s.server, config: { LWIP_MQTT_REQ_MAX_IN_FLIGHT: 1 } });
    expect(log).toEqual([ERR_OK, ERR_MEM]);
  });
});

describe('timeouts of the cyclic timer', () => {
  it('unanswered requests get ERR_TIMEOUT after MQTT_REQ_TIMEOUT (30 s), checked every 5 s, oldest first', async () => {
    const s = new Scripted(connackOnly(0));
    const log: string[] = [];
    let t0 = 0;
    await simBoard(async () => {
      const c = mqtt_client_new()!;
      await connect(c, log);
      t0 = k_uptime_get();
      mqtt_subscribe(c, 'never', 1, (_a, err) => log.push(`sub ${err} at ${k_uptime_get() - t0}`), null);
      await k_msleep(12_000);
      mqtt_publish(c, 'never', 'x', 1, 1, 0, (_a, err) => log.push(`pub ${err} at ${k_uptime_get() - t0}`), null);
      await k_msleep(40_000);
      mqtt_disconnect(c);
    }, { server: s.server });
    // The timer ticks 5 s after TCP connected (4 ms before CONNACK): the subscribe expires on the
    // sixth tick; the publish, queued 12 s in, on the tick 30 s after the one before it (lwIP's
    // relative timeouts), i.e. on the eighth.
    expect(log).toEqual([`status 0 at ${t0}`, `sub ${ERR_TIMEOUT} at ${30_004 - t0}`, `pub ${ERR_TIMEOUT} at ${40_004 - t0}`]);
  });

  it('a CONNECT left without CONNACK ends with MQTT_CONNECT_TIMEOUT after MQTT_CONNECT_TIMOUT (100 s)', async () => {
    const s = new Scripted(() => {});
    const log: string[] = [];
    const r = await simBoard(async () => {
      const c = mqtt_client_new()!;
      log.push(`first ${await connect(c, log)}`);
    }, { server: s.server });
    expect(r.result.reason).toBe('finished');
    expect(log).toEqual([`status ${MQTT_CONNECT_TIMEOUT} at 100004`, `first ${MQTT_CONNECT_TIMEOUT}`]);
    expect(s.ended).toBe(true);
  });

  it('CONFIG_LWIP_MQTT_CONNECT_TIMOUT and CONFIG_LWIP_MQTT_CYCLIC_TIMER_INTERVAL set it', async () => {
    const s = new Scripted(() => {});
    const log: string[] = [];
    await simBoard(async () => {
      await connect(mqtt_client_new()!, log);
    }, { server: s.server, config: { LWIP_MQTT_CONNECT_TIMOUT: 3, LWIP_MQTT_CYCLIC_TIMER_INTERVAL: 1 } });
    expect(log).toEqual([`status ${MQTT_CONNECT_TIMEOUT} at 3004`]);
  });

  it('keep-alive: PINGREQ once keep_alive seconds passed without output, answered by PINGRESP', async () => {
    const s = new Scripted((sc, p) => {
      if (p[0] === 0x10) sc.send(new Uint8Array([0x20, 2, 0, 0]));
      if (p[0] === 0xc0) sc.send(new Uint8Array([0xd0, 0]));
    });
    const log: string[] = [];
    await simBoard(async () => {
      const c = mqtt_client_new()!;
      await connect(c, log, { client_id: 'ka', keep_alive: 10 });
      await k_msleep(35_000);
      log.push(`connected after 35 s: ${c.conn_state === 3}`);
      mqtt_disconnect(c);
    }, { server: s });
    // Ticks every 5 s from TCP connect (4 ms); the third tick after the last output has
    // cyclic_tick * 5 >= 10, so a PINGREQ leaves every 15 s and reaches the broker 2 ms later.
    const pings = s.times.filter((_t, i) => s.packets[i]![0] === 0xc0).map(Math.floor);
    expect(pings).toEqual([15_006, 30_006]);
    expect(log).toEqual(['status 0 at 8', 'connected after 35 s: true']);
  });
});
