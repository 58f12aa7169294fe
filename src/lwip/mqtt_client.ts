/**
 * The MQTT client's state machine (lwIP's `mqtt_client_t` and the static functions of `mqtt.c`):
 * connection states, closing, the cyclic timer (connect timeout, request timeouts, keep-alive),
 * and what happens when the socket connects, sends, receives or fails. Everything here runs in
 * the board's tcpip thread, except `mqtt_close` on behalf of `mqtt_disconnect`.
 */
import type { sockaddr_in } from '../net/net_ip.ts';
import { ERR_OK } from './err.ts';
import {
  MQTT_CONNECTED, MQTT_CONNECTING, TCP_CONNECTING, TCP_DISCONNECTED, MQTT_CONNECT_ACCEPTED, MQTT_CONNECT_DISCONNECTED, MQTT_CONNECT_TIMEOUT, type mqtt_connection_cb_t,
  type mqtt_connection_status_t, type mqtt_incoming_data_cb_t, type mqtt_incoming_publish_cb_t,
} from './mqtt_defs.ts';
import { mqtt_message_received } from './mqtt_input.ts';
import type { mqtt_opts } from './mqtt_opts.ts';
import { mqtt_output_pingreq } from './mqtt_output.ts';
import { mqtt_request_queue } from './mqtt_requests.ts';
import { mqtt_rx_framer } from './mqtt_rx.ts';
import { mqtt_ringbuf_t } from './ringbuf.ts';

/** What a client needs from the tcpip thread that owns its socket (implemented by `tcpip.ts`). */
export interface mqtt_stack_link {
  /** Milliseconds since boot, on the stack's board. */
  now(): number;
  /** A new socket to connect and watch. */
  attach(client: mqtt_client_t): void;
  /** Closes `fd` once `pending` (bytes still queued for it) has been sent, as a graceful TCP close does. */
  close_after(fd: number, pending: Uint8Array): void;
  /** Wakes the tcpip thread: there is output to send or a socket to look at. */
  kick(): void;
}

/**
 * `mqtt_client_t`, from `mqtt_client_new()`. The fields mirror lwIP's structure for debugging;
 * applications use the `mqtt_*` functions only.
 */
export class mqtt_client_t {
  /** Timers and timeouts. */
  cyclic_tick = 0;
  keep_alive = 0;
  server_watchdog = 0;
  /** Packet identifier generator. */
  pkt_id_seq = 0;
  /** Packet identifier of the pending incoming publish. */
  inpub_pkt_id = 0;
  /** Connection state (`TCP_DISCONNECTED`...). */
  conn_state = TCP_DISCONNECTED;
  /** The socket (lwIP: the TCP pcb), -1 when there is none. */
  conn = -1;
  connect_arg: unknown = null;
  connect_cb: mqtt_connection_cb_t | null = null;
  /** Pending requests to the server. */
  readonly pend_req_queue: mqtt_request_queue;
  inpub_arg: unknown = null;
  data_cb: mqtt_incoming_data_cb_t | null = null;
  pub_cb: mqtt_incoming_publish_cb_t | null = null;
  /** Input. */
  readonly rx_buffer: Uint8Array;
  readonly rx: mqtt_rx_framer;
  /** Output ring buffer. */
  readonly output: mqtt_ringbuf_t;

  /** @internal zsim: the server, while connecting or connected. */
  remote: sockaddr_in | null = null;
  /** @internal zsim: whether the tcpip thread has started connecting `conn`. */
  connect_started = false;
  /** @internal zsim: when the cyclic timer fires next (ms since boot), null when stopped. */
  timer_due: number | null = null;
  /** @internal zsim: bumped whenever `conn` changes, so work on an old socket stops. */
  gen = 0;

  /** @internal created by `mqtt_client_new()`. */
  constructor(
    readonly opts: Readonly<mqtt_opts>,
    readonly stack: mqtt_stack_link,
  ) {
    this.pend_req_queue = new mqtt_request_queue(opts.MQTT_REQ_MAX_IN_FLIGHT, opts.MQTT_REQ_TIMEOUT);
    this.rx_buffer = new Uint8Array(opts.MQTT_VAR_HEADER_BUFFER_LEN);
    this.rx = new mqtt_rx_framer(this.rx_buffer);
    this.output = new mqtt_ringbuf_t(opts.MQTT_OUTPUT_RINGBUF_SIZE);
  }

  /** `memset(client, 0, ...)` in `mqtt_client_connect`: a new connection starts from nothing. */
  wipe(): void {
    this.cyclic_tick = this.keep_alive = this.server_watchdog = this.pkt_id_seq = this.inpub_pkt_id = 0;
    this.conn_state = TCP_DISCONNECTED;
    this.connect_arg = null;
    this.connect_cb = null;
    this.pend_req_queue.clear();
    this.inpub_arg = null;
    this.data_cb = null;
    this.pub_cb = null;
    this.rx_buffer.fill(0);
    this.rx.reset();
    this.output.reset();
    this.remote = null;
    this.connect_started = false;
    this.timer_due = null;
  }
}

/** `msg_generate_packet_id`: 1 to 65535, never 0. */
export function msg_generate_packet_id(client: mqtt_client_t): number {
  client.pkt_id_seq = (client.pkt_id_seq + 1) & 0xffff;
  if (client.pkt_id_seq === 0) client.pkt_id_seq = 1;
  return client.pkt_id_seq;
}

