/**
 * The MQTT session of a pub/sub tool, on Zephyr's MQTT client API as an app on a device would
 * write it: `mqtt_client_init`, `mqtt_connect`, a receive thread that polls the socket and calls
 * `mqtt_input` and `mqtt_live` (keep-alive), `mqtt_publish` / `mqtt_subscribe` from the main
 * thread, the QoS 1/2 acknowledgements sent from the event callback, `mqtt_disconnect` at the end.
 *
 * The main thread waits for an acknowledgement (CONNACK, PUBACK, PUBCOMP, SUBACK) on a queue the
 * event callback fills, so it never competes with the receive thread for the socket. Call every
 * method from a board thread. With `-d`, the exchange is printed in mosquitto's `-d` wording.
 */
import { k_thread, k_thread_abort, k_thread_create, K_FOREVER, K_MSEC, K_NO_WAIT, K_PRIO_PREEMPT } from '../kernel/index.ts';
import { EAGAIN } from '../libc/errno.ts';
import { zsock_getaddrinfo, type zsock_addrinfo } from '../net/getaddrinfo.ts';
import { AF_UNSPEC, POLLIN, SOCK_STREAM, errno, zsock_poll, zsock_pollfd } from '../net/socket.ts';
import { TLS_PEER_VERIFY_REQUIRED } from '../net/socket_consts.ts';
import { tls_credential_add } from '../net/tls_credentials.ts';
import {
  MQTT_EVT_CONNACK, MQTT_EVT_DISCONNECT, MQTT_EVT_PINGRESP, MQTT_EVT_PUBACK, MQTT_EVT_PUBCOMP, MQTT_EVT_PUBLISH,
  MQTT_EVT_PUBREC, MQTT_EVT_PUBREL, MQTT_EVT_SUBACK, MQTT_TRANSPORT_SECURE, MQTT_UTF8_LITERAL, MQTT_VERSION_5_0,
  mqtt_abort, mqtt_client, mqtt_client_init, mqtt_connect, mqtt_disconnect, mqtt_input, mqtt_keepalive_time_left, mqtt_live,
  mqtt_publish, mqtt_publish_qos1_ack, mqtt_publish_qos2_complete, mqtt_publish_qos2_receive, mqtt_publish_qos2_release,
  mqtt_readall_publish_payload, mqtt_subscribe, mqtt_utf8_to_string, type mqtt_evt, type mqtt_qos,
} from '../net/mqtt/mqtt.ts';
import type { ToolContext } from './board.ts';
import { connackFailure, connectFailure, lostFailure, reasonString, type ToolFailure } from './errors.ts';
import { HostQueue } from './host_queue.ts';
import { TOOL_SEC_TAG, type ConnOptions } from './options.ts';

/** A message the broker delivered. */
export interface ToolMessage {
  topic: string;
  payload: Uint8Array;
  qos: mqtt_qos;
  retain: boolean;
  /** Packet id (0 for QoS 0), as mosquitto_sub's `%m`. */
  mid: number;
}

/** A value an acknowledgement carries, or LOST when the connection went away first. */
const LOST = -1;
/** Bytes beyond the largest topic (65535) for a PUBLISH header and 5.0 properties. */
const HEADER_ROOM = 65535 + 4096;

export class ToolClient {
  readonly client = new mqtt_client();
  /** Called (from the receive thread) for each delivered message, after its acknowledgement. */
  onMessage: ((m: ToolMessage) => void) | null = null;
  /** Called once when an established connection drops. */
  onLost: ((f: ToolFailure) => void) | null = null;
  private readonly waiters = new Map<string, HostQueue<number>>();
  private readonly subackCodes = new Map<number, number[]>();
  /**
   * QoS 2 messages received and not yet released. As libmosquitto, a QoS 2 message is delivered
   * on PUBREL: exactly once, and `sub -C` ends only after the exchange is complete.
   */
  private readonly qos2Pending = new Map<number, ToolMessage>();
  private rxThread: k_thread | null = null;
  private connected = false;
  private closing = false;
  private failure: ToolFailure | null = null;
  private mid = 0;

  constructor(private readonly ctx: ToolContext, private readonly opts: ConnOptions) {}

  private debug(line: string): void {
    if (this.opts.debug) this.ctx.stderr(`Client ${this.opts.clientId} ${line}`);
  }

  private nextMid(): number {
    this.mid = (this.mid % 0xffff) + 1;
    return this.mid;
  }

