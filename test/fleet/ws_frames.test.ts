/**
 * The wire tap's websocket reader (src/fleet/ws_frames.ts): the MQTT bytes inside RFC 6455 frames,
 * after the HTTP upgrade, whatever the segmentation; masked (client) and unmasked (server) frames,
 * 7-bit, 16-bit (126) and 64-bit (127) lengths; control frames are not MQTT.
 */
import { describe, expect, it } from 'vitest';
import { WsDeframer } from '../../src/fleet/ws_frames.ts';

const REQUEST = 'GET /mqtt HTTP/1.1\r\nHost: 192.0.2.2\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
const RESPONSE = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
  'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n';

const OP_CONT = 0x0;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

/** One frame; masked with `mask` when given (as a client sends them). */
function frame(opcode: number, payload: Uint8Array, mask?: number[], fin = true): Uint8Array {
  const len = payload.length;
  const ext = len < 126 ? 0 : len < 0x10000 ? 2 : 8;
  const head = 2 + ext + (mask ? 4 : 0);
  const f = new Uint8Array(head + len);
  f[0] = (fin ? 0x80 : 0) | opcode;
  f[1] = (mask ? 0x80 : 0) | (ext === 0 ? len : ext === 2 ? 126 : 127);
  const v = new DataView(f.buffer);
  if (ext === 2) v.setUint16(2, len);
  if (ext === 8) v.setBigUint64(2, BigInt(len));
  if (mask) f.set(mask, 2 + ext);
  for (let i = 0; i < len; i++) f[head + i] = payload[i]! ^ (mask ? mask[i & 3]! : 0);
  return f;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Deterministic bytes (an MQTT stream's content does not matter to the de-framer). */
function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) b[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return b;
}

/** Feeds `stream` cut at `cuts` and returns what came out. */
function deframe(stream: Uint8Array, cuts: number[], http = true): Uint8Array {
  const got: Uint8Array[] = [];
  const d = new WsDeframer((p) => got.push(p.slice()), http);
  let at = 0;
  for (const c of [...cuts, stream.length]) {
    d.feed(stream.subarray(at, c));
    at = c;
  }
  return concat(got);
}

/** Compares bytes with Buffer.equals (toEqual walks 70 kB element by element). */
function expectBytes(got: Uint8Array, want: Uint8Array): void {
  expect(got.length).toBe(want.length);
  expect(Buffer.from(got).equals(Buffer.from(want))).toBe(true);
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const MASK = [0x37, 0xfa, 0x21, 0x3d];

describe('WsDeframer', () => {
  const a = bytes(5, 1);
  const b = bytes(300, 2); // 126: 16-bit length
  const c = bytes(70_000, 3); // 127: 64-bit length
  const mqtt = concat([a, b, c]);

  it('client side: skips the upgrade request, unmasks, any split, several frames in one segment', () => {
    const stream = concat([enc(REQUEST), frame(OP_BINARY, a, MASK), frame(OP_BINARY, b, [1, 2, 3, 4]), frame(OP_BINARY, c, [0xff, 0, 0x80, 7])]);
    expectBytes(deframe(stream, []), mqtt);
    // Every cut point once: inside the HTTP head, its blank line, a header, an extended length, a mask, a payload.
    for (let cut = 1; cut < REQUEST.length + 320; cut++) expectBytes(deframe(stream, [cut]), mqtt);
    // One byte at a time.
    expectBytes(deframe(stream, Array.from({ length: stream.length - 1 }, (_, i) => i + 1)), mqtt);
  });

  it('server side: skips the 101 response, unmasked frames, split in many segments', () => {
    const stream = concat([enc(RESPONSE), frame(OP_BINARY, a), frame(OP_BINARY, b), frame(OP_BINARY, c)]);
    expectBytes(deframe(stream, []), mqtt);
    for (let cut = 1; cut < RESPONSE.length + 320; cut += 3) expectBytes(deframe(stream, [cut, cut + 1, cut + 9]), mqtt);
    const header126 = RESPONSE.length + 2 + a.length + 2; // inside the 16-bit length of b's frame
    const header127 = header126 + 2 + b.length + 5; // inside the 64-bit length of c's frame
    expectBytes(deframe(stream, [header126, header127]), mqtt);
  });

  it('control frames (ping, pong, close) are not MQTT; continuation frames are', () => {
    const ping = frame(OP_PING, enc('are you there'), MASK);
    const pong = frame(OP_PONG, enc('yes'));
    const close = frame(OP_CLOSE, new Uint8Array([0x03, 0xe8]), MASK);
    const first = frame(OP_BINARY, b.subarray(0, 100), MASK, false);
    const rest = frame(OP_CONT, b.subarray(100), [9, 8, 7, 6]);
    const stream = concat([enc(REQUEST), frame(OP_BINARY, a, MASK), ping, first, pong, rest, frame(OP_BINARY, new Uint8Array(0), MASK), close]);
    for (const cuts of [[], [REQUEST.length + 3], [REQUEST.length + 11, REQUEST.length + 20, REQUEST.length + 40]]) {
      expectBytes(deframe(stream, cuts), concat([a, b]));
    }
  });

  it('without the upgrade (http false) it starts at the frames; a CR inside the head does not end it early', () => {
    expectBytes(deframe(frame(OP_BINARY, a), [], false), a);
    const head = 'HTTP/1.1 101 Switching Protocols\r\nX-Odd: a\r\r\n\r\n';
    expectBytes(deframe(concat([enc(head), frame(OP_BINARY, a)]), [head.length - 2]), a);
  });
});
