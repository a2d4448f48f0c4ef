// Which Landlock plans the runtime applies (what `{program}` stands for is core's: landlock/placeholders.test.ts);
// the kernel side runs in child processes (test/landlock.test.ts, test/sandbox.test.ts, test/escapes).
import { resolve } from 'node:path';
import { planLandlock, resolveCapabilities } from '@syscage/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNormalAbsolute, missingRights, restrictsAnything } from './landlock.ts';

const plan = (declaration: object) => planLandlock(resolveCapabilities(declaration));

describe('every declaration gets a Landlock domain', () => {
  it.each([
    ['a read-only CLI', { fs: { read: true } }],
    ['fs: true', { fs: true }],
    ['everything', { fs: true, net: true, dns: true, spawn: true, worker: true, tty: true, signal: true }],
  ])('%s restricts something on every Landlock ABI (ptrace scoping comes with the domain)', (_, declaration) => {
    for (const abi of [1, 5, 6, 7, 8]) expect(restrictsAnything(plan(declaration), abi)).toBe(true);
  });

  it('a kernel without Landlock lacks what every declaration requires', () => {
    expect(missingRights(plan({ fs: true, net: true, spawn: true, signal: true }), 0).map((r) => r.right)).toEqual(['read_file', 'read_dir', 'make_char']);
    expect(missingRights(plan({ fs: true }), 1)).toEqual([]);
  });
});

describe('paths taken as they are', () => {
  it('only those path.resolve would return unchanged', () => {
    const segment = fc.constantFrom('', '.', '..', 'a', 'etc', 'ssl', '.env', '..a', 'b.', '{x}');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), fc.boolean(), (segments, absolute) => {
        const path = `${absolute ? '/' : ''}${segments.join('/')}`;
        if (isNormalAbsolute(path)) expect(resolve('/somewhere', path)).toBe(path);
      }),
    );
    for (const path of ['/', '/etc/ssl/certs', '/proc/self']) expect(isNormalAbsolute(path)).toBe(true);
    for (const path of ['etc', '/etc/', '/etc//ssl', '/etc/./ssl', '/etc/../x', '/etc/.', '/etc/..', './data']) expect(isNormalAbsolute(path)).toBe(false);
  });
});
