/**
 * samples/lwip/mqtt_client in-process on the simulated network (virtual time): main() against
 * the embedded broker, the tutorial's reconnects when the broker refuses connections, and the
 * shell command's arguments.
 */
import { describe, expect, it } from 'vitest';
import { main, mqttClient } from '../../samples/lwip/mqtt_client/src/main.ts';
import { SAMPLE_LINES, simBoard } from './helpers.ts';

describe('the lwIP MQTT sample on the simulated network', () => {
  it('main() subscribes, publishes at QoS 2, disconnects and returns 0', async () => {
    const r = await simBoard(main);
    expect(r.result.reason).toBe('finished');
    expect(r.kernel.mainResult).toBe(0);
    expect(r.console.lines).toEqual(SAMPLE_LINES);
  });

  it('reconnects from the connection callback when refused, gives up after 10, main() returns 1', async () => {
    const r = await simBoard(main, { server: null });
    expect(r.kernel.mainResult).toBe(1);
    const lines = r.console.lines;
    expect(lines.filter((l) => l === 'mqtt_connection_cb: Disconnected, reason: 256')).toHaveLength(11);
    expect(lines.slice(-2)).toEqual(['mqtt_connection_cb: giving up after 10 reconnects', 'lwIP MQTT client: failed']);
  });

  it('with CONFIG_SHELL=y main() leaves the commands to the shell', async () => {
    const r = await simBoard(main, { config: { SHELL: true } });
    expect(r.kernel.mainResult).toBe(0);
    expect(r.console.lines).toEqual([
      'lwIP MQTT client: broker 192.0.2.2:1883',
      'lwIP MQTT client: type mqttClient sub, mqttClient pub, mqttClient stop',
    ]);
  });

  it("mqttClient takes the tutorial's arguments and ignores a missing one", async () => {
    const rc: number[] = [];
    const r = await simBoard(() => {
      rc.push(mqttClient(1, ['mqttClient']), mqttClient(2, ['mqttClient', 'bogus']), mqttClient(2, ['mqttClient', 'stop']));
    });
    expect(rc).toEqual([0, 0, 0]);
    expect(r.console.lines).toEqual(['usage: mqttClient sub|pub|stop']);
  });
});
