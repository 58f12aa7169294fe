/**
 * The pieces of zsim's lwIP MQTT client on their own: err_t values, ip_addr helpers, the
 * output ring buffer, the request list and the options read from Kconfig.
 */
import { describe, expect, it } from 'vitest';
import { runBoard } from '../helpers/board.ts';
import { cpu } from '../../src/kernel/cpu.ts';
import * as lwip from '../../src/lwip/mqtt.ts';
import {
  IP4_ADDR, IPADDR_NONE, ip4_addr1, ip4_addr4, ip_addr_t, ipaddr_addr, ipaddr_aton, ipaddr_ntoa, lwip_strerr,
} from '../../src/lwip/mqtt.ts';
import { mqtt_opts_of } from '../../src/lwip/mqtt_opts.ts';
import { mqtt_request_queue } from '../../src/lwip/mqtt_requests.ts';
import { mqtt_ringbuf_t } from '../../src/lwip/ringbuf.ts';

describe('err_t', () => {
  it("has lwIP's numbers", () => {
    const names = ['ERR_OK', 'ERR_MEM', 'ERR_BUF', 'ERR_TIMEOUT', 'ERR_RTE', 'ERR_INPROGRESS', 'ERR_VAL', 'ERR_WOULDBLOCK', 'ERR_USE',
      'ERR_ALREADY', 'ERR_ISCONN', 'ERR_CONN', 'ERR_IF', 'ERR_ABRT', 'ERR_RST', 'ERR_CLSD', 'ERR_ARG'] as const;
    expect(names.map((n) => lwip[n])).toEqual(names.map((_n, i) => -i || 0));
    expect(lwip_strerr(lwip.ERR_MEM)).toBe('Out of memory error.');
    expect(lwip_strerr(-99)).toBe('Unknown error.');
  });

  it("has lwIP's connection statuses and data flag", () => {
    expect([
      lwip.MQTT_CONNECT_ACCEPTED, lwip.MQTT_CONNECT_REFUSED_PROTOCOL_VERSION, lwip.MQTT_CONNECT_REFUSED_IDENTIFIER,
      lwip.MQTT_CONNECT_REFUSED_SERVER, lwip.MQTT_CONNECT_REFUSED_USERNAME_PASS, lwip.MQTT_CONNECT_REFUSED_NOT_AUTHORIZED_,
      lwip.MQTT_CONNECT_DISCONNECTED, lwip.MQTT_CONNECT_TIMEOUT, lwip.MQTT_DATA_FLAG_LAST,
    ]).toEqual([0, 1, 2, 3, 4, 5, 256, 257, 1]);
  });
});

describe('ip_addr_t', () => {
  it('IP4_ADDR stores network order as a little-endian target reads it', () => {
    const ip = new ip_addr_t();
    IP4_ADDR(ip, 192, 0, 2, 1);
    expect(ip.addr).toBe(0x010200c0);
    expect([ip4_addr1(ip), ip4_addr4(ip), ipaddr_ntoa(ip)]).toEqual([192, 1, '192.0.2.1']);
  });

  it('ipaddr_aton parses what inet_aton does', () => {
    const ip = new ip_addr_t();
    const parse = (s: string): string | null => (ipaddr_aton(s, ip) ? ipaddr_ntoa(ip) : null);
    expect(parse('10.1.2.3')).toBe('10.1.2.3');
    expect(parse('0x7f.1')).toBe('127.0.0.1');
    expect(parse('10.258')).toBe('10.0.1.2');
    expect(parse('012.0.0.1')).toBe('10.0.0.1');
    expect(parse('3232235777')).toBe('192.168.1.1');
    expect(parse('1.2.3.4 ')).toBe('1.2.3.4');
    for (const bad of ['', '1.2.3.4.5', '256.1.1.1', '1.2.3.256', '1..2', 'a.b.c.d', '1.2.3.4x', '08.1.1.1']) {
      expect([bad, ipaddr_aton(bad, null)]).toEqual([bad, 0]);
    }
    expect(ipaddr_addr('1.2.3.4')).toBe(0x04030201);
    expect(ipaddr_addr('nope')).toBe(IPADDR_NONE);
  });
});

