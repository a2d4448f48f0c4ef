import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXTURE_POLICIES, type FixturePolicyName } from '../../test/fixtures/policies.ts';
import { SIM_ROWS } from '../../test/fixtures/sim-rows.ts';
import { getArch, syscallNumber } from '../arch/index.ts';
import type { ArchName } from '../arch/types.ts';
import { ALLOW, ERRNO, KILL_PROCESS, describeReturn, encodeAction } from '../policy/action.ts';
import { createPolicy } from '../policy/create-policy.ts';
import { evaluatePolicy } from '../policy/evaluate.ts';
import { analyzeCache } from './cache.ts';
import { compilePolicy, type Layout } from './compile.ts';
import { disassemble } from './disasm.ts';
import { BPF_MAXINSNS } from './opcodes.ts';
import { simulate } from './simulate.ts';

const AUDIT_ARCH_I386 = 0x40000003;
const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '../../test/golden');
const policy = (name: FixturePolicyName) => createPolicy(FIXTURE_POLICIES[name]);

describe.each<Layout>(['tree', 'linear'])('simulator rows (%s layout)', (layout) => {
  it.each(SIM_ROWS.map((row) => [`${row.policy} ${row.arch}${row.i386 ? '@i386' : ''} ${row.syscall} ${row.args.map((a) => `0x${a.toString(16)}`).join(',')} → ${row.expected}`, row] as const))(
    '%s',
    (_, row) => {
      const arch = getArch(row.arch);
      const nr = typeof row.syscall === 'number' ? row.syscall : syscallNumber(row.arch, row.syscall);
      expect(nr, `${row.syscall} has a number on ${row.arch}`).toBeTypeOf('number');
      const data = { nr: nr ?? -1, arch: row.i386 ? AUDIT_ARCH_I386 : arch.auditArch, args: row.args };
      const compiled = compilePolicy(policy(row.policy), row.arch, { layout });
      expect(describeReturn(simulate(compiled.instructions, data).action)).toBe(row.expected);
      expect(describeReturn(encodeAction(evaluatePolicy(policy(row.policy), arch, data)))).toBe(row.expected);
    },
  );
});

describe('golden disassembly', () => {
  const names = Object.keys(FIXTURE_POLICIES) as FixturePolicyName[];
  it.each(names.flatMap((name) => (['x86_64', 'aarch64'] as const).map((arch) => [name, arch] as const)))('%s on %s', (name, arch) => {
    const text = `${disassemble(compilePolicy(policy(name), arch).instructions, getArch(arch))}\n`;
    const file = join(GOLDEN, arch, `${name}.txt`);
    if (process.env['UPDATE_GOLDEN'] === '1') {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    expect(text, `golden ${arch}/${name}.txt differs; review, then rerun with UPDATE_GOLDEN=1`).toBe(readFileSync(file, 'utf8'));
  });
});

describe('compilePolicy', () => {
  it('is deterministic: the same policy gives byte-identical output', () => {
    const a = compilePolicy(policy('conditions'), 'x86_64').bytes;
    const b = compilePolicy(createPolicy(FIXTURE_POLICIES.conditions), 'x86_64').bytes;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('checks the arch first, then x32, and kills on either', () => {
    const { instructions } = compilePolicy(policy('basic'), 'x86_64');
    expect(disassemble(instructions.slice(0, 4), getArch('x86_64')).split('\n').map((l) => l.replace(/goto \d+/g, 'goto _'))).toEqual([
      '0000  A = arch',
      '0001  if (arch == AUDIT_ARCH_X86_64) goto _ else goto _',
      '0002  A = nr',
      '0003  if (nr >= 0x40000000) goto _ else goto _',
    ]);
  });

  it.each<ArchName>(['x86_64', 'aarch64'])('lets the kernel cache every unconditioned ALLOW and nothing else (%s)', (arch) => {
    const p = policy('conditions');
    const report = analyzeCache(compilePolicy(p, arch).instructions, getArch(arch));
    expect(report.cached).toEqual(['getppid']);
    const wide = createPolicy({
      defaultAction: ERRNO(1),
      rules: Object.keys(getArch(arch).syscalls).filter((_, i) => i % 3 === 0).map((syscall) => ({ syscall, action: ALLOW })),
    });
    const allowed = wide.rules.map((r) => r.syscall).sort();
    expect([...analyzeCache(compilePolicy(wide, arch).instructions, getArch(arch)).cached].sort()).toEqual(allowed);
  });

  it('refuses a filter over BPF_MAXINSNS with FILTER_TOO_LARGE, and compiles one just under it', () => {
    const ioctl = (count: number) =>
      createPolicy({
        defaultAction: KILL_PROCESS,
        rules: [{ syscall: 'ioctl', when: [{ arg: 1, width: 32, op: 'in', values: Array.from({ length: count }, (_, i) => 0x1000 + i) }], action: ALLOW }],
      });
    const fits = compilePolicy(ioctl(4000), 'x86_64');
    expect(fits.instructions.length).toBeLessThanOrEqual(BPF_MAXINSNS);
    expect(fits.instructions.length).toBeGreaterThan(4000);
    const x86 = getArch('x86_64');
    const ioctlNr = x86.syscalls['ioctl'] ?? -1;
    for (const value of [0x1000n, 0x1000n + 3999n, 0x1000n + 4000n, 0xfffn]) {
      const data = { nr: ioctlNr, arch: x86.auditArch, args: [0n, value] };
      expect(simulate(fits.instructions, data).action).toBe(encodeAction(evaluatePolicy(ioctl(4000), x86, data)));
    }
    expect(() => compilePolicy(ioctl(4100), 'x86_64')).toThrowError(
      'The filter needs 4136 BPF instructions; the kernel accepts at most 4096. Declare fewer capabilities, or fewer argument conditions, in this sandbox.',
    );
  });
});
