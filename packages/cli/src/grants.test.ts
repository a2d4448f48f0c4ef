/** Capability names back to a declaration, placed where core's table writes each. */

import { CAPABILITY_NAMES, resolveCapabilities } from '@syscage/core';
import { describe, expect, it } from 'vitest';
import { declarationFromGrants } from './grants.ts';

describe('declarationFromGrants', () => {
  it('writes group members under their group and the rest at the top', () => {
    expect(declarationFromGrants(['fs.read', 'net.connect', 'net.udp', 'dns'])).toEqual({ fs: { read: true }, net: { connect: true, udp: true }, dns: true });
  });

  it('adds the violation mode and the lists it is given', () => {
    const scopes = new Map([['fs.write', ['./out']], ['net.listen', [8080]]] as const);
    expect(declarationFromGrants(['fs.write', 'net.listen', 'tty'], 'errno', scopes)).toEqual({ fs: { write: ['./out'] }, net: { listen: [8080] }, tty: true, onViolation: 'errno' });
  });

  it('round-trips every capability through the resolver', () => {
    for (const name of CAPABILITY_NAMES) expect([...resolveCapabilities(declarationFromGrants([name])).grants]).toEqual([name]);
    expect([...resolveCapabilities(declarationFromGrants(CAPABILITY_NAMES)).grants]).toEqual(CAPABILITY_NAMES);
  });

  it('keeps a name it does not know where its dots say, for the resolver to refuse', () => {
    expect(declarationFromGrants(['fs.exec', 'gpu'])).toEqual({ fs: { exec: true }, gpu: true });
    expect(() => resolveCapabilities(declarationFromGrants(['fs.exec']))).toThrowError('`fs.exec` is not a capability. Valid keys: fs.read, fs.write.');
  });
});
