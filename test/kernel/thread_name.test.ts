import { describe, expect, it } from 'vitest';
import { runBoard } from '../helpers/board.ts';
import {
  ENOSYS, K_FOREVER, K_MUTEX_DEFINE, K_NO_WAIT, K_THREAD_DEFINE, k_current_get, k_msleep, k_mutex_lock, k_panic,
  k_thread, k_thread_create, k_thread_name_get, k_thread_name_set, type k_tid_t,
} from '../../src/kernel/index.ts';

const ADDR = /0x[0-9a-f]{8}/g;

/** Names a thread, reads names back, then panics: what the app and the fatal report see. */
async function nameAndPanic(THREAD_NAME: boolean): Promise<{ log: unknown[]; text: string }> {
  const log: unknown[] = [];
  let stat: k_tid_t | null = null;
  const r = await runBoard(() => {
    const self = k_current_get();
    const k = self.kernel;
    const t = k_thread_create(new k_thread(), null, 512, () => undefined, null, null, null, 5, 0, K_FOREVER);
    log.push(k_thread_name_get(self), k_thread_name_get(stat!), k_thread_name_get(t));
    log.push(k_thread_name_set(t, 'worker'), k_thread_name_get(t));
    log.push(k_thread_name_set(t, 'a_name_longer_than_thirty_one_characters'), t.dbgName);
    log.push(k.describeThread(t).replace(ADDR, 'ADDR'), k.describeThread(t, { debug: true }).replace(ADDR, 'ADDR'));
    log.push(stat!.dbgName, self.dbgName);
    k_panic();
  }, {
    config: { THREAD_NAME },
    module: () => {
      stat = K_THREAD_DEFINE('stat', 512, () => undefined, null, null, null, 5, 0, K_FOREVER);
    },
  });
  expect(r.result.reason).toBe('fatal');
  return { log, text: r.console.text };
}

describe('CONFIG_THREAD_NAME', () => {
  it('off: k_thread_name_set is -ENOSYS, k_thread_name_get null, reports say "unknown"; debug names stay', async () => {
    const { log, text } = await nameAndPanic(false);
    expect(log).toEqual([
      null, null, null,
      -ENOSYS, null,
      -ENOSYS, 'a_name_longer_than_thirty_one_c',
      'ADDR (unknown)', 'ADDR (a_name_longer_than_thirty_one_c)',
      'stat', 'main',
    ]);
    // Zephyr's fatal report: "Current thread: %p (%s)" with "unknown" when there is no name.
    expect(text).toMatch(/<err> os: Current thread: 0x[0-9a-f]{8} \(unknown\)\n/);
  });

  it('on: main, K_THREAD_DEFINE and k_thread_name_set names, 31 characters at most, in reports', async () => {
    const { log, text } = await nameAndPanic(true);
    expect(log).toEqual([
      'main', 'stat', '',
      0, 'worker',
      0, 'a_name_longer_than_thirty_one_c',
      'ADDR (a_name_longer_than_thirty_one_c)', 'ADDR (a_name_longer_than_thirty_one_c)',
      'stat', 'main',
    ]);
    expect(text).toMatch(/<err> os: Current thread: 0x[0-9a-f]{8} \(main\)\n/);
  });

  it('the deadlock report\'s wait descriptions use debug names whatever the configuration', async () => {
    const r = await runBoard(async () => {
      const a = K_MUTEX_DEFINE('lock_a');
      const b = K_MUTEX_DEFINE('lock_b');
      const t = k_thread_create(new k_thread(), null, 512, async () => {
        await k_mutex_lock(b, K_FOREVER);
        await k_msleep(10);
        await k_mutex_lock(a, K_FOREVER);
      }, null, null, null, 5, 0, K_NO_WAIT);
      expect(k_thread_name_set(t, 'worker')).toBe(-ENOSYS);
      await k_mutex_lock(a, K_FOREVER);
      await k_msleep(10);
      await k_mutex_lock(b, K_FOREVER);
    });
    expect(r.result.reason).toBe('deadlock');
    const [main, worker] = r.kernel.appThreads();
    expect(r.kernel.describeWait(main!)).toMatch(/^pending on k_mutex 0x[0-9a-f]{8} 'lock_b', owned by 0x[0-9a-f]{8} \(worker\)$/);
    expect(r.kernel.describeWait(worker!)).toMatch(/owned by 0x[0-9a-f]{8} \(main\)$/);
    expect(r.kernel.describeThread(worker!)).toMatch(/ \(unknown\)$/);
    expect(r.kernel.describeThread(worker!, { debug: true })).toMatch(/ \(worker\)$/);
  });
});
