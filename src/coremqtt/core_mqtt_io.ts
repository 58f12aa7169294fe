/**
 * The transport side of coreMQTT's `core_mqtt.c`: sending a buffer or a gathered packet until it
 * is all out (`sendBuffer`, `sendMessageVector`), receiving exactly the rest of a packet into the
 * network buffer (`recvExact`, `receivePacket`) and draining a packet too large for it
 * (`discardPacket`). Timeouts are coreMQTT's: `MQTT_SEND_TIMEOUT_MS` for a whole send,
 * `MQTT_RECV_POLLING_TIMEOUT_MS` of silence in the middle of a packet.
 */
import { k_msleep } from '../kernel/time_api.ts';
import {
  MQTT_RECV_POLLING_TIMEOUT_MS,
  MQTT_SEND_TIMEOUT_MS,
  LogDebug,
  LogError,
} from './core_mqtt_config_defaults.ts';
import type { MQTTContext_t } from './core_mqtt_context.ts';
import {
  MQTTNoDataAvailable,
  MQTTRecvFailed,
  MQTTSuccess,
  type MQTTPacketInfo_t,
  type MQTTStatus_t,
} from './core_mqtt_serializer_types.ts';
import type { TransportInterface_t, TransportOutVector_t } from './transport_interface.ts';

/** `later - start` on the wrapping 32-bit millisecond clock. */
export function calculateElapsedTime(later: number, start: number): number {
  return (later - start) >>> 0;
}

/** The context's time function and transport; `MQTT_Init` has set both before any I/O. */
function io(ctx: MQTTContext_t): { now: () => number; t: TransportInterface_t } {
  return { now: ctx.getTime!, t: ctx.transportInterface! };
}

/**
 * Called when a transport call transferred nothing. On a device the clock runs on while such a
 * loop retries; in zsim's virtual time it moves only while a thread waits, so a transport that
 * returns 0 without waiting would spin forever at one instant. Sleep a millisecond then.
 */
export async function idleIfTimeStood(ctx: MQTTContext_t, before: number): Promise<void> {
  if (ctx.getTime!() === before) await k_msleep(1);
}

/**
 * `sendBuffer`: sends `bytesToSend` bytes of `buf` and returns how many went out, fewer after
 * `MQTT_SEND_TIMEOUT_MS`, or the transport's negative result on a network error.
 */
export async function sendBuffer(ctx: MQTTContext_t, buf: Uint8Array, bytesToSend: number): Promise<number> {
  const { now, t } = io(ctx);
  const start = now();
  const timeoutMs = MQTT_SEND_TIMEOUT_MS();
  let sent = 0;
  while (sent < bytesToSend) {
    const before = now();
    // A view only for the rest of a partly sent buffer: the first call takes the buffer as it is.
    const r = await t.send(t.pNetworkContext, sent === 0 ? buf : buf.subarray(sent), bytesToSend - sent);
    if (r < 0) {
      LogError('sendBuffer: Unable to send packet: Network Error.');
      return r;
    }
    if (r > 0) {
      sent += r;
      ctx.lastPacketTxTime = now();
      LogDebug('sendBuffer: Bytes Sent=%d, Bytes Remaining=%d', r, bytesToSend - sent);
    }
    if (sent < bytesToSend && calculateElapsedTime(now(), start) >= timeoutMs) {
      LogError('sendBuffer: Unable to send packet: Timed out.');
      break;
    }
    if (r === 0) await idleIfTimeStood(ctx, before);
  }
  return sent;
}

/**
 * `sendMessageVector`: sends the buffers of `vectors` as one packet, with the transport's
 * `writev` when it has one, else buffer by buffer with `send`. `vectors` is consumed (the
 * library builds it for the call). Returns the bytes sent or a negative network error.
 */