  /** Registers interest in an acknowledgement before the request goes out (it may come back at once). */
  private expect(key: string): HostQueue<number> {
    const q = new HostQueue<number>(this.ctx.kernel);
    this.waiters.set(key, q);
    return q;
  }

  private settle(key: string, value: number): void {
    const q = this.waiters.get(key);
    if (!q) return;
    this.waiters.delete(key);
    q.push(value);
  }

  private lost(err: number): void {
    if (this.closing || this.failure) return;
    this.failure = lostFailure(err);
    for (const key of [...this.waiters.keys()]) this.settle(key, LOST);
    if (this.connected) this.onLost?.(this.failure);
  }

  /** Sets up `mqtt_client` as Zephyr's samples do, and the TLS credentials under TOOL_SEC_TAG. */
  private init(topicBytes: number): ToolFailure | null {
    const o = this.opts;
    const c = this.client;
    mqtt_client_init(c);
    c.client_id = MQTT_UTF8_LITERAL(o.clientId);
    c.protocol_version = o.version;
    c.keepalive = o.keepalive;
    c.clean_session = o.cleanSession ? 1 : 0;
    if (o.username !== null) c.user_name = MQTT_UTF8_LITERAL(o.username);
    if (o.password !== null) c.password = MQTT_UTF8_LITERAL(o.password);
    if (o.will) {
      c.will_topic = { topic: MQTT_UTF8_LITERAL(o.will.topic), qos: o.will.qos };
      c.will_message = { utf8: o.will.payload, size: o.will.payload.length };
      c.will_retain = o.will.retain ? 1 : 0;
    }
    // The payloads travel from their own buffers (a second iovec), so only headers need room.
    c.rx_buf_size = HEADER_ROOM;
    c.rx_buf = new Uint8Array(c.rx_buf_size);
    c.tx_buf_size = HEADER_ROOM + topicBytes + (o.will?.payload.length ?? 0) + 1024;
    c.tx_buf = new Uint8Array(c.tx_buf_size);
    c.evt_cb = (_c, evt) => this.onEvent(evt);
    if (o.tls) {
      for (const cred of o.tls.credentials) {
        const rc = tls_credential_add(TOOL_SEC_TAG, cred.type, cred.bytes, cred.bytes.length);
        if (rc < 0) return { code: 1, message: `Error: ${cred.option} ${cred.file}: the credential store refused it (${rc})` };
      }
      c.transport.type = MQTT_TRANSPORT_SECURE;
      const tls = c.transport.tls.config;
      tls.peer_verify = TLS_PEER_VERIFY_REQUIRED;
      tls.sec_tag_list = [TOOL_SEC_TAG];
      tls.sec_tag_count = 1;
      // As mosquitto: the host name given is checked against the certificate unless --insecure.
      tls.hostname = o.tls.insecure ? null : o.host;
    }
    return null;
  }

  /**
   * Resolves the host, connects (trying each address, as mosquitto does), starts the receive
   * thread and waits for the CONNACK. `topicBytes`: room SUBSCRIBE needs in `tx_buf`.
   */
  async connect(topicBytes = 0): Promise<ToolFailure | null> {
    const o = this.opts;
    const bad = this.init(topicBytes);
    if (bad) return bad;
    const res: { value: zsock_addrinfo | null } = { value: null };
    const gai = await zsock_getaddrinfo(o.host, String(o.port), { ai_family: AF_UNSPEC, ai_socktype: SOCK_STREAM }, res);
    if (gai !== 0 || res.value === null) return { code: 1, message: 'Unable to connect (Lookup error.).' };
    let err = 0;
    for (let ai: zsock_addrinfo | null = res.value; ai !== null; ai = ai.ai_next) {
      this.client.broker = ai.ai_addr;
      this.debug('sending CONNECT');
      err = await mqtt_connect(this.client);
      // A TLS failure would fail the same way on the next address: only TCP refusals move on.
      const tlsFailed = this.client.transport.type === MQTT_TRANSPORT_SECURE && this.ctx.log().some((r) => r.module === 'net_sock_tls' && r.level === 1);
      if (err === 0 || tlsFailed) break;
    }
    if (err < 0) {
      const f = connectFailure(err, o.tls !== null, this.ctx.log());
      // The TLS layer speaks of sec tags; say which file the tag holds.
      const ca = o.tls?.credentials.find((c) => c.option === '--cafile');
      if (ca && f.message.includes(`sec tag(s) ${TOOL_SEC_TAG}`)) f.message += ` [sec tag ${TOOL_SEC_TAG}: --cafile ${ca.file}]`;
      return f;
    }
    const q = this.expect('connack');
    this.startRx();
    // mosquitto waits as long as the keep-alive allows; a silent broker must not hang us for ever.
    const rc = await q.take(K_MSEC(Math.max(o.keepalive, 10) * 1500));
    if (rc === null) {
      await this.close();
      return { code: 1, message: 'Error: no CONNACK from the broker (is it an MQTT broker?)' };
    }
    if (rc === LOST) return this.failure ?? lostFailure(0);
    if (rc !== 0) {
      await this.close();
      return connackFailure(rc, o.version === MQTT_VERSION_5_0);
    }
    this.connected = true;
    return null;
  }

