/**
 * `zsim/fleet` as an app sees it: the fleet's identity when the fleet runner set one, and the
 * lone board's defaults otherwise (zsim run).
 */
import { describe, expect, it } from 'vitest';
import {
  fleet_board_index, fleet_device_id, fleet_identity_set, fleet_ipv4_addr, fleet_mac_addr, fleet_size, fleetDeviceId,
} from '../../src/fleet/api.ts';
import { AddressPlan, identityOf, parseShard, parseSubnet, shardRange } from '../../src/fleet/identity.ts';
import { runBoard } from '../helpers/board.ts';

describe('zsim/fleet', () => {
  it('gives a board its fleet identity', async () => {
    const seen: unknown[] = [];
    const plan = new AddressPlan(parseSubnet('10.1.0.0/16'), '192.0.2.2');
    await runBoard(() => seen.push(fleet_board_index(), fleet_size(), fleet_device_id(), fleet_ipv4_addr(), [...fleet_mac_addr()]), {
      setup: (k) => fleet_identity_set(k, identityOf(300, 1000, plan, 'zsim-')),
    });
    expect(seen).toEqual([300, 1000, 'zsim-00300', '10.1.1.45', [0x02, 0x5a, 0, 0, 1, 44]]);
  });

  it('outside a fleet, a board is index 0 of 1 at its configured address', async () => {
    const seen: unknown[] = [];
    await runBoard(() => seen.push(fleet_board_index(), fleet_size(), fleet_device_id(), fleet_ipv4_addr()), {
      config: { NET_CONFIG_MY_IPV4_ADDR: '192.0.2.1' },
    });
    expect(seen).toEqual([0, 1, 'zsim-00000', '192.0.2.1']);
  });

  it('derives addresses that skip the broker, and shard slices that tile the fleet', () => {
    const plan = new AddressPlan(parseSubnet('192.0.2.0/24'), '192.0.2.2');
    expect([0, 1, 2].map((i) => plan.ipv4(i))).toEqual(['192.0.2.1', '192.0.2.3', '192.0.2.4']);
    expect(plan.capacity).toBe(253);
    expect(() => plan.ipv4(253)).toThrow(/room for 253 boards/);
    expect(fleetDeviceId(123456)).toBe('zsim-123456');
    expect([0, 1, 2, 3].map((index) => shardRange(10, { index, count: 4 }))).toEqual([
      { first: 0, end: 2 }, { first: 2, end: 5 }, { first: 5, end: 7 }, { first: 7, end: 10 },
    ]);
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 });
    expect(() => parseShard('4/4')).toThrow(/I must be below N/);
    expect(() => parseShard('x')).toThrow(/expected I\/N/);
    expect(() => parseSubnet('10.0.0.0/31')).toThrow(/expected an IPv4 subnet/);
  });
});
