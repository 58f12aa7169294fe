/**
 * Incoming publishes through lwIP's receive buffer (`MQTT_VAR_HEADER_BUFFER_LEN`): payloads that
 * do not fit arrive in fragments through the data callback, the last one flagged
 * `MQTT_DATA_FLAG_LAST`; incoming QoS 1 and 2 are acknowledged by the client itself.
 */
import { describe, expect, it } from 'vitest';
import { K_SECONDS, k_msleep, k_sem, k_sem_give, k_sem_init, k_sem_take } from '../../src/kernel/index.ts';
import {
  IP4_ADDR, MQTT_CONNECT_DISCONNECTED, MQTT_DATA_FLAG_LAST, ip_addr_t, mqtt_client_connect, mqtt_client_new,
  mqtt_disconnect, mqtt_set_inpub_callback,
} from '../../src/lwip/mqtt.ts';
import { Scripted, bytes, frame, publishPacket, simBoard, text } from './helpers.ts';

function pattern(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_v, i) => 0x41 + (i % 26));
}

interface Received {
  log: string[];
  data: Uint8Array[];
}

/**
 * A board whose client connects, then the broker sends `packets` in TCP writes of `chunk` bytes;
 * records the callbacks.
 */
async function receive(packets: Uint8Array[], opts: { buffer?: number; chunk?: number; reply?: (s: Scripted, p: Uint8Array) => void } = {}): Promise<Received & { s: Scripted }> {
  const out: Received = { log: [], data: [] };
  const s = new Scripted((sc, p) => {
    if (p[0] === 0x10) {
      sc.send(new Uint8Array([0x20, 2, 0, 0]));
      const all = new Uint8Array(packets.reduce((n, x) => n + x.length, 0));
      let o = 0;
      for (const x of packets) {
        all.set(x, o);
        o += x.length;
      }
      const step = opts.chunk ?? all.length;
      for (let i = 0; i < all.length; i += step) sc.send(all.subarray(i, i + step));
    }
    opts.reply?.(sc, p);
  });
  await simBoard(async () => {
    const c = mqtt_client_new()!;
    const up = new k_sem();
    k_sem_init(up, 0, 1);
    const ip = new ip_addr_t();
    IP4_ADDR(ip, 192, 0, 2, 2);
    mqtt_client_connect(c, ip, 1883, (cl, _a, st) => {
      out.log.push(`status ${st}`);
      mqtt_set_inpub_callback(cl, (_a2, topic, tot) => out.log.push(`publish ${topic} ${tot}`), (_a2, d, len, flags) => {
        out.log.push(`data ${len}${flags & MQTT_DATA_FLAG_LAST ? ' last' : ''}`);
        out.data.push(d.slice(0, len));
      }, null);
      k_sem_give(up);
    }, null, { client_id: 'frag' });
    await k_sem_take(up, K_SECONDS(5));
    await k_msleep(200);
    mqtt_disconnect(c);
  }, { server: s, config: opts.buffer === undefined ? {} : { LWIP_MQTT_VAR_HEADER_BUFFER_LEN: opts.buffer } });
  return { ...out, s };
}

const join = (parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('incoming publish fragmentation', () => {
  it('a publish that fits the default 128-byte buffer arrives in one call, QoS 0 unanswered', async () => {
    const r = await receive([publishPacket('lwip/sub', bytes('hello'))]);
    expect(r.log).toEqual(['status 0', 'publish lwip/sub 5', 'data 5 last']);
    expect(text(r.data[0]!)).toBe('hello');
    expect(r.s.types()).toEqual([0x10]);
  });

  it('with a 32-byte buffer, 100 bytes arrive as 17 + 30 + 30 + 23, then PUBACK', async () => {
    // Fixed header 2 bytes; first piece: topic (2 + 9) and packet id (2), 17 payload bytes.
    const body = pattern(100);
    const r = await receive([publishPacket('lwip/frag', body, 1, 7)], { buffer: 32 });
    expect(r.log).toEqual(['status 0', 'publish lwip/frag 100', 'data 17', 'data 30', 'data 30', 'data 23 last']);
    expect(join(r.data)).toEqual(body);
    expect(r.s.packets[1]).toEqual(new Uint8Array([0x40, 2, 0, 7]));
  });

  it('cuts at the same places whatever the TCP segments, with a 3-byte fixed header', async () => {
    const body = pattern(200);
    const pkts = [publishPacket('lwip/frag', body, 1, 9), publishPacket('b', bytes('tail'))];
    const whole = await receive(pkts, { buffer: 32 });
    const dribble = await receive(pkts, { buffer: 32, chunk: 7 });
    // 3 header bytes leave 29: 29 - 13 = 16 first, then 29s, then the remaining 10.
    const expected = ['status 0', 'publish lwip/frag 200', 'data 16', ...Array(6).fill('data 29'), 'data 10 last', 'publish b 4', 'data 4 last'];
    expect(whole.log).toEqual(expected);
    expect(dribble.log).toEqual(expected);
    expect(join(dribble.data.slice(0, 8))).toEqual(body);
  });

  it('QoS 2: PUBREC after the last fragment, PUBCOMP when the broker releases it', async () => {
    const r = await receive([publishPacket('q2', pattern(40), 2, 300)], {
      buffer: 16,
      reply: (sc, p) => {
        if (p[0] === 0x50) sc.send(new Uint8Array([0x62, 2, p[2]!, p[3]!]));
      },
    });
    expect(r.log).toEqual(['status 0', 'publish q2 40', 'data 8', 'data 14', 'data 14', 'data 4 last']);
    expect(r.s.packets.slice(1)).toEqual([new Uint8Array([0x50, 2, 1, 44]), new Uint8Array([0x70, 2, 1, 44])]);
  });

  it('an empty payload still gets one data call, flagged last', async () => {
    const r = await receive([publishPacket('e', new Uint8Array(0), 1, 2)]);
    expect(r.log).toEqual(['status 0', 'publish e 0', 'data 0 last']);
    expect(r.s.packets[1]).toEqual(new Uint8Array([0x40, 2, 0, 2]));
  });

  it('a topic the buffer cannot hold drops the connection (lwIP needs topic + 8 bytes)', async () => {
    // 32-byte buffer, 2-byte fixed header: a QoS 0 topic of 28 bytes leaves no room for lwIP's NUL.
    const fits = await receive([publishPacket('t'.repeat(27), bytes('x'))], { buffer: 32 });
    expect(fits.log).toEqual(['status 0', `publish ${'t'.repeat(27)} 1`, 'data 1 last']);
    const tooLong = await receive([publishPacket('t'.repeat(28), bytes('x'))], { buffer: 32 });
    expect(tooLong.log).toEqual(['status 0', `status ${MQTT_CONNECT_DISCONNECTED}`]);
    expect(tooLong.s.ended).toBe(true);
  });

  it('a malformed packet drops the connection', async () => {
    const r = await receive([frame(0x40, [0, 0])]); // PUBACK with packet id 0
    expect(r.log).toEqual(['status 0', `status ${MQTT_CONNECT_DISCONNECTED}`]);
  });
});
