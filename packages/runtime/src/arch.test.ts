import { describe, expect, it } from 'vitest';
// Test-only: the shipped runtime never imports core's tables.
import { ARCHES, archFromNodeArch } from '@syscage/core';
import { findLoaderArch, LOADER_ARCH_NAMES } from './arch.ts';

describe('loader arch facts', () => {
  it.each(['x64', 'arm64'])('match core for %s', (nodeArch) => {
    const arch = findLoaderArch(nodeArch);
    const name = archFromNodeArch(nodeArch);
    expect(arch?.name).toBe(name);
    const table = name && ARCHES[name].syscalls;
    expect(arch?.nrSeccomp).toBe(table && table['seccomp']);
    expect(arch?.nrFcntl).toBe(table && table['fcntl']);
    expect(arch?.nrExecve).toBe(table && table['execve']);
    expect(arch?.nrLandlockCreateRuleset).toBe(table && table['landlock_create_ruleset']);
    expect(arch?.nrCapset).toBe(table && table['capset']);
    expect(arch?.nrIoctl).toBe(table && table['ioctl']);
    expect(table && table['landlock_add_rule']).toBe((arch?.nrLandlockCreateRuleset ?? 0) + 1);
    expect(table && table['landlock_restrict_self']).toBe((arch?.nrLandlockCreateRuleset ?? 0) + 2);
  });

  it('cover the architectures core supports, and nothing else', () => {
    expect([...LOADER_ARCH_NAMES].sort()).toEqual(Object.keys(ARCHES).sort());
    expect(findLoaderArch('ia32')).toBeUndefined();
  });
});
