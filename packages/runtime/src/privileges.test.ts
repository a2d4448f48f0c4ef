import { describe, expect, it } from 'vitest';
// Test-only: the shipped runtime never imports core's catalog.
import { CAPABILITY_NAMES, CAPABILITY_RULES } from '@syscage/core';
import { NETLINK_ROUTE_GRANT } from './prepared.ts';
import { capabilitiesToDrop, parseCapabilities, type CapabilitySets } from './privileges.ts';

const sets = (permitted: bigint, extra: Partial<CapabilitySets> = {}): CapabilitySets => ({ inheritable: 0n, permitted, effective: permitted, bounding: 0x1ffffffffffn, ambient: 0n, ...extra });
const bits = (...caps: number[]) => caps.reduce((all, cap) => all | (1n << BigInt(cap)), 0n);

describe('privileges', () => {
  it('parses the capability sets of a status file', () => {
    expect(parseCapabilities('CapInh:\t0000000000000000\nCapPrm:\t000001fffeffffff\nCapEff:\t000001fffeffffff\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n')).toEqual({ inheritable: 0n, permitted: 0x1fffeffffffn, effective: 0x1fffeffffffn, bounding: 0x1ffffffffffn, ambient: 0n });
    expect(parseCapabilities('Name:\tnode\n')).toBeUndefined();
  });

  it('drops CAP_NET_ADMIN with the NETLINK_ROUTE grant; CAP_SETUID/CAP_SETGID only without root\'s overrides', () => {
    expect(capabilitiesToDrop(sets(0n), true)).toEqual([]);
    expect(capabilitiesToDrop(sets(0x1fffeffffffn), true)).toEqual([12]);
    expect(capabilitiesToDrop(sets(0x1fffeffffffn), false)).toEqual([]);
    expect(capabilitiesToDrop(sets(bits(6, 7, 10)), false)).toEqual([7, 6]);
    expect(capabilitiesToDrop(sets(bits(1, 2, 3, 5, 6, 7, 19)), true)).toEqual([]);
    expect(capabilitiesToDrop(sets(0n, { ambient: bits(12) }), true)).toEqual([12]);
  });

  it('knows which capability the catalog grants NETLINK_ROUTE with', () => {
    const granting = CAPABILITY_NAMES.filter((name) => CAPABILITY_RULES[name].some((rule) => rule.syscall === 'socket' && rule.when?.some((c) => c.arg === 0 && 'value' in c && c.value === 16)));
    expect(granting).toEqual([NETLINK_ROUTE_GRANT]);
  });
});
