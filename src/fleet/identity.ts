/**
 * Who is who in a fleet: the slice of boards a shard runs, and each board's device id, IPv4
 * address and MAC, all derived from the board's index in the whole fleet. Deriving rather than
 * drawing keeps every shard, rerun and reboot in agreement without sharing any state.
 */
import { isIPv4 } from 'node:net';
import { fleetDeviceId, fleetMac, type FleetIdentity } from './api.ts';

/** `--shard I/N`: run slice `index` (0-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `I/N` (0 <= I < N); throws an Error naming the problem. */
export function parseShard(s: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`--shard ${s}: expected I/N, e.g. 0/4 for the first of four shards`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new Error(`--shard ${s}: N must be at least 1`);
  if (index >= count) throw new Error(`--shard ${s}: I must be below N (shards are numbered from 0, like a Kubernetes Indexed Job's JOB_COMPLETION_INDEX)`);
  return { index, count };
}

/** The global board indices `[first, end)` of a shard of a fleet of `size` boards. */
export function shardRange(size: number, shard: Shard): { first: number; end: number } {
  // floor(i*n/N) splits as evenly as possible and the slices tile [0, n) exactly.
  return { first: Math.floor((shard.index * size) / shard.count), end: Math.floor(((shard.index + 1) * size) / shard.count) };
}

/** An IPv4 subnet in CIDR form. */
export interface Subnet {
  base: number;
  prefix: number;
  text: string;
}

function ipToInt(a: string): number {
  return a.split('.').reduce((n, x) => n * 256 + Number(x), 0);
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Parses `10.0.0.0/8`; throws an Error naming the problem. */
export function parseSubnet(s: string): Subnet {
  const m = /^([\d.]+)\/(\d+)$/.exec(s.trim());
  if (!m || !isIPv4(m[1]!) || Number(m[2]) > 30) throw new Error(`--subnet ${s}: expected an IPv4 subnet like 10.0.0.0/8 (prefix at most /30)`);
  const prefix = Number(m[2]);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (ipToInt(m[1]!) & mask) >>> 0, prefix, text: `${intToIp((ipToInt(m[1]!) & mask) >>> 0)}/${prefix}` };
}

/**
 * Board addresses: board `i` gets the subnet's host number `i + 1` (the network address is not a
 * host), skipping `avoid` (the broker's address) when it falls inside the subnet.
 */
export class AddressPlan {
  private readonly avoid: number;
  readonly capacity: number;

  constructor(readonly subnet: Subnet, avoid: string | null) {
    this.avoid = avoid && isIPv4(avoid) ? ipToInt(avoid) : -1;
    const hosts = 2 ** (32 - subnet.prefix) - 2;
    const inside = this.avoid > subnet.base && this.avoid < subnet.base + hosts + 1;
    this.capacity = hosts - (inside ? 1 : 0);
  }

  /** The address of board `i`. */
  ipv4(i: number): string {
    if (i >= this.capacity) throw new Error(`subnet ${this.subnet.text} has room for ${this.capacity} boards, not ${i + 1}`);
    let n = this.subnet.base + i + 1;
    if (this.avoid >= 0 && n >= this.avoid && this.avoid > this.subnet.base) n++;
    return intToIp(n >>> 0);
  }
}

/** Everything a board of the fleet is told about itself. */
export function identityOf(index: number, size: number, plan: AddressPlan, idPrefix: string): FleetIdentity {
  return { index, size, deviceId: fleetDeviceId(index, idPrefix), ipv4: plan.ipv4(index), mac: fleetMac(index) };
}