  private startRx(): void {
    const t = new k_thread();
    t.dbgName = 'mqtt_rx';
    this.rxThread = k_thread_create(t, null, 4096, () => this.rxLoop(), null, null, null, K_PRIO_PREEMPT(0), 0, K_NO_WAIT);
  }

  /** The receive thread: poll, `mqtt_input`, `mqtt_live` (PINGREQ when the keep-alive is due). */
  private async rxLoop(): Promise<void> {
    const c = this.client;
    while (!this.closing && !this.failure) {
      const left = mqtt_keepalive_time_left(c);
      const fds = [new zsock_pollfd(c.transport.tcp.sock, POLLIN)];
      const n = await zsock_poll(fds, 1, left);
      if (this.closing) return;
      if (n < 0) return this.lost(-errno);
      // An rx error drops the connection inside mqtt_input, which reports MQTT_EVT_DISCONNECT.
      if (n > 0 && (await mqtt_input(c)) < 0) return;
      const live = await mqtt_live(c);
      if (live === 0) this.debug('sending PINGREQ');
      else if (live !== -EAGAIN) return this.lost(live);
    }
  }

  private async onEvent(evt: mqtt_evt): Promise<void> {
    const c = this.client;
    switch (evt.type) {
      case MQTT_EVT_CONNACK:
        this.debug(`received CONNACK (${evt.param.connack.return_code})`);
        this.settle('connack', evt.param.connack.return_code);
        break;
      case MQTT_EVT_PUBLISH:
        if (evt.result === 0) await this.onPublish(evt.param.publish);
        break;
      case MQTT_EVT_PUBACK:
        this.debug(`received PUBACK (Mid: ${evt.param.puback.message_id}, RC:${evt.param.puback.reason_code ?? 0})`);
        this.settle(`ack:${evt.param.puback.message_id}`, evt.param.puback.reason_code ?? 0);
        break;
      case MQTT_EVT_PUBREC: {
        const id = evt.param.pubrec.message_id;
        const rc = evt.param.pubrec.reason_code ?? 0;
        this.debug(`received PUBREC (Mid: ${id})`);
        // A failing PUBREC ends the QoS 2 exchange (5.0): no PUBREL follows.
        if (rc >= 0x80) this.settle(`ack:${id}`, rc);
        else {
          this.debug(`sending PUBREL (m${id})`);
          await mqtt_publish_qos2_release(c, { message_id: id });
        }
        break;
      }
      case MQTT_EVT_PUBREL: {
        const id = evt.param.pubrel.message_id;
        this.debug(`received PUBREL (Mid: ${id})`);
        this.debug(`sending PUBCOMP (m${id})`);
        await mqtt_publish_qos2_complete(c, { message_id: id });
        const m = this.qos2Pending.get(id);
        this.qos2Pending.delete(id);
        if (m) this.onMessage?.(m);
        break;
      }
      case MQTT_EVT_PUBCOMP:
        this.debug(`received PUBCOMP (Mid: ${evt.param.pubcomp.message_id}, RC:${evt.param.pubcomp.reason_code ?? 0})`);
        this.settle(`ack:${evt.param.pubcomp.message_id}`, evt.param.pubcomp.reason_code ?? 0);
        break;
      case MQTT_EVT_SUBACK: {
        const s = evt.param.suback;
        // return_codes is a view into rx_buf, which the next packet overwrites.
        this.subackCodes.set(s.message_id, [...s.return_codes.data.subarray(0, s.return_codes.len)]);
        this.debug('received SUBACK');
        this.settle(`ack:${s.message_id}`, 0);
        break;
      }
      case MQTT_EVT_PINGRESP:
        this.debug('received PINGRESP');
        break;
      case MQTT_EVT_DISCONNECT:
        if (!this.closing) this.lost(evt.result);
        break;
      default:
        break;
    }
  }

