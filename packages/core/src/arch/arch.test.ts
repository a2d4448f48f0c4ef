import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isSyscageError } from '../errors.ts';
import {
  ARCHES,
  SUPPORTED_ARCHES,
  archFromNodeArch,
  getArch,
  isKnownSyscall,
  syscallName,
  syscallNumber,
} from './index.ts';
import type { ArchName } from './types.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
/**
 * libseccomp's table, generated from Linux 7.1: newer than our headers, so it may have more names.
 * Vendored, with its provenance, in test/fixtures/README.md.
 */
const REFERENCE_CSV = path.join(REPO_ROOT, 'packages/core/test/fixtures/libseccomp-syscalls.csv');
const GENERATOR = path.join(REPO_ROOT, 'scripts/gen-syscall-tables.mjs');

/** Reads `name,x86_64,aarch64` rows; an empty cell means the syscall does not exist on that arch. */
function readReference(): Record<ArchName, Map<string, number>> {
  const [header, ...rows] = readFileSync(REFERENCE_CSV, 'utf8').trim().split('\n');
  expect(header).toBe('name,x86_64,aarch64');
  const reference = { x86_64: new Map<string, number>(), aarch64: new Map<string, number>() };
  for (const row of rows) {
    const [name = '', x86 = '', arm = ''] = row.split(',');
    if (x86 !== '') reference.x86_64.set(name, Number(x86));
    if (arm !== '') reference.aarch64.set(name, Number(arm));
  }
  return reference;
}

describe('generated tables against libseccomp (Linux 7.1)', () => {
  const reference = readReference();
  const minimumCompared: Record<ArchName, number> = { x86_64: 300, aarch64: 250 };

  it.each(SUPPORTED_ARCHES)('%s: every shared name has the same number, and none is ours alone', (arch) => {
    const table = ARCHES[arch].syscalls;
    const expected = reference[arch];
    const shared = Object.keys(table).filter((name) => expected.has(name));
    const mismatched = shared.filter((name) => table[name] !== expected.get(name));
    const oursAlone = Object.keys(table).filter((name) => !expected.has(name));
    console.info(`${arch}: ${shared.length} names cross-checked, ${Object.keys(table).length} in our table`);
    expect(mismatched).toEqual([]);
    // A name the newer kernel does not have would be a parsing mistake (or a removed syscall): look.
    expect(oursAlone).toEqual([]);
    expect(shared.length).toBeGreaterThanOrEqual(minimumCompared[arch]);
  });
});

