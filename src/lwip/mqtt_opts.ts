/**
 * lwIP's MQTT options (`lwip/apps/mqtt_opts.h`), read from the board's Kconfig.
 *
 * Zephyr's own MQTT library owns the `CONFIG_MQTT_*` names, so each lwIP option `MQTT_X` is the
 * Kconfig symbol `CONFIG_LWIP_MQTT_X` (kconfig/Kconfig.lwip). The fallbacks are lwIP's defaults,
 * for boards configured without the Kconfig tree (tests hand a board a partial configuration).
 */
import type { Kernel } from '../kernel/kernel.ts';

/** The options one board's MQTT clients run with. */
export interface mqtt_opts {
  /** `MQTT_OUTPUT_RINGBUF_SIZE`: bytes of the output ring buffer. */
  MQTT_OUTPUT_RINGBUF_SIZE: number;
  /** `MQTT_VAR_HEADER_BUFFER_LEN`: bytes of the receive buffer (fixed + variable header + payload fragment). */
  MQTT_VAR_HEADER_BUFFER_LEN: number;
  /** `MQTT_REQ_MAX_IN_FLIGHT`: pending subscribe, unsubscribe and publish requests. */
  MQTT_REQ_MAX_IN_FLIGHT: number;
  /** `MQTT_CYCLIC_TIMER_INTERVAL`: seconds between cyclic timer calls. */
  MQTT_CYCLIC_TIMER_INTERVAL: number;
  /** `MQTT_REQ_TIMEOUT`: seconds before a request's callback gets `ERR_TIMEOUT`. */
  MQTT_REQ_TIMEOUT: number;
  /** `MQTT_CONNECT_TIMOUT` (lwIP's spelling): seconds to wait for CONNACK. */
  MQTT_CONNECT_TIMOUT: number;
  /** lwIP's `TCPIP_THREAD_STACKSIZE`. */
  TCPIP_THREAD_STACKSIZE: number;
  /** lwIP's `TCPIP_THREAD_PRIO`, as a Zephyr thread priority. */
  TCPIP_THREAD_PRIO: number;
}

/** lwIP's defaults (`mqtt_opts.h`), and a cooperative tcpip thread as Zephyr's system work queue. */
export const LWIP_MQTT_DEFAULTS: Readonly<mqtt_opts> = Object.freeze({
  MQTT_OUTPUT_RINGBUF_SIZE: 256,
  MQTT_VAR_HEADER_BUFFER_LEN: 128,
  MQTT_REQ_MAX_IN_FLIGHT: 4,
  MQTT_CYCLIC_TIMER_INTERVAL: 5,
  MQTT_REQ_TIMEOUT: 30,
  MQTT_CONNECT_TIMOUT: 100,
  TCPIP_THREAD_STACKSIZE: 1024,
  TCPIP_THREAD_PRIO: -1,
});

function opt(k: Kernel, sym: string, fallback: number): number {
  return k.config[sym] === undefined ? fallback : k.cfgInt(sym);
}

/** The options of board `k`: `CONFIG_LWIP_MQTT_*` and `CONFIG_LWIP_TCPIP_THREAD_*`, else lwIP's defaults. */
export function mqtt_opts_of(k: Kernel): mqtt_opts {
  const d = LWIP_MQTT_DEFAULTS;
  // Without cooperative priorities (CONFIG_NUM_COOP_PRIORITIES=0) the default is the highest
  // preemptible one, as for SYSTEM_WORKQUEUE_PRIORITY.
  const prio = k.coopPrios > 0 ? d.TCPIP_THREAD_PRIO : 0;
  return {
    MQTT_OUTPUT_RINGBUF_SIZE: opt(k, 'LWIP_MQTT_OUTPUT_RINGBUF_SIZE', d.MQTT_OUTPUT_RINGBUF_SIZE),
    MQTT_VAR_HEADER_BUFFER_LEN: opt(k, 'LWIP_MQTT_VAR_HEADER_BUFFER_LEN', d.MQTT_VAR_HEADER_BUFFER_LEN),
    MQTT_REQ_MAX_IN_FLIGHT: opt(k, 'LWIP_MQTT_REQ_MAX_IN_FLIGHT', d.MQTT_REQ_MAX_IN_FLIGHT),
    MQTT_CYCLIC_TIMER_INTERVAL: opt(k, 'LWIP_MQTT_CYCLIC_TIMER_INTERVAL', d.MQTT_CYCLIC_TIMER_INTERVAL),
    MQTT_REQ_TIMEOUT: opt(k, 'LWIP_MQTT_REQ_TIMEOUT', d.MQTT_REQ_TIMEOUT),
    MQTT_CONNECT_TIMOUT: opt(k, 'LWIP_MQTT_CONNECT_TIMOUT', d.MQTT_CONNECT_TIMOUT),
    TCPIP_THREAD_STACKSIZE: opt(k, 'LWIP_TCPIP_THREAD_STACKSIZE', d.TCPIP_THREAD_STACKSIZE),
    TCPIP_THREAD_PRIO: opt(k, 'LWIP_TCPIP_THREAD_PRIO', prio),
  };
}
