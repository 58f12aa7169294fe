/**
 * What the MQTT client needs from the OS, Zephyr's `subsys/net/lib/mqtt/mqtt_os.h`: the client
 * mutex, the millisecond clock that drives keep-alive, and the networking log macros
 * (`NET_DBG`, `NET_ERR`, `NET_WARN`, `NET_INFO` of `<zephyr/net/net_log.h>`) bound to a log module.
 */
import { cpu } from '../../kernel/cpu.ts';
import { k_mutex, k_mutex_init, k_mutex_lock, k_mutex_unlock, z_mutex_lock_uncontended } from '../../kernel/mutex.ts';
import { assertFail } from '../../kernel/thread_api.ts';
import { k_uptime_get_32 } from '../../kernel/time_api.ts';
import { K_FOREVER } from '../../kernel/timeout.ts';
import { LOG_MODULE_REGISTER } from '../../logging/log.ts';
import { cprintf } from '../../libc/printf.ts';

/** The networking log macros of one module, as `mqtt*.c` use them. */
export interface NetLog {
  /**
   * `NET_DBG(fmt, ...)`. C passes the calling function implicitly (`__func__`, printed with
   * `CONFIG_LOG_FUNC_NAME_PREFIX_DBG`); here it is the first argument.
   */
  NET_DBG(func: string, fmt: string, ...args: unknown[]): void;
  NET_ERR(fmt: string, ...args: unknown[]): void;
  NET_WARN(fmt: string, ...args: unknown[]): void;
  NET_INFO(fmt: string, ...args: unknown[]): void;
}

/**
 * `LOG_MODULE_REGISTER(name, CONFIG_MQTT_LOG_LEVEL)` plus the `NET_*` macros over it.
 *
 * `NET_DBG` prefixes the running thread as Zephyr's does: `(name): ` with `CONFIG_THREAD_NAME`,
 * else `(address): `. zsim's logger has no function-name field, so the `func: ` prefix Zephyr
 * adds to debug messages (`CONFIG_LOG_FUNC_NAME_PREFIX_DBG`, default y) is put in the text here.
 */
export function NET_LOG_REGISTER(name: string): NetLog {
  const log = LOG_MODULE_REGISTER(name, 'MQTT_LOG_LEVEL');
  return {
    NET_DBG(func, fmt, ...args) {
      const k = cpu.kernel;
      // Formatting is the costly part: skip it when the message would be filtered anyway.
      if (k === null || log.level() < 4) return;
      const t = cpu.current;
      const who = k.enabled('THREAD_NAME') ? cprintf('(%s): ', [t?.name ?? '']) : cprintf('(%p): ', [t ? k.addr(t) : 0]);
      const prefix = k.enabled('LOG_FUNC_NAME_PREFIX_DBG') ? `${func}: ` : '';
      log.LOG_DBG('%s', prefix + who + cprintf(fmt, args));
    },
    NET_ERR: (fmt, ...args) => log.LOG_ERR(fmt, ...args),
    NET_WARN: (fmt, ...args) => log.LOG_WRN(fmt, ...args),
    NET_INFO: (fmt, ...args) => log.LOG_INF(fmt, ...args),
  };
}

/** The part of `struct mqtt_client` the OS layer works on. */
export interface mqtt_os_client {
  internal: { mutex: k_mutex };
}

/** `mqtt_mutex_init`: the client mutex (Zephyr's `sys_mutex`, a recursive `k_mutex` here). */
export function mqtt_mutex_init(client: mqtt_os_client): void {
  client.internal.mutex = new k_mutex();
  k_mutex_init(client.internal.mutex);
}

/**
 * A value now, or a promise of it later. The library's internal steps answer at once when they
 * need not wait (a free mutex, a read or write the socket takes without blocking), so a packet
 * in and out costs no promise inside the library; only its public calls return promises.
 */
export type maybe<T> = T | Promise<T>;

/** `f(r)` at once when `r` is a value, else when it settles (not named `then`: a module exporting `then` is a thenable to `import()`). */
export function andThen<T, U>(r: maybe<T>, f: (v: T) => maybe<U>): maybe<U> {
  return r instanceof Promise ? r.then(f) : f(r);
}

/**
 * `mqtt_mutex_lock`: waits forever, as Zephyr; a failure is an assertion (`CONFIG_ASSERT`).
 * Locked at once (undefined) when the mutex is free or the caller's, else a promise to await.
 */
export function mqtt_mutex_lock(client: mqtt_os_client): Promise<void> | undefined {
  if (z_mutex_lock_uncontended(client.internal.mutex)) return undefined;
  return k_mutex_lock(client.internal.mutex, K_FOREVER).then(check_lock);
}

function check_lock(ret: number): void {
  const k = cpu.kernel;
  if (ret !== 0 && k !== null && k.enabled('ASSERT')) assertFail(k, cprintf('sys_mutex_lock failed with %d', [ret]));
}

/** `mqtt_mutex_unlock`. */
export function mqtt_mutex_unlock(client: mqtt_os_client): void {
  const ret = k_mutex_unlock(client.internal.mutex);
  const k = cpu.kernel;
  if (ret !== 0 && k !== null && k.enabled('ASSERT')) assertFail(k, cprintf('sys_mutex_unlock failed with %d', [ret]));
}

/** `mqtt_sys_tick_in_ms_get`: `k_uptime_get_32()`. */
export function mqtt_sys_tick_in_ms_get(): number {
  return k_uptime_get_32();
}

/** `mqtt_elapsed_time_in_ms_get`: ms since `last_activity`, 0 if the 32-bit difference is negative. */
export function mqtt_elapsed_time_in_ms_get(last_activity: number): number {
  const diff = (k_uptime_get_32() - last_activity) | 0;
  return diff < 0 ? 0 : diff;
}

/**
 * An int Kconfig symbol of the running board, or `dflt` when the board's configuration does not
 * set it (a configuration built without the Kconfig tree, as tests make).
 */
export function mqtt_cfg_int(name: string, dflt: number): number {
  const k = cpu.kernel;
  if (k === null || k.config[name] === undefined) return dflt;
  return k.cfgInt(name);
}

/** What `%p` of a client prints: the board's stable address for the object. */
export function mqtt_ptr(obj: object): number {
  const k = cpu.kernel;
  return k === null ? 0 : k.addr(obj);
}

/** Whether a bool Kconfig symbol is `y` on the running board. */
export function mqtt_enabled(symbol: string): boolean {
  const k = cpu.kernel;
  return k !== null && k.enabled(symbol);
}
