/**
 * The kernel agrees with the simulator: every x86_64 simulator row (core's fixture rows) is
 * replayed for real, each in a freshly forked child that installs the compiled filter, and the
 * outcome must be what the simulated action means. Allowed rows are compared with the same call
 * under an allow-all filter, since an allowed call's own result is the kernel's business.
 * The i386 rows (`int $0x80`) run apart, and only where the kernel has IA32 emulation: without it
 * the instruction faults whatever the filter says; the x32 rows prove the arch check there.
 */

import { describe, expect, it } from 'vitest';
import { compilePolicy, createPolicy, encodeProgram, getArch, simulate, syscallNumber, SECCOMP_RET_ALLOW } from '@syscage/core';
import { FIXTURE_POLICIES, type FixturePolicyName } from '../../packages/core/test/fixtures/policies.ts';
import { SIM_ROWS, type SimRow } from '../../packages/core/test/fixtures/sim-rows.ts';
import { detectIa32Emulation } from '../support/ia32.ts';
import { probeAvailable, runInKernel, type KernelOutcome, type KernelRow } from './harness.ts';

const AUDIT_ARCH_I386 = 0x40000003;
const x86 = getArch('x86_64');
const availability = probeAvailable();
const ia32 = await detectIa32Emulation();
const allowAll = encodeProgram([{ code: 0x06, jt: 0, jf: 0, k: SECCOMP_RET_ALLOW }]);

function kernelRow(row: SimRow): KernelRow {
  const nr = typeof row.syscall === 'number' ? row.syscall : (syscallNumber('x86_64', row.syscall) ?? -1);
  return row.i386 ? { nr, args: row.args.map((a) => a & 0xffffffffn), entry: 'int80' } : { nr, args: row.args };
}

/** What the kernel should do, given the simulator's answer and the call's own result when allowed. */
function expectedOutcome(action: number, unfiltered: KernelOutcome): KernelOutcome {
  const kind = (action & 0xffff0000) >>> 0;
  const data = action & 0xffff;
  if (kind === 0x80000000 || kind === 0) return { kind: 'killed', signal: 'SIGSYS' };
  if (kind === 0x00030000) return { kind: 'trap' };
  if (kind === 0x00050000) return data === 0 ? { kind: 'returned', value: 0n } : { kind: 'errno', errno: data };
  return unfiltered;
}

/** Replays `rows` (one policy's) under its compiled filter and returns the rows where the kernel and the simulator disagree. */
async function disagreements(name: FixturePolicyName, rows: readonly SimRow[]): Promise<unknown[]> {
  const filter = compilePolicy(createPolicy(FIXTURE_POLICIES[name]), 'x86_64');
  const kernelRows = rows.map(kernelRow);
  const [filtered, unfiltered] = await Promise.all([runInKernel(filter.bytes, kernelRows), runInKernel(allowAll, kernelRows)]);
  const report = rows.map((row, i) => {
    const k = kernelRows[i] as KernelRow;
    const data = { nr: k.nr, arch: row.i386 ? AUDIT_ARCH_I386 : x86.auditArch, args: k.args ?? [] };
    const plain = unfiltered[i] as KernelOutcome;
    const normal = plain.kind === 'returned' && plain.value === BigInt(unfiltered.probePid) ? { kind: 'returned' as const, value: BigInt(filtered.probePid) } : plain;
    return { line: row.line, row: `${row.syscall} ${row.args.join(',')}`, kernel: filtered[i], simulator: expectedOutcome(simulate(filter.instructions, data).action, normal) };
  });
  expect(report.length).toBe(rows.length);
  return report.filter((r) => JSON.stringify(r.kernel, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) !== JSON.stringify(r.simulator, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
}

describe.skipIf(!availability.ok)('compiled filters in the real kernel (x86_64)', () => {
  const x86Rows = SIM_ROWS.filter((r) => r.arch === 'x86_64');
  const policies = [...new Set(x86Rows.map((r) => r.policy))];
  it.each(policies)('%s: every native row does in the kernel what the simulator says', async (name: FixturePolicyName) => {
    const rows = x86Rows.filter((r) => r.policy === name && !r.i386);
    expect(await disagreements(name, rows)).toEqual([]);
  });

  const i386Policies = [...new Set(x86Rows.filter((r) => r.i386).map((r) => r.policy))];
  const ia32Note = ia32.ok ? '' : ` (skipped: ${ia32.reason})`;
  it.skipIf(!ia32.ok).each(i386Policies)(`%s: every i386 row (int $0x80) does in the kernel what the simulator says${ia32Note}`, async (name: FixturePolicyName) => {
    const rows = x86Rows.filter((r) => r.policy === name && r.i386);
    expect(rows.length).toBeGreaterThan(0);
    expect(await disagreements(name, rows)).toEqual([]);
  });
});
