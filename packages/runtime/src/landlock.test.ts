// Which declarations need Landlock for more than seccomp already stops (below ABI 8 only those
// restart Node 20 to bring every thread into the domain); the kernel side runs in child processes
// (test/landlock.test.ts, test/sandbox.test.ts).
import { planLandlock, resolveCapabilities } from '@syscage/core';
import { describe, expect, it } from 'vitest';
import { enforcesBeyondSeccomp } from './landlock.ts';

const beyond = (declaration: object) => enforcesBeyondSeccomp(planLandlock(resolveCapabilities(declaration)));

describe('enforcesBeyondSeccomp', () => {
  it.each([
    ['nothing declared: reads are limited to the implicit set', {}],
    ['a read list', { fs: { read: ['./data'] } }],
    ['a write list', { fs: { read: true, write: ['./out'] } }],
    ['a spawn list', { fs: { read: true }, spawn: ['/usr/bin/git'] }],
    ['a connect port list', { fs: { read: true }, net: { connect: [443] } }],
    ['a listen port list', { fs: { read: true }, net: { listen: [8080] } }],
    ["spawn: true (a child's stdio may open existing files read-write)", { fs: { read: true }, spawn: true }],
    ['net.unix without fs.write: true (binding creates a socket file)', { fs: { read: true }, net: { unix: true } }],
  ])('is true for %s', (_, declaration) => {
    expect(beyond(declaration)).toBe(true);
  });

  it.each([
    ['a read-only CLI', { fs: { read: true } }],
    ['fs: true', { fs: true }],
    ['fs.write: true (which reads too)', { fs: { write: true } }],
    ['net.connect: true (its port-0 bind is no list)', { fs: { read: true }, net: { connect: true } }],
    ['dns, tty, worker and signal', { fs: { read: true }, dns: true, tty: true, worker: true, signal: true }],
    ['unix sockets with fs: true', { fs: true, net: { unix: true } }],
  ])('is false for %s: seccomp stops all the rest on every thread', (_, declaration) => {
    expect(beyond(declaration)).toBe(false);
  });
});
