/**
 * MQTT over a websocket, Zephyr's `mqtt_transport_websocket.c` (`CONFIG_MQTT_LIB_WEBSOCKET`, log
 * module `net_mqtt_websocket`), with the RFC 6455 client it needs from Zephyr's websocket library
 * (`websocket_connect`, `websocket_send_msg`, `websocket_recv_msg`, `websocket_disconnect`),
 * which zsim does not have yet.
 *
 * The websocket runs on the TCP (or TLS) socket of the TCP (TLS) transport and has no descriptor
 * of its own: `transport.websocket.sock` is that socket. Reads never take more payload from the
 * socket than the caller asked for (frame headers go to per-connection state as they arrive), so
 * unread data stays in the socket and `zsock_poll` on it tells the truth, as it does for Zephyr's
 * websocket descriptor. The opening handshake is bounded by `transport.websocket.timeout` ms (no
 * bound when <= 0).
 */
import { createHash } from 'node:crypto';
import { k_uptime_get, sys_rand32_get, sys_rand_get } from '../../kernel/time_api.ts';
import { EAGAIN, ECONNREFUSED, EINVAL, ETIMEDOUT, errno } from '../../libc/errno.ts';
import { MSG_DONTWAIT, MSG_WAITALL, POLLIN } from '../socket_consts.ts';
import { zsock_close, zsock_poll, zsock_pollfd, zsock_recv, type msghdr } from '../socket.ts';
import {
  MQTT_TRANSPORT_NON_SECURE_WEBSOCKET, MQTT_TRANSPORT_SECURE_WEBSOCKET, type mqtt_client, type websocket_request,
} from './mqtt_client.ts';
import { NET_LOG_REGISTER, mqtt_enabled } from './mqtt_os.ts';
import { mqtt_client_tcp_connect, socket_write } from './mqtt_transport_socket_tcp.ts';
import { mqtt_client_tls_connect } from './mqtt_transport_socket_tls.ts';

const { NET_DBG, NET_ERR, NET_INFO } = NET_LOG_REGISTER('net_mqtt_websocket');

/* enum websocket_opcode */
export const WEBSOCKET_OPCODE_CONTINUE = 0x00;
export const WEBSOCKET_OPCODE_DATA_TEXT = 0x01;
export const WEBSOCKET_OPCODE_DATA_BINARY = 0x02;
export const WEBSOCKET_OPCODE_CLOSE = 0x08;
export const WEBSOCKET_OPCODE_PING = 0x09;
export const WEBSOCKET_OPCODE_PONG = 0x0a;

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_RESPONSE_HEADER = 4096;

/**
 * Receive state of one connection: the frame header being assembled (bytes are consumed as they
 * come, so a partial header does not keep the socket readable) and what is left of the payload.
 */
interface ws_rx {
  hdr: Uint8Array;
  have: number;
  remaining: number;
  binary: boolean;
}
const rx_state = new WeakMap<mqtt_client, ws_rx>();

function new_rx(): ws_rx {
  // 14 bytes of header at most, plus a control frame's payload (at most 125 bytes).
  return { hdr: new Uint8Array(14 + 125), have: 0, remaining: 0, binary: true };
}

function expected_accept(key: string): string {
  return createHash('sha1').update(key + WS_GUID).digest('base64');
}

/** Waits until `sock` is readable or `deadline` (uptime, ms; null: none) passes: 0 or -ETIMEDOUT. */
async function wait_readable(sock: number, deadline: number | null): Promise<number> {
  const left = deadline === null ? -1 : Math.max(0, deadline - k_uptime_get());
  const n = await zsock_poll([new zsock_pollfd(sock, POLLIN)], 1, left);
  return n > 0 ? 0 : n === 0 ? -ETIMEDOUT : -errno;
}

/**
 * Reads the server's response header byte by byte, so that nothing after it (a first frame) is
 * taken from the socket. Returns the header text or a negative errno.
 */
async function read_response_header(sock: number, deadline: number | null): Promise<string | number> {
  const buf = new Uint8Array(MAX_RESPONSE_HEADER);
  let len = 0;
  while (len < 4 || buf[len - 4] !== 13 || buf[len - 3] !== 10 || buf[len - 2] !== 13 || buf[len - 1] !== 10) {
    if (len === buf.length) return -EINVAL;
    const n = await zsock_recv(sock, buf.subarray(len), 1, MSG_DONTWAIT);
    if (n === 0) return -ECONNREFUSED;
    if (n > 0) {
      len += n;
      continue;
    }
    if (errno !== EAGAIN) return -errno;
    const w = await wait_readable(sock, deadline);
    if (w < 0) return w;
  }
  return new TextDecoder().decode(buf.subarray(0, len - 4));
}

