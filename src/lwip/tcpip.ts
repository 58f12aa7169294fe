/**
 * One board's lwIP stack instance: the tcpip thread that owns the MQTT clients' sockets, runs
 * their cyclic timers and calls the application's callbacks, as lwIP runs its MQTT client in the
 * tcpip thread. It is a `system` thread (like Zephyr's system work queue), so a board whose app
 * has finished and whose clients are disconnected ends its run.
 *
 * The thread sleeps on a doorbell semaphore until the next timer is due. The doorbell rings when
 * an API call queues work, and when any of its sockets changes state: zsim has no eventfd or
 * socketpair to wake a `zsock_poll` from another thread, so the thread registers with each socket
 * the same poll hook `zsock_poll` uses and, once woken, finds out what happened with non-blocking
 * socket calls (`zsock_poll` with a zero timeout, `MSG_DONTWAIT` receives and sends).
 */
import { registerBootHook } from '../kernel/boot_hooks.ts';
import {
  K_FOREVER, K_TIMEOUT_ABS_MS, k_sem, k_sem_give, k_sem_init, k_sem_take, k_thread, k_thread_create, k_thread_name_set,
  k_thread_start,
} from '../kernel/index.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { PollWaiter } from '../kernel/poll_signal.ts';
import { ticksToMsFloor } from '../kernel/timeout.ts';
import { EAGAIN, EINPROGRESS, errno } from '../libc/errno.ts';
import {
  MSG_DONTWAIT, POLLERR, POLLHUP, POLLNVAL, POLLOUT, ctxOf, zsock_close, zsock_connect, zsock_poll,
  zsock_pollfd, zsock_recv, zsock_send,
} from '../net/socket.ts';
import {
  mqtt_client_t, mqtt_cyclic_timer, mqtt_tcp_connected, mqtt_tcp_err, mqtt_tcp_recv, mqtt_tcp_sent,
  type mqtt_stack_link,
} from './mqtt_client.ts';
import { TCP_CONNECTING } from './mqtt_defs.ts';
import { mqtt_opts_of, type mqtt_opts } from './mqtt_opts.ts';

const KEY = 'lwip.tcpip';
/** Bytes read per receive call: about one TCP segment, as lwIP gets them in pbufs. */
const RX_CHUNK = 1460;
/** How long a closed connection may take to send what was queued before it is dropped. */
const LINGER_MS = 5000;
/** Passes over the sockets per wake-up before the thread lets time move on. */
const MAX_PASSES = 64;

interface linger {
  fd: number;
  data: Uint8Array;
  off: number;
  deadline: number;
}

/** The lwIP stack of one board (what `tcpip_init` sets up). */
export class tcpip_stack implements mqtt_stack_link {
  readonly thread = new k_thread();
  readonly doorbell = new k_sem();
  readonly opts: Readonly<mqtt_opts>;
  /** Clients that have a socket. */
  private readonly clients = new Set<mqtt_client_t>();
  private readonly lingering: linger[] = [];
  private readonly rxbuf = new Uint8Array(RX_CHUNK);
  private readonly waiter: PollWaiter = { notify: () => this.kick() };

  constructor(readonly kernel: Kernel) {
    this.opts = mqtt_opts_of(kernel);
    k_sem_init(this.doorbell, 0, 1);
  }

  /** Starts the tcpip thread. */
  start(): void {
    const t = this.thread;
    k_thread_create(t, null, this.opts.TCPIP_THREAD_STACKSIZE, tcpip_thread, this, null, null, this.opts.TCPIP_THREAD_PRIO, 0, K_FOREVER);
    t.system = true;
    k_thread_name_set(t, 'tcpip_thread');
    k_thread_start(t);
  }

  now(): number {
    // The stack's own board, whichever board's code is running (k_uptime_get reads the current one).
    return ticksToMsFloor(this.kernel.ticks(), this.kernel.tps);
  }

  attach(client: mqtt_client_t): void {
    this.clients.add(client);
    const ctx = ctxOf(client.conn, 'mqtt_client_connect');
    if (typeof ctx !== 'number') ctx.poll_events.push(this.waiter);
    this.kick();
  }

  close_after(fd: number, pending: Uint8Array): void {
    if (pending.length === 0) {
      zsock_close(fd);
      return;
    }
    this.lingering.push({ fd, data: pending, off: 0, deadline: this.now() + LINGER_MS });
    this.kick();
  }

  kick(): void {
    k_sem_give(this.doorbell);
  }

  /** When the thread must wake at the latest (ms since boot), or null to sleep until kicked. */
  next_due(): number | null {
    let due: number | null = null;
    for (const c of this.clients) if (c.timer_due !== null && (due === null || c.timer_due < due)) due = c.timer_due;
    for (const l of this.lingering) if (due === null || l.deadline < due) due = l.deadline;
    return due;
  }