describe('table sanity', () => {
  it.each(SUPPORTED_ARCHES)('%s: numbers are distinct non-negative integers', (arch) => {
    const numbers = Object.values(ARCHES[arch].syscalls);
    expect(numbers.every((nr) => Number.isInteger(nr) && nr >= 0)).toBe(true);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it.each(SUPPORTED_ARCHES)('%s: no non-syscall __NR_ macros slipped in', (arch) => {
    expect(Object.keys(ARCHES[arch].syscalls)).not.toContain('syscalls');
    expect(Object.keys(ARCHES[arch].syscalls)).not.toContain('arch_specific_syscall');
  });

  it('x86_64 has well-known numbers, legacy calls included', () => {
    expect(syscallNumber('x86_64', 'read')).toBe(0);
    expect(syscallNumber('x86_64', 'openat')).toBe(257);
    expect(syscallNumber('x86_64', 'mkdir')).toBe(83);
    expect(syscallNumber('x86_64', 'open')).toBe(2);
  });

  it('aarch64 uses asm-generic numbers, with __NR3264_* and __ARCH_WANT_* resolved', () => {
    expect(syscallNumber('aarch64', 'openat')).toBe(56);
    expect(syscallNumber('aarch64', 'open')).toBeUndefined();
    expect(syscallNumber('aarch64', 'mkdir')).toBeUndefined();
    expect(syscallNumber('aarch64', 'fstat')).toBe(80); // __NR3264_fstat
    expect(syscallNumber('aarch64', 'mmap')).toBe(222); // __NR3264_mmap
    expect(syscallNumber('aarch64', 'renameat')).toBe(38); // __ARCH_WANT_RENAMEAT
    expect(syscallNumber('aarch64', 'clone3')).toBe(435); // __ARCH_WANT_SYS_CLONE3
  });

  it.each(SUPPORTED_ARCHES)('%s: the table names its source', (arch) => {
    expect(ARCHES[arch].tableSource).toMatch(/^Debian linux-libc-dev[\w-]*, Linux \d+\.\d+ uapi headers, <asm\//);
  });
});

describe('descriptors', () => {
  it('carry the audit arches of linux/audit.h and x86_64 alone has a foreign ABI', () => {
    expect(getArch('x86_64')).toMatchObject({ auditArch: 0xc000003e, auditArchName: 'AUDIT_ARCH_X86_64' });
    expect(getArch('x86_64').foreignAbiBit).toBe(0x40000000);
    expect(getArch('aarch64')).toMatchObject({ auditArch: 0xc00000b7, auditArchName: 'AUDIT_ARCH_AARCH64' });
    expect('foreignAbiBit' in getArch('aarch64')).toBe(false);
  });

  it('are listed in SUPPORTED_ARCHES under their own names', () => {
    expect(SUPPORTED_ARCHES).toEqual(['x86_64', 'aarch64']);
    for (const arch of SUPPORTED_ARCHES) expect(ARCHES[arch].name).toBe(arch);
  });
});

describe('getArch errors', () => {
  function messageOf(name: string): string {
    try {
      getArch(name);
    } catch (error) {
      expect(isSyscageError(error, 'UNSUPPORTED_ARCH')).toBe(true);
      return (error as Error).message;
    }
    throw new Error(`getArch('${name}') did not throw`);
  }

  it('lists the supported architectures', () => {
    expect(messageOf('riscv64')).toBe(
      'Unsupported architecture `riscv64`. syscage compiles filters for x86_64, aarch64.',
    );
  });

  it("points from Node's name to the kernel's", () => {
    expect(messageOf('x64')).toBe(
      "Unsupported architecture `x64`. `x64` is Node's name for it; use the kernel's, `x86_64`.",
    );
  });

  it('does not resolve Object.prototype keys', () => {
    expect(messageOf('toString')).toMatch(/^Unsupported architecture `toString`\./);
  });
});

describe('lookups', () => {
  it('maps Node arch names', () => {
    expect(archFromNodeArch('x64')).toBe('x86_64');
    expect(archFromNodeArch('arm64')).toBe('aarch64');
    expect(archFromNodeArch('ia32')).toBeUndefined();
    expect(archFromNodeArch('constructor')).toBeUndefined();
  });

  it.each(SUPPORTED_ARCHES)('%s: syscallName inverts syscallNumber over the whole table', (arch) => {
    for (const [name, nr] of Object.entries(ARCHES[arch].syscalls)) {
      expect(syscallName(arch, nr)).toBe(name);
      expect(syscallNumber(arch, name)).toBe(nr);
    }
    expect(syscallName(arch, 100_000)).toBeUndefined();
    expect(syscallNumber(arch, 'toString')).toBeUndefined();
  });

  it('isKnownSyscall looks in every architecture', () => {
    expect(isKnownSyscall('open')).toBe(true); // x86_64 only
    expect(isKnownSyscall('openat')).toBe(true);
    expect(isKnownSyscall('no_such_syscall')).toBe(false);
    expect(isKnownSyscall('hasOwnProperty')).toBe(false);
  });
});

describe('generator', () => {
  it('--check: committed tables match the installed uapi headers', ({ skip }) => {
    const run = spawnSync(process.execPath, [GENERATOR, '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (run.status === 2) {
      const reason = `SKIPPED: the syscall table generator cannot run on this machine: ${run.stderr.trim()}`;
      console.warn(`\n!!! ${reason}\n`);
      skip(reason);
    }
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