/** The opening handshake: 0, or a negative errno (-ECONNREFUSED when the server says no). */
async function websocket_handshake(sock: number, config: websocket_request, timeout: number): Promise<number> {
  const nonce = new Uint8Array(16);
  sys_rand_get(nonce);
  const key = Buffer.from(nonce).toString('base64');
  const request =
    `GET ${config.url} HTTP/1.1\r\nHost: ${config.host}\r\n` +
    'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n` +
    (config.optional_headers ?? []).join('') +
    '\r\n';
  const req = new TextEncoder().encode(request);
  const ret = await socket_write(sock, req, req.length);
  if (ret < 0) return ret;
  const head = await read_response_header(sock, timeout > 0 ? k_uptime_get() + timeout : null);
  if (typeof head === 'number') return head;
  const lines = head.split('\r\n');
  if (!/^HTTP\/1\.1 101\b/.test(lines[0] ?? '')) {
    NET_DBG('websocket_connect', 'HTTP status: %s', lines[0] ?? '');
    return -ECONNREFUSED;
  }
  const accept = lines.map((l) => /^sec-websocket-accept:\s*(\S+)\s*$/i.exec(l)).find((m) => m !== null)?.[1];
  if (accept !== expected_accept(key)) {
    NET_DBG('websocket_connect', 'Invalid Sec-WebSocket-Accept');
    return -EINVAL;
  }
  return 0;
}

/**
 * `websocket_send_msg` for a client: one frame, masked with a random key. Returns the payload
 * length, or a negative errno.
 */
async function websocket_send_msg(sock: number, payload: Uint8Array, opcode: number, final: boolean): Promise<number> {
  const len = payload.length;
  const ext = len < 126 ? 0 : len < 0x10000 ? 2 : 8;
  const frame = new Uint8Array(2 + ext + 4 + len);
  frame[0] = (final ? 0x80 : 0) | opcode;
  frame[1] = 0x80 | (ext === 0 ? len : ext === 2 ? 126 : 127);
  const view = new DataView(frame.buffer);
  if (ext === 2) view.setUint16(2, len);
  else if (ext === 8) view.setBigUint64(2, BigInt(len));
  const mask = 2 + ext;
  view.setUint32(mask, sys_rand32_get());
  for (let i = 0; i < len; i++) frame[mask + 4 + i] = payload[i]! ^ frame[mask + (i & 3)]!;
  const ret = await socket_write(sock, frame, frame.length);
  return ret < 0 ? ret : len;
}

interface ws_frame {
  opcode: number;
  len: number;
  /** A control frame's payload (data frames leave theirs in the socket). */
  payload: Uint8Array;
}

/**
 * Assembles the next frame header (and a control frame's payload) in `st`. Returns the frame,
 * 0 when the peer closed, -EAGAIN when it is not all there and `block` is false.
 */
async function read_frame_header(sock: number, st: ws_rx, block: boolean): Promise<ws_frame | number> {
  const h = st.hdr;
  for (;;) {
    let need = 2;
    if (st.have >= 2) {
      const code = h[1]! & 0x7f;
      need += (code === 126 ? 2 : code === 127 ? 8 : 0) + ((h[1]! & 0x80) !== 0 ? 4 : 0);
      if ((h[0]! & 0x0f) >= 0x08) need += code;
    }
    if (st.have >= need) break;
    const n = await zsock_recv(sock, h.subarray(st.have), need - st.have, block ? MSG_WAITALL : MSG_DONTWAIT);
    if (n < 0) return -errno;
    if (n === 0) return 0;
    st.have += n;
  }
  st.have = 0;
  const code = h[1]! & 0x7f;
  const view = new DataView(h.buffer);
  const len = code === 126 ? view.getUint16(2) : code === 127 ? Number(view.getBigUint64(2)) : code;
  const masked = (h[1]! & 0x80) !== 0;
  const start = 2 + (code === 126 ? 2 : code === 127 ? 8 : 0) + (masked ? 4 : 0);
  const opcode = h[0]! & 0x0f;
  const payload = h.slice(start, start + (opcode >= 0x08 ? len : 0));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= h[start - 4 + (i & 3)]!;
  return { opcode, len, payload };
}

