/**
 * `zsim/fleet`: what a board knows about its place in a fleet (`zsim fleet`), so that one build
 * can give every board its own MQTT client id, topic or address.
 *
 *     import { fleet_board_index, fleet_device_id } from 'zsim/fleet';
 *     client.client_id = MQTT_UTF8_LITERAL(fleet_device_id());   // "zsim-00042"
 *
 * The values are fixed when the board is created and survive a reboot (scenario `reboot`): they
 * stand for what a real device keeps in its factory data. Outside a fleet (`zsim run`) a board is
 * index 0 of a fleet of 1, with the id `zsim-00000` and the address from its configuration.
 */
import { cpu } from '../kernel/cpu.ts';
import type { Kernel } from '../kernel/kernel.ts';

/** A board's identity in its fleet, as the fleet runner assigns it. */
export interface FleetIdentity {
  /** Index in the whole fleet (across shards), from 0. */
  readonly index: number;
  /** Number of boards in the whole fleet (all shards). */
  readonly size: number;
  /** Unique device id, e.g. `zsim-00042`. Also the default MQTT client id of the samples. */
  readonly deviceId: string;
  /** IPv4 address of the board's interface, e.g. `10.0.0.43`. */
  readonly ipv4: string;
  /** MAC address (locally administered, unicast), 6 bytes. */
  readonly mac: Uint8Array;
}

const KEY = 'fleet.identity';
const FIELD = 5;

/** The device id of fleet index `index`: `zsim-` and the index on at least five digits. */
export function fleetDeviceId(index: number, prefix = 'zsim-'): string {
  return prefix + String(index).padStart(FIELD, '0');
}

/** The MAC of fleet index `index`: `02:5a:xx:xx:xx:xx` (locally administered, "Z" for zsim). */
export function fleetMac(index: number): Uint8Array {
  return Uint8Array.of(0x02, 0x5a, (index >>> 24) & 0xff, (index >>> 16) & 0xff, (index >>> 8) & 0xff, index & 0xff);
}

/** @internal the fleet runner gives a board its identity before it boots. */
export function fleet_identity_set(k: Kernel, id: FleetIdentity): void {
  k.subsys.set(KEY, id);
}

/** @internal a board's identity, or the lone board's default outside a fleet. */
export function fleet_identity_of(k: Kernel): FleetIdentity {
  const id = k.subsys.get(KEY) as FleetIdentity | undefined;
  if (id) return id;
  const addr = k.config.NET_CONFIG_MY_IPV4_ADDR;
  return { index: k.index, size: 1, deviceId: fleetDeviceId(k.index), ipv4: typeof addr === 'string' ? addr : '', mac: fleetMac(k.index) };
}

function current(api: string): FleetIdentity {
  const k = cpu.kernel;
  if (k === null) throw new Error(`${api}() called outside a board (no thread or ISR is running)`);
  return fleet_identity_of(k);
}

/** The board's index in the fleet, from 0 (0 outside a fleet). */
export function fleet_board_index(): number {
  return current('fleet_board_index').index;
}

/** The number of boards in the fleet, all shards included (1 outside a fleet). */
export function fleet_size(): number {
  return current('fleet_size').size;
}

/** The board's unique device id, e.g. `zsim-00042`: use it as the MQTT client id. */
export function fleet_device_id(): string {
  return current('fleet_device_id').deviceId;
}

/** The board's IPv4 address as text (the fleet's, or `CONFIG_NET_CONFIG_MY_IPV4_ADDR`). */
export function fleet_ipv4_addr(): string {
  return current('fleet_ipv4_addr').ipv4;
}

/** The board's MAC address (a copy: 6 bytes). */
export function fleet_mac_addr(): Uint8Array {
  return current('fleet_mac_addr').mac.slice();
}