describe('mqtt_ringbuf_t', () => {
  it('wraps around, holds exactly its size, and drains in order', () => {
    const rb = new mqtt_ringbuf_t(8);
    expect(rb.append(new Uint8Array([1, 2, 3, 4, 5, 6]))).toBe(true);
    rb.advance(4);
    expect(rb.append(new Uint8Array([7, 8, 9, 10, 11, 12]))).toBe(true);
    expect([rb.len(), rb.free()]).toEqual([8, 0]);
    expect(rb.append(new Uint8Array([13]))).toBe(false);
    expect([...rb.linear()]).toEqual([5, 6, 7, 8]);
    expect([...rb.drain()]).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect([rb.len(), rb.free()]).toEqual([0, 8]);
  });
});

describe('mqtt_request_queue', () => {
  it("expires requests with lwIP's relative timeouts and frees their slots", () => {
    const q = new mqtt_request_queue(2, 30);
    const log: string[] = [];
    const cb = (arg: unknown, err: number): void => void log.push(`${String(arg)} ${err}`);
    expect(q.append(1, cb, 'a')).toBe(true);
    q.time_elapsed(10);
    expect(q.append(2, cb, 'b')).toBe(true);
    expect(q.append(3, cb, 'c')).toBe(false);
    q.time_elapsed(15);
    expect(log).toEqual([]);
    q.time_elapsed(5);
    expect(log).toEqual(['a -3']);
    // b was queued with 30 - 20 = 10 s after a, so it expires 10 s after a.
    q.time_elapsed(5);
    expect(log).toEqual(['a -3']);
    q.time_elapsed(5);
    expect(log).toEqual(['a -3', 'b -3']);
    expect(q.has_free_slot()).toBe(true);
  });

  it('take() hands a removed request\'s remaining time to the next one', () => {
    const q = new mqtt_request_queue(4, 30);
    const log: string[] = [];
    q.append(1, () => log.push('one'), null);
    q.time_elapsed(20);
    q.append(2, () => log.push('two'), null);
    expect(q.take(1)?.pkt_id).toBe(1);
    expect(q.take(1)).toBeNull();
    q.time_elapsed(29);
    expect(log).toEqual([]);
    q.time_elapsed(1);
    expect(log).toEqual(['two']);
  });
});

describe('the tcpip thread', () => {
  it('is started at boot with CONFIG_LWIP_MQTT as a cooperative system thread, and does not keep the run alive', async () => {
    const seen: unknown[] = [];
    const r = await runBoard(() => {
      const t = [...cpu.kernel!.threads].find((x) => x.dbgName === 'tcpip_thread');
      seen.push(t?.system, t?.prio);
    }, { config: { LWIP_MQTT: true } });
    expect(seen).toEqual([true, -1]);
    expect(r.result.reason).toBe('finished');
  });
});

describe('a board without a network interface', () => {
  it('mqtt_client_connect returns ERR_IF: no socket can be made', async () => {
    const rc: number[] = [];
    await runBoard(() => {
      const ip = new ip_addr_t();
      IP4_ADDR(ip, 192, 0, 2, 2);
      rc.push(lwip.mqtt_client_connect(lwip.mqtt_client_new()!, ip, 1883, null, null, { client_id: 'x' }));
    }, { config: { LWIP_MQTT: true } });
    expect(rc).toEqual([lwip.ERR_IF]);
  });
});

describe('options', () => {
  it("are lwIP's defaults without Kconfig, CONFIG_LWIP_MQTT_* otherwise", async () => {
    const seen: unknown[] = [];
    await runBoard(() => void seen.push(mqtt_opts_of(cpu.kernel!)));
    await runBoard(() => void seen.push(mqtt_opts_of(cpu.kernel!)), {
      config: { LWIP_MQTT_OUTPUT_RINGBUF_SIZE: 512, LWIP_MQTT_REQ_TIMEOUT: 10, LWIP_TCPIP_THREAD_PRIO: 3 },
    });
    expect(seen[0]).toEqual({
      MQTT_OUTPUT_RINGBUF_SIZE: 256, MQTT_VAR_HEADER_BUFFER_LEN: 128, MQTT_REQ_MAX_IN_FLIGHT: 4, MQTT_CYCLIC_TIMER_INTERVAL: 5,
      MQTT_REQ_TIMEOUT: 30, MQTT_CONNECT_TIMOUT: 100, TCPIP_THREAD_STACKSIZE: 1024, TCPIP_THREAD_PRIO: -1,
    });
    expect(seen[1]).toMatchObject({ MQTT_OUTPUT_RINGBUF_SIZE: 512, MQTT_REQ_TIMEOUT: 10, TCPIP_THREAD_PRIO: 3 });
  });
});