/** `mqtt_client_websocket_connect`. */
export async function mqtt_client_websocket_connect(client: mqtt_client): Promise<number> {
  const t = client.transport;
  let transport_sock: number;
  if (t.type === MQTT_TRANSPORT_NON_SECURE_WEBSOCKET) {
    const ret = await mqtt_client_tcp_connect(client);
    if (ret < 0) return ret;
    transport_sock = t.tcp.sock;
  } else if (t.type === MQTT_TRANSPORT_SECURE_WEBSOCKET && mqtt_enabled('MQTT_LIB_TLS')) {
    const ret = await mqtt_client_tls_connect(client);
    if (ret < 0) return ret;
    transport_sock = t.tls.sock;
  } else {
    return -EINVAL;
  }
  const config = t.websocket.config;
  if (config.url === null) config.url = '/mqtt';
  if (config.host === null) config.host = 'localhost';
  config.optional_headers = ['Sec-WebSocket-Protocol: mqtt\r\n'];
  const ret = await websocket_handshake(transport_sock, config, t.websocket.timeout);
  t.websocket.sock = ret < 0 ? ret : transport_sock;
  if (ret < 0) {
    NET_ERR('Websocket connect failed (%d)', ret);
    zsock_close(transport_sock);
    return ret;
  }
  rx_state.set(client, new_rx());
  NET_DBG('mqtt_client_websocket_connect', 'Connect completed');
  return 0;
}

/** `mqtt_client_websocket_write`: `data` as binary frames. */
export async function mqtt_client_websocket_write(client: mqtt_client, data: Uint8Array, datalen: number): Promise<number> {
  let offset = 0;
  while (offset < datalen) {
    const ret = await websocket_send_msg(client.transport.websocket.sock, data.subarray(offset, datalen), WEBSOCKET_OPCODE_DATA_BINARY, true);
    if (ret < 0) return ret;
    offset += ret;
  }
  return 0;
}

/**
 * `mqtt_client_websocket_write_msg`: one binary message whose fragments are the iovecs (the
 * first a binary frame, the rest continuations, the last final). Returns the bytes sent.
 */
export async function mqtt_client_websocket_write_msg(client: mqtt_client, message: msghdr): Promise<number> {
  const iov = message.msg_iov.slice(0, message.msg_iovlen ?? message.msg_iov.length);
  let opcode = WEBSOCKET_OPCODE_DATA_BINARY;
  let len = 0;
  for (let i = 0; i < iov.length; i++) {
    const v = iov[i]!;
    const ret = await websocket_send_msg(client.transport.websocket.sock, v.iov_base.subarray(0, v.iov_len), opcode, i === iov.length - 1);
    if (ret < 0) return ret;
    opcode = WEBSOCKET_OPCODE_CONTINUE;
    len += ret;
  }
  return len;
}

/**
 * `mqtt_client_websocket_read`: payload bytes of binary frames. 0 when the server closed (a
 * CLOSE frame or the end of the stream); -EAGAIN for text-frame data, which is dropped, and when
 * nothing is there without `shall_block`. PINGs are answered with PONGs on the way.
 */
export async function mqtt_client_websocket_read(
  client: mqtt_client,
  data: Uint8Array,
  buflen: number,
  shall_block: boolean,
): Promise<number> {
  const sock = client.transport.websocket.sock;
  const st = rx_state.get(client) ?? new_rx();
  rx_state.set(client, st);
  while (st.remaining === 0) {
    const f = await read_frame_header(sock, st, shall_block);
    if (typeof f === 'number') return f;
    if (f.opcode === WEBSOCKET_OPCODE_CLOSE) return 0;
    if (f.opcode === WEBSOCKET_OPCODE_PING) {
      const ret = await websocket_send_msg(sock, f.payload, WEBSOCKET_OPCODE_PONG, true);
      if (ret < 0) return ret;
      continue;
    }
    if (f.opcode >= 0x08) continue; // PONG and reserved control frames
    if (f.opcode !== WEBSOCKET_OPCODE_CONTINUE) st.binary = f.opcode === WEBSOCKET_OPCODE_DATA_BINARY;
    st.remaining = f.len;
  }
  const want = Math.min(buflen, st.remaining);
  const n = await zsock_recv(sock, data, want, shall_block ? 0 : MSG_DONTWAIT);
  if (n < 0) return -errno;
  if (n === 0) return 0;
  st.remaining -= n;
  return st.binary ? n : -EAGAIN;
}

/** `mqtt_client_websocket_disconnect`: a CLOSE frame, then the socket is closed. */
export async function mqtt_client_websocket_disconnect(client: mqtt_client): Promise<number> {
  const sock = client.transport.websocket.sock;
  NET_INFO('Closing socket %d', sock);
  rx_state.delete(client);
  await websocket_send_msg(sock, new Uint8Array(0), WEBSOCKET_OPCODE_CLOSE, true);
  return zsock_close(sock) < 0 ? -errno : 0;
}
