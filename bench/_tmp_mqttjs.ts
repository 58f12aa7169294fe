import mqtt from 'mqtt';
import { spawn } from 'node:child_process';
const N = 100_000;
const port = 18890;
async function sub(topic: string, qos: number): Promise<Promise<number>> {
  const p = spawn('mosquitto_sub', ['-p', String(port), '-t', topic, '-q', String(qos), '-C', String(N)], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  return new Promise((r) => p.once('exit', () => r(performance.now())));
}
const payload = Buffer.from('DOORS:OPEN_QoS1-0123456789');
for (const qos of [0, 1] as const) {
  for (const mode of ['loop', 'drain', 'await']) {
    const topic = `t/${qos}/${mode}`;
    const done = await sub(topic, qos);
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 });
    const s = performance.now();
    if (mode === 'loop') {
      await new Promise<void>((res) => { let n = 0; for (let i = 0; i < N; i++) c.publish(topic, payload, { qos }, () => { if (++n === N) res(); }); });
    } else if (mode === 'drain') {
      let n = 0; const all = new Promise<void>((res) => { (globalThis as any).__r = res; });
      for (let i = 0; i < N; i++) {
        c.publish(topic, payload, { qos }, () => { if (++n === N) (globalThis as any).__r(); });
        if ((c.stream as any).writableNeedDrain) await new Promise((r) => c.stream.once('drain', r));
      }
      await all;
    } else {
      if (qos === 0) for (let i = 0; i < N; i++) await c.publishAsync(topic, payload, { qos });
      else { const W = 1000; let inflight: Promise<unknown>[] = []; for (let i = 0; i < N; i++) { inflight.push(c.publishAsync(topic, payload, { qos })); if (inflight.length >= W) { await Promise.all(inflight); inflight = []; } } await Promise.all(inflight); }
    }
    const end = await done;
    await c.endAsync();
    console.log(qos, mode, Math.round(N * 1000 / (end - s)), 'msg/s');
  }
}
