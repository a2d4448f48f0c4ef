/** resolveOptions: the documented defaults, and refusals that say what to write. */
import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.ts';

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveOptions({ root: '/app' });
    expect(resolved).toEqual({ entries: new Map(), arches: ['x86_64', 'aarch64'], onViolation: 'kill', strict: false, manifest: true, root: '/app' });
    expect(resolveOptions().root).toBe(process.cwd());
  });

  it('makes entries absolute against the root', () => {
    expect([...resolveOptions({ root: '/app', entries: { 'src/cli.ts': { dns: true }, '/abs/x.js': {} } }).entries.keys()]).toEqual(['/app/src/cli.ts', '/abs/x.js']);
  });

  it('refuses unknown architectures, an empty list, and a bad onViolation', () => {
    expect(() => resolveOptions({ arches: ['riscv64' as never] })).toThrow('@syscage/plugin: `arches` lists "riscv64", which syscage cannot compile for. Supported: x86_64, aarch64.');
    expect(() => resolveOptions({ arches: [] })).toThrow('@syscage/plugin: `arches` lists no architecture. Leave it out for x86_64 and aarch64, or list some.');
    expect(() => resolveOptions({ onViolation: 'die' as never })).toThrow("@syscage/plugin: `onViolation` is 'kill' or 'errno'; got \"die\". Write `onViolation: 'kill'` (SIGSYS) or `onViolation: 'errno'` (EPERM).");
  });
});