  private async onPublish(p: Extract<mqtt_evt, { type: typeof MQTT_EVT_PUBLISH }>['param']['publish']): Promise<void> {
    const c = this.client;
    // The topic is a view into rx_buf: copy it before anything else is read.
    const topic = mqtt_utf8_to_string(p.message.topic.topic);
    const qos = p.message.topic.qos;
    const id = p.message_id;
    const payload = new Uint8Array(p.message.payload.len);
    if (payload.length > 0 && (await mqtt_readall_publish_payload(c, payload, payload.length)) < 0) return;
    this.debug(`received PUBLISH (d${p.dup_flag ? 1 : 0}, q${qos}, r${p.retain_flag ? 1 : 0}, m${id}, '${topic}', ... (${payload.length} bytes))`);
    const m: ToolMessage = { topic, payload, qos, retain: p.retain_flag, mid: qos === 0 ? 0 : id };
    if (qos === 2) {
      // A redelivery (DUP) of a message still pending replaces nothing: it is the same message.
      if (!this.qos2Pending.has(id)) this.qos2Pending.set(id, m);
      this.debug(`sending PUBREC (m${id}, rc0)`);
      await mqtt_publish_qos2_receive(c, { message_id: id });
      return;
    }
    if (qos === 1) {
      this.debug(`sending PUBACK (m${id}, rc0)`);
      await mqtt_publish_qos1_ack(c, { message_id: id });
    }
    this.onMessage?.(m);
  }

  /** Publishes; with QoS 1 or 2, returns once the broker acknowledged (PUBACK / PUBCOMP). */
  async publish(topic: string, payload: Uint8Array, qos: mqtt_qos, retain: boolean): Promise<ToolFailure | null> {
    if (this.failure) return this.failure;
    const id = qos === 0 ? 0 : this.nextMid();
    const q = qos === 0 ? null : this.expect(`ack:${id}`);
    this.debug(`sending PUBLISH (d0, q${qos}, r${retain ? 1 : 0}, m${id}, '${topic}', ... (${payload.length} bytes))`);
    const rc = await mqtt_publish(this.client, {
      message: { topic: { topic: MQTT_UTF8_LITERAL(topic), qos }, payload: { data: payload, len: payload.length } },
      message_id: id,
      dup_flag: false,
      retain_flag: retain,
    });
    if (rc < 0) {
      this.lost(rc);
      return this.failure ?? lostFailure(rc);
    }
    if (q === null) return null;
    const ack = await q.take(K_FOREVER);
    if (ack === null || ack === LOST) return this.failure ?? lostFailure(0);
    // 5.0 reason codes from 0x80 are failures; mosquitto_pub warns and goes on.
    if (ack >= 0x80) this.ctx.stderr(`Warning: Publish ${id} failed: ${reasonString(ack)}.`);
    return null;
  }

  /** One SUBSCRIBE for all `topics`; the SUBACK's return codes, or a failure. */
  async subscribe(topics: readonly string[], qos: mqtt_qos): Promise<number[] | ToolFailure> {
    if (this.failure) return this.failure;
    const id = this.nextMid();
    const q = this.expect(`ack:${id}`);
    for (const t of topics) this.debug(`sending SUBSCRIBE (Mid: ${id}, Topic: ${t}, QoS: ${qos}, Options: 0x00)`);
    const rc = await mqtt_subscribe(this.client, {
      list: topics.map((t) => ({ topic: MQTT_UTF8_LITERAL(t), qos })),
      list_count: topics.length,
      message_id: id,
    });
    if (rc < 0) {
      this.lost(rc);
      return this.failure ?? lostFailure(rc);
    }
    const ack = await q.take(K_FOREVER);
    if (ack === null || ack === LOST) return this.failure ?? lostFailure(0);
    const codes = this.subackCodes.get(id) ?? [];
    this.subackCodes.delete(id);
    if (this.opts.debug) this.ctx.stderr(`Subscribed (mid: ${id}): ${codes.join(', ')}`);
    return codes;
  }

  /** DISCONNECT (or just closing, when the session never came up), and the receive thread ends. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.connected && !this.failure) {
      this.debug('sending DISCONNECT');
      await mqtt_disconnect(this.client, null);
    } else {
      await mqtt_abort(this.client);
    }
    this.connected = false;
    if (this.rxThread) k_thread_abort(this.rxThread);
    this.rxThread = null;
  }
}