  /** Does everything that can be done now: due timers, connects, input, output, closes. */
  async service(): Promise<void> {
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      let progress = this.run_timers();
      for (const c of [...this.clients]) {
        if (c.conn < 0) this.clients.delete(c);
        else if (await this.service_client(c)) progress = true;
      }
      if (await this.service_lingering()) progress = true;
      if (!progress) return;
    }
    this.kick();
  }

  private run_timers(): boolean {
    const now = this.now();
    let fired = false;
    for (const c of [...this.clients]) {
      if (c.timer_due !== null && c.timer_due <= now) {
        mqtt_cyclic_timer(c);
        fired = true;
      }
    }
    return fired;
  }

  /** One client's socket: connect, then input, then output. True when something happened. */
  private async service_client(c: mqtt_client_t): Promise<boolean> {
    const fd = c.conn;
    const gen = c.gen;
    if (!c.connect_started) {
      c.connect_started = true;
      const rc = await zsock_connect(fd, c.remote!, 8);
      if (c.gen !== gen) return true;
      if (rc < 0 && errno !== EINPROGRESS) {
        mqtt_tcp_err(c);
        return true;
      }
    }
    if (c.conn_state === TCP_CONNECTING) {
      const pfd = new zsock_pollfd(fd, POLLOUT);
      await zsock_poll([pfd], 1, 0);
      if (c.gen !== gen) return true;
      if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) {
        mqtt_tcp_err(c);
        return true;
      }
      if (!(pfd.revents & POLLOUT)) return false;
      mqtt_tcp_connected(c);
    }
    let progress = false;
    for (;;) {
      const n = await zsock_recv(fd, this.rxbuf, RX_CHUNK, MSG_DONTWAIT);
      if (c.gen !== gen) return true;
      if (n === 0) {
        mqtt_tcp_recv(c, null);
        return true;
      }
      if (n < 0) {
        if (errno === EAGAIN) break;
        mqtt_tcp_err(c);
        return true;
      }
      progress = true;
      mqtt_tcp_recv(c, this.rxbuf.subarray(0, n));
      if (c.gen !== gen) return true;
    }
    while (c.output.len() > 0) {
      const part = c.output.linear();
      const n = await zsock_send(fd, part, part.length, MSG_DONTWAIT);
      if (c.gen !== gen) return true;
      if (n <= 0) {
        if (n < 0 && errno !== EAGAIN) {
          mqtt_tcp_err(c);
          return true;
        }
        break;
      }
      progress = true;
      c.output.advance(n);
      mqtt_tcp_sent(c);
      if (c.gen !== gen) return true;
    }
    return progress;
  }

  /** Closed connections still sending what was queued before they were closed. */
  private async service_lingering(): Promise<boolean> {
    let progress = false;
    for (const l of [...this.lingering]) {
      let done = this.now() >= l.deadline;
      while (!done && l.off < l.data.length) {
        const n = await zsock_send(l.fd, l.data.subarray(l.off), l.data.length - l.off, MSG_DONTWAIT);
        if (n > 0) {
          l.off += n;
          progress = true;
        } else {
          // EAGAIN: try again when the socket is writable; anything else: give up.
          done = !(n < 0 && errno === EAGAIN);
          break;
        }
      }
      if (done || l.off >= l.data.length) {
        this.lingering.splice(this.lingering.indexOf(l), 1);
        zsock_close(l.fd);
        progress = true;
      }
    }
    return progress;
  }
}

async function tcpip_thread(p1: unknown): Promise<void> {
  const stack = p1 as tcpip_stack;
  for (;;) {
    await stack.service();
    const due = stack.next_due();
    if (due === null) {
      await k_sem_take(stack.doorbell, K_FOREVER);
      continue;
    }
    // An absolute timeout: the timers keep their period however late the thread wakes.
    if (due > stack.now()) await k_sem_take(stack.doorbell, K_TIMEOUT_ABS_MS(due));
  }
}

/** The board's lwIP stack, started on first use when the boot hook did not start it. */
export function tcpip_stack_of(k: Kernel): tcpip_stack {
  let s = k.subsys.get(KEY) as tcpip_stack | undefined;
  if (!s) {
    s = new tcpip_stack(k);
    k.subsys.set(KEY, s);
    s.start();
  }
  return s;
}

// lwIP's tcpip_init: boards with CONFIG_LWIP_MQTT get their tcpip thread at boot.
registerBootHook('lwip.tcpip', (k) => {
  if (k.enabled('LWIP_MQTT')) tcpip_stack_of(k);
});
