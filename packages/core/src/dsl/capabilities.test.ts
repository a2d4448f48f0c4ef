/** The vocabulary table and what derives from it: the names, their order, the declaration type. */

import { describe, expect, expectTypeOf, it } from 'vitest';
import { CAPABILITIES, CAPABILITY_NAMES, type Capabilities, type CapabilityName, type PathGrant, type PortGrant, type ScopedCapability } from './capabilities.ts';

describe('the capability table', () => {
  it('lists the names in the order messages and --allow use', () => {
    expect(CAPABILITY_NAMES).toEqual(['fs.read', 'fs.write', 'net.connect', 'net.listen', 'net.udp', 'net.unix', 'dns', 'spawn', 'worker', 'tty', 'signal']);
  });

  it('places each capability in a declaration and names the option that scopes it', () => {
    expect(CAPABILITIES.filter((c) => c.option !== undefined).map((c) => [c.name, c.path, c.shape, c.option])).toEqual([
      ['fs.read', ['fs', 'read'], 'paths', 'read'],
      ['fs.write', ['fs', 'write'], 'paths', 'write'],
      ['net.connect', ['net', 'connect'], 'ports', 'connect'],
      ['net.listen', ['net', 'listen'], 'ports', 'listen'],
      ['spawn', ['spawn'], 'paths', 'exec'],
    ]);
    expect(CAPABILITIES.filter((c) => c.shape === 'flag').map((c) => c.name)).toEqual(['net.udp', 'net.unix', 'dns', 'worker', 'tty', 'signal']);
  });

  it('derives the types', () => {
    expectTypeOf<CapabilityName>().toEqualTypeOf<'fs.read' | 'fs.write' | 'net.connect' | 'net.listen' | 'net.udp' | 'net.unix' | 'dns' | 'spawn' | 'worker' | 'tty' | 'signal'>();
    expectTypeOf<ScopedCapability>().toEqualTypeOf<'fs.read' | 'fs.write' | 'net.connect' | 'net.listen' | 'spawn'>();
    expectTypeOf<NonNullable<Capabilities['fs']>>().toEqualTypeOf<boolean | { readonly read?: PathGrant; readonly write?: PathGrant }>();
    expectTypeOf<NonNullable<Capabilities['net']>>().toEqualTypeOf<boolean | { readonly connect?: PortGrant; readonly listen?: PortGrant; readonly udp?: boolean; readonly unix?: boolean }>();
    expectTypeOf<NonNullable<Capabilities['spawn']>>().toEqualTypeOf<PathGrant>();
    expectTypeOf<NonNullable<Capabilities['dns']>>().toEqualTypeOf<boolean>();
    expectTypeOf<NonNullable<Capabilities['onViolation']>>().toEqualTypeOf<'kill' | 'errno'>();
  });
});
