/**
 * Keep-alive: mqtt_live pings when `keepalive` seconds passed since the last packet sent and
 * returns -EAGAIN otherwise; PINGRESP takes one off `unacked_ping`; nothing drops the connection
 * for unanswered pings (that is the application's call, as in Zephyr).
 */
import { describe, expect, it } from 'vitest';
import { mosquittoForFile, connectAndWait, fakeBroker, hostBoard, newClient, pump, waitInput } from './helpers.ts';
import { EAGAIN, k_msleep, k_uptime_get } from '../../src/kernel/index.ts';
import {
  MQTT_EVT_PINGRESP, MQTT_STATE_CONNECTED, mqtt_disconnect, mqtt_input, mqtt_keepalive_time_left, mqtt_live, mqtt_ping,
  type mqtt_evt,
} from '../../src/net/mqtt/mqtt.ts';

const mq = mosquittoForFile('keepalive');

describe.skipIf(!mq.have)('keep-alive with mosquitto', () => {
  it('mqtt_live: -EAGAIN until keepalive passed, then PINGREQ; PINGRESP clears unacked_ping', async () => {
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    await hostBoard(async () => {
      const client = newClient(mq.port, 'zsim-ka', events);
      client.keepalive = 1;
      await connectAndWait(client, events);
      const left = mqtt_keepalive_time_left(client);
      log.push(left > 800 && left <= 1000, await mqtt_live(client), client.unacked_ping);
      await k_msleep(1000);
      log.push(mqtt_keepalive_time_left(client), await mqtt_live(client), client.unacked_ping);
      // Sending the ping was activity: the next one is a full period away.
      log.push(mqtt_keepalive_time_left(client) > 900, await mqtt_live(client));
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_PINGRESP));
      log.push(client.unacked_ping);
      await mqtt_disconnect(client, null);
    });
    expect(log).toEqual([true, -EAGAIN, 0, 0, 0, 1, true, -EAGAIN, 0]);
  });

  it('an app loop polling with mqtt_keepalive_time_left keeps a 1 s keep-alive connection up for 3.5 s', async () => {
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    await hostBoard(async () => {
      const client = newClient(mq.port, 'zsim-ka-loop', events);
      client.keepalive = 1;
      await connectAndWait(client, events);
      const end = k_uptime_get() + 3500;
      while (k_uptime_get() < end && client.internal.state & MQTT_STATE_CONNECTED) {
        if ((await waitInput(client, Math.min(mqtt_keepalive_time_left(client), end - k_uptime_get()))) > 0) await mqtt_input(client);
        const rc = await mqtt_live(client);
        if (rc !== 0 && rc !== -EAGAIN) break;
      }
      log.push(client.internal.state & MQTT_STATE_CONNECTED, events.filter((e) => e.type === MQTT_EVT_PINGRESP).length >= 3);
      await mqtt_disconnect(client, null);
    });
    expect(log).toEqual([MQTT_STATE_CONNECTED, true]);
  });

  it('keepalive 0: mqtt_keepalive_time_left is -1 and mqtt_live never pings', async () => {
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    await hostBoard(async () => {
      const client = newClient(mq.port, 'zsim-ka0', events);
      client.keepalive = 0;
      await connectAndWait(client, events);
      await k_msleep(50);
      log.push(mqtt_keepalive_time_left(client), await mqtt_live(client), client.unacked_ping);
      await mqtt_disconnect(client, null);
    });
    expect(log).toEqual([-1, -EAGAIN, 0]);
  });
});

describe('unanswered and unexpected pings (scripted peer)', () => {
  it('unacked_ping counts pings the broker never answers; the library does not disconnect for it', async () => {
    const peer = await fakeBroker((s, d) => void (d[0] === 0x10 && s.write(Buffer.from([0x20, 0x02, 0x00, 0x00]))));
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    await hostBoard(async () => {
      const client = newClient(peer.port, 'zsim-silent', events);
      await connectAndWait(client, events);
      for (let i = 0; i < 3; i++) log.push(await mqtt_ping(client));
      await k_msleep(100);
      log.push(client.unacked_ping, await mqtt_input(client), client.internal.state & MQTT_STATE_CONNECTED);
      await mqtt_disconnect(client, null);
    });
    peer.close();
    expect(log).toEqual([0, 0, 0, 3, 0, MQTT_STATE_CONNECTED]);
    // CONNECT, three PINGREQs, DISCONNECT.
    expect([...peer.received()].slice(-8)).toEqual([0xc0, 0, 0xc0, 0, 0xc0, 0, 0xe0, 0]);
  });

  it('a PINGRESP nobody asked for: MQTT_EVT_PINGRESP, a warning, unacked_ping stays 0', async () => {
    const peer = await fakeBroker((s, d) => void (d[0] === 0x10 && s.write(Buffer.from([0x20, 0x02, 0x00, 0x00, 0xd0, 0x00]))));
    const events: mqtt_evt[] = [];
    const r = await hostBoard(async () => {
      const client = newClient(peer.port, 'zsim-unexpected', events);
      await connectAndWait(client, events);
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_PINGRESP));
      await mqtt_disconnect(client, null);
    });
    peer.close();
    expect(r.console.lines).toContain('<wrn> net_mqtt_rx: Unexpected PINGRSP');
    expect(events.map((e) => [e.type, e.result])[1]).toEqual([MQTT_EVT_PINGRESP, 0]);
  });
});
