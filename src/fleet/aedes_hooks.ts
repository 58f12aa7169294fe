/**
 * The two pieces of aedes' own dependencies the fleet broker reaches into, resolved from aedes'
 * folder so they are the very instances aedes uses:
 *
 * - `aedes-persistence`: an in-memory persistence the fleet keeps across broker restarts;
 * - `mqtt-packet`'s `writeToStream`, which aedes calls for every packet it sends
 *   (`lib/write.js`). A PUBLISH object there still carries aedes' message id (`brokerId`,
 *   `brokerCounter`), which the bytes on the wire do not. The wrapper hands the packet to the
 *   function stored under `WRITE_TAP` on the destination stream, when there is one: streams
 *   without it (other brokers, MQTT.js clients in the same process) only pay a property lookup.
 */
import { createRequire } from 'node:module';

/** The part of an aedes packet the fleet reads. */
export interface TappedPacket {
  cmd?: string;
  topic: string;
  qos: 0 | 1 | 2;
  messageId?: number;
  dup?: boolean;
  brokerId?: string;
  brokerCounter?: number;
}

/** The persistence calls the fleet wraps (aedes-persistence's memory backend). */
export interface AedesPersistence {
  outgoingEnqueueCombi(subs: { clientId: string; qos?: number }[], packet: TappedPacket): Promise<void>;
  outgoingUpdate(client: { id: string }, packet: TappedPacket): Promise<void>;
  zsimHooked?: boolean;
}

/** Property of a stream holding its write tap. */
export const WRITE_TAP = Symbol('zsim.fleet.writeTap');

const requireFromAedes = createRequire(createRequire(import.meta.url).resolve('aedes'));

/** A fresh in-memory persistence (sessions, subscriptions, queued messages, retained messages). */
export function newMemoryPersistence(): AedesPersistence {
  const factory = requireFromAedes('aedes-persistence') as () => AedesPersistence;
  return factory();
}

type WriteToStream = ((packet: TappedPacket, stream: object, opts?: unknown) => boolean) & { zsimTap?: true };

/** Installs the `writeToStream` wrapper once per process. */
export function installWriteTap(): void {
  const mp = requireFromAedes('mqtt-packet') as { writeToStream: WriteToStream };
  const orig = mp.writeToStream;
  if (orig.zsimTap) return;
  const wrapped: WriteToStream = Object.assign(
    function writeToStream(packet: TappedPacket, stream: object, opts?: unknown): boolean {
      const tap = (stream as Record<symbol, ((p: TappedPacket) => void) | undefined>)[WRITE_TAP];
      if (tap !== undefined) tap(packet);
      return orig(packet, stream, opts);
    },
    { zsimTap: true as const },
  );
  // mqtt-packet keeps its number cache switch on the function object.
  Object.defineProperty(wrapped, 'cacheNumbers', {
    get: () => (orig as unknown as { cacheNumbers: boolean }).cacheNumbers,
    set: (v: boolean) => void ((orig as unknown as { cacheNumbers: boolean }).cacheNumbers = v),
  });
  mp.writeToStream = wrapped;
}
