import { describe, expect, it } from 'vitest';
// Relative until @syscage/core has an entry point; test-only, the shipped runtime never imports core's tables.
import { ARCHES, archFromNodeArch } from '@syscage/core';
import { findLoaderArch, LOADER_ARCH_NAMES } from './arch.ts';

describe('loader arch facts', () => {
  it.each(['x64', 'arm64'])('match core for %s', (nodeArch) => {
    const arch = findLoaderArch(nodeArch);
    const name = archFromNodeArch(nodeArch);
    expect(arch?.name).toBe(name);
    expect(arch?.nrSeccomp).toBe(name && ARCHES[name].syscalls['seccomp']);
  });

  it('cover the architectures core supports, and nothing else', () => {
    expect([...LOADER_ARCH_NAMES].sort()).toEqual(Object.keys(ARCHES).sort());
    expect(findLoaderArch('ia32')).toBeUndefined();
  });
});
