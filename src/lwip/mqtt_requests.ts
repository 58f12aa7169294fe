/**
 * The MQTT client's pending requests (lwIP's `struct mqtt_request_t` list in `mqtt.c`): at most
 * `MQTT_REQ_MAX_IN_FLIGHT` subscribe, unsubscribe and publish requests waiting for the server's
 * answer (QoS 0 publishes wait for their bytes to be sent), each with a timeout.
 *
 * As in lwIP, each request stores its expiry relative to the request before it, so the cyclic
 * timer only has to walk the head of the list.
 */
import { ERR_TIMEOUT } from './err.ts';
import type { mqtt_request_cb_t } from './mqtt_defs.ts';

/** One pending request (`struct mqtt_request_t`). */
export interface mqtt_request_t {
  cb: mqtt_request_cb_t | null;
  arg: unknown;
  /** MQTT packet identifier; 0 for a QoS 0 publish. */
  pkt_id: number;
  /** Seconds to expiry, relative to the request before it. */
  timeout_diff: number;
}

export class mqtt_request_queue {
  private readonly pending: mqtt_request_t[] = [];

  /**
   * @param max `MQTT_REQ_MAX_IN_FLIGHT`.
   * @param timeout `MQTT_REQ_TIMEOUT` in seconds.
   */
  constructor(
    readonly max: number,
    readonly timeout: number,
  ) {}

  /** Requests waiting. */
  get length(): number {
    return this.pending.length;
  }

  /** Whether `mqtt_create_request` would find a free slot. */
  has_free_slot(): boolean {
    return this.pending.length < this.max;
  }

  /** `mqtt_create_request` + `mqtt_append_request`: false (ERR_MEM for the caller) when all slots are in use. */
  append(pkt_id: number, cb: mqtt_request_cb_t | null, arg: unknown): boolean {
    if (!this.has_free_slot()) return false;
    const before = this.pending.reduce((s, r) => s + r.timeout_diff, 0);
    this.pending.push({ cb, arg, pkt_id, timeout_diff: this.timeout - before });
    return true;
  }

  /** `mqtt_take_request`: removes the first request with `pkt_id`, its remaining time passing to the next one. */
  take(pkt_id: number): mqtt_request_t | null {
    const i = this.pending.findIndex((r) => r.pkt_id === pkt_id);
    if (i < 0) return null;
    const [r] = this.pending.splice(i, 1);
    const next = this.pending[i];
    if (next) next.timeout_diff += r!.timeout_diff;
    return r!;
  }

  /**
   * `mqtt_request_time_elapsed`: `t` seconds passed; requests that expired leave the list and
   * their callbacks get `ERR_TIMEOUT`, oldest first. A callback may add requests.
   */
  time_elapsed(t: number): void {
    while (t > 0 && this.pending.length > 0) {
      const r = this.pending[0]!;
      if (t >= r.timeout_diff) {
        t -= r.timeout_diff;
        this.pending.shift();
        r.cb?.(r.arg, ERR_TIMEOUT);
      } else {
        r.timeout_diff -= t;
        t = 0;
      }
    }
  }

  /** `mqtt_clear_requests`: forgets every request without calling back, as lwIP does on close. */
  clear(): void {
    this.pending.length = 0;
  }
}