export async function sendMessageVector(ctx: MQTTContext_t, vectors: TransportOutVector_t[]): Promise<number> {
  const { now, t } = io(ctx);
  let total = 0;
  for (const v of vectors) total += v.iov_len;
  const start = now();
  const timeoutMs = MQTT_SEND_TIMEOUT_MS();
  let sent = 0;
  while (sent < total) {
    const before = now();
    const head = vectors[0]!;
    const r = t.writev
      ? await t.writev(t.pNetworkContext, vectors, vectors.length)
      : await t.send(t.pNetworkContext, head.iov_base, head.iov_len);
    if (r < 0) {
      LogError('sendMessageVector: Unable to send packet: Network Error.');
      return r;
    }
    if (r > 0) {
      sent += r;
      ctx.lastPacketTxTime = now();
      // Drop the buffers that went out and trim the one that went out in part.
      let left = r;
      while (vectors.length > 0 && left >= vectors[0]!.iov_len) left -= vectors.shift()!.iov_len;
      if (left > 0 && vectors.length > 0) {
        const v = vectors[0]!;
        v.iov_base = v.iov_base.subarray(left);
        v.iov_len -= left;
      }
    }
    if (sent < total && calculateElapsedTime(now(), start) >= timeoutMs) {
      LogError('sendMessageVector: Unable to send packet: Timed out.');
      break;
    }
    if (r === 0) await idleIfTimeStood(ctx, before);
  }
  return sent;
}

/**
 * `recvExact`: reads `bytesToRecv` bytes to the start of the network buffer. Returns the count
 * read, fewer when the transport stays silent for `MQTT_RECV_POLLING_TIMEOUT_MS`, or its negative
 * result on a network error.
 */
export async function recvExact(ctx: MQTTContext_t, bytesToRecv: number): Promise<number> {
  const { now, t } = io(ctx);
  const buf = ctx.networkBuffer.pBuffer;
  let got = 0;
  let lastData = now();
  while (got < bytesToRecv) {
    const before = now();
    const r = await t.recv(t.pNetworkContext, got === 0 ? buf : buf.subarray(got), bytesToRecv - got);
    if (r < 0) {
      LogError('Network error while receiving packet: ReturnCode=%d.', r);
      return r;
    }
    if (r > 0) {
      got += r;
      lastData = now();
    } else {
      if (calculateElapsedTime(now(), lastData) >= MQTT_RECV_POLLING_TIMEOUT_MS()) {
        LogError('Unable to receive packet: Timed out in transport recv.');
        break;
      }
      await idleIfTimeStood(ctx, before);
    }
  }
  return got;
}

/**
 * `discardPacket`: reads and drops `remainingLength` bytes, a buffer at a time, within
 * `timeoutMs`. `MQTTNoDataAvailable` once dropped, `MQTTRecvFailed` otherwise.
 */
export async function discardPacket(ctx: MQTTContext_t, remainingLength: number, timeoutMs: number): Promise<MQTTStatus_t> {
  const entry = ctx.getTime!();
  const chunk = ctx.networkBuffer.size;
  if (chunk === 0) return MQTTRecvFailed;
  let dropped = 0;
  while (dropped < remainingLength) {
    const want = Math.min(chunk, remainingLength - dropped);
    if ((await recvExact(ctx, want)) !== want) break;
    dropped += want;
    if (dropped < remainingLength && calculateElapsedTime(ctx.getTime!(), entry) >= timeoutMs) {
      LogError('Time expired while discarding packet.');
      break;
    }
  }
  if (dropped !== remainingLength) return MQTTRecvFailed;
  LogError('Dumped packet. DumpedBytes=%d.', dropped);
  return MQTTNoDataAvailable;
}

/**
 * `receivePacket`: the rest of `packet` into the network buffer; a packet larger than the buffer
 * is discarded (`MQTTNoDataAvailable`).
 */
export async function receivePacket(ctx: MQTTContext_t, packet: MQTTPacketInfo_t, remainingTimeMs: number): Promise<MQTTStatus_t> {
  if (packet.remainingLength > ctx.networkBuffer.size) {
    LogError('Incoming packet will be dumped: Packet length exceeds network buffer size.PacketSize=%d, NetworkBufferSize=%d.',
      packet.remainingLength, ctx.networkBuffer.size);
    return discardPacket(ctx, packet.remainingLength, remainingTimeMs);
  }
  const n = await recvExact(ctx, packet.remainingLength);
  if (n === packet.remainingLength) return MQTTSuccess;
  LogError('Packet reception failed. ReceivedBytes=%d, ExpectedBytes=%d.', n, packet.remainingLength);
  return MQTTRecvFailed;
}