/**
 * `mqtt_close`: drops the socket (bytes already queued still go out, as TCP's close sends what it
 * holds), forgets pending requests without calling them, stops the cyclic timer, and tells the
 * application `reason` unless the client was already disconnected. With `discard` (the socket
 * failed, or never connected) queued bytes are dropped.
 */
export function mqtt_close(client: mqtt_client_t, reason: mqtt_connection_status_t, discard = false): void {
  if (client.conn >= 0) {
    const fd = client.conn;
    client.conn = -1;
    client.gen++;
    const pending = client.output.drain();
    // A socket that never connected sent nothing and cannot send: drop what was queued for it.
    const drop = discard || client.conn_state === TCP_CONNECTING;
    client.stack.close_after(fd, drop ? new Uint8Array(0) : pending);
  }
  client.pend_req_queue.clear();
  client.timer_due = null;
  if (client.conn_state !== TCP_DISCONNECTED) {
    client.conn_state = TCP_DISCONNECTED;
    client.connect_cb?.(client, client.connect_arg, reason);
  }
}

/**
 * `mqtt_cyclic_timer`: every `MQTT_CYCLIC_TIMER_INTERVAL` seconds while connecting or connected.
 * Gives up a CONNECT left unanswered for `MQTT_CONNECT_TIMOUT`, expires requests, sends PINGREQ
 * after `keep_alive` seconds without output and closes with `MQTT_CONNECT_TIMEOUT` after 1.5 times
 * that without input.
 */
export function mqtt_cyclic_timer(client: mqtt_client_t): void {
  const interval = client.opts.MQTT_CYCLIC_TIMER_INTERVAL;
  const due = client.timer_due;
  const gen = client.gen;
  client.timer_due = null;
  if (due === null) return;
  if (client.conn_state === MQTT_CONNECTING) {
    client.cyclic_tick++;
    if (client.cyclic_tick * interval >= client.opts.MQTT_CONNECT_TIMOUT) {
      mqtt_close(client, MQTT_CONNECT_TIMEOUT);
      return;
    }
  } else if (client.conn_state === MQTT_CONNECTED) {
    client.pend_req_queue.time_elapsed(interval);
    // A request callback may have disconnected or reconnected the client.
    if (client.gen !== gen || client.conn_state !== MQTT_CONNECTED) return;
    if (client.keep_alive > 0) {
      client.server_watchdog++;
      // Nothing received for 1.5 times keep_alive: the server is considered gone.
      if (client.server_watchdog * interval > client.keep_alive + Math.floor(client.keep_alive / 2)) {
        mqtt_close(client, MQTT_CONNECT_TIMEOUT);
        return;
      }
      if (client.cyclic_tick * interval >= client.keep_alive) {
        if (mqtt_output_pingreq(client.output) === ERR_OK) {
          client.cyclic_tick = 0;
          client.stack.kick();
        }
      } else {
        client.cyclic_tick++;
      }
    }
  } else {
    return;
  }
  // Re-armed from the time it was due, so the period does not drift with thread latency.
  const running = client.conn_state === MQTT_CONNECTING || client.conn_state === MQTT_CONNECTED;
  if (client.gen === gen && running) client.timer_due = due + interval * 1000;
}

/** `mqtt_tcp_connect_cb`: TCP is up; send CONNECT (first in the ring) and start the cyclic timer. */
export function mqtt_tcp_connected(client: mqtt_client_t): void {
  client.rx.reset();
  client.conn_state = MQTT_CONNECTING;
  client.timer_due = client.stack.now() + client.opts.MQTT_CYCLIC_TIMER_INTERVAL * 1000;
  client.cyclic_tick = 0;
}

/**
 * `mqtt_tcp_sent_cb`: the socket took output bytes. zsim's sockets give no acknowledgment
 * callback, so this runs when bytes are handed to the socket, where lwIP waits for TCP's ACK.
 */
export function mqtt_tcp_sent(client: mqtt_client_t): void {
  if (client.conn_state !== MQTT_CONNECTED) return;
  const gen = client.gen;
  client.cyclic_tick = 0;
  client.server_watchdog = 0;
  // QoS 0 publishes get no answer from the server: they are complete once sent.
  for (let r = client.pend_req_queue.take(0); r; r = client.gen === gen ? client.pend_req_queue.take(0) : null) {
    r.cb?.(r.arg, ERR_OK);
  }
}

/** `mqtt_tcp_recv_cb`: bytes from the server, or `null` when it closed the connection. */
export function mqtt_tcp_recv(client: mqtt_client_t, data: Uint8Array | null): void {
  if (data === null) {
    mqtt_close(client, MQTT_CONNECT_DISCONNECTED);
    return;
  }
  const gen = client.gen;
  const res = client.rx.input(
    data,
    (buf, hdr, hdr_len, length, remaining, first) => mqtt_message_received(client, buf, hdr, hdr_len, length, remaining, first),
    () => client.gen === gen,
  );
  if (client.gen !== gen) return;
  if (res !== MQTT_CONNECT_ACCEPTED) {
    mqtt_close(client, res);
    return;
  }
  // Anything from the server shows it is alive.
  if (client.keep_alive !== 0) client.server_watchdog = 0;
}

/** `mqtt_tcp_err_cb`: the connection failed (refused, reset...). */
export function mqtt_tcp_err(client: mqtt_client_t): void {
  mqtt_close(client, MQTT_CONNECT_DISCONNECTED, true);
}
