/**
 * Proves the kernel harness itself with tiny hand-assembled filters, so that a later disagreement
 * between the simulator and the kernel points at the compiler or the simulator, not at the probe.
 * The encoder here knows three instructions only, on purpose: it must not share code with core.
 */
import { describe, expect, it } from 'vitest';
import { detectIa32Emulation } from '../support/ia32.ts';
import { probeAvailable, runInKernel, type KernelRow } from './harness.ts';

const BPF_LD_W_ABS = 0x00 | 0x00 | 0x20;
const BPF_JMP_JEQ_K = 0x05 | 0x10 | 0x00;
const BPF_RET_K = 0x06 | 0x00;

const SECCOMP_RET_KILL_PROCESS = 0x8000_0000;
const SECCOMP_RET_TRAP = 0x0003_0000;
const SECCOMP_RET_ERRNO = 0x0005_0000;
const SECCOMP_RET_ALLOW = 0x7fff_0000;
const AUDIT_ARCH_X86_64 = 0xc000_003e;

/** Offsets in `struct seccomp_data` (x86_64 is little-endian: an argument's low word comes first). */
const NR = 0;
const ARCH = 4;
const argLow = (i: number) => 16 + 8 * i;
const argHigh = (i: number) => 20 + 8 * i;

type Insn = readonly [code: number, jt: number, jf: number, k: number];
const ld = (offset: number): Insn => [BPF_LD_W_ABS, 0, 0, offset];
const jeq = (k: number, jt: number, jf: number): Insn => [BPF_JMP_JEQ_K, jt, jf, k];
const ret = (k: number): Insn => [BPF_RET_K, 0, 0, k];

function assemble(...program: Insn[]): Uint8Array {
  const bytes = new Uint8Array(program.length * 8);
  const view = new DataView(bytes.buffer);
  program.forEach(([code, jt, jf, k], i) => {
    view.setUint16(i * 8, code, true);
    view.setUint8(i * 8 + 2, jt);
    view.setUint8(i * 8 + 3, jf);
    view.setUint32(i * 8 + 4, k >>> 0, true);
  });
  return bytes;
}

/** x86_64 numbers, plus the i386 getppid for the `int $0x80` entry. */
const x86_64 = { close: 3, getpid: 39, getppid: 110 } as const;
const i386 = { getppid: 64 } as const;
const EBADF = 9;

const available = probeAvailable();
/** The int80 rows need IA32 emulation; without it `int $0x80` faults whatever the filter says. */
const ia32 = await detectIa32Emulation();
const ia32Note = ia32.ok ? '' : ` (skipped: ${ia32.reason})`;

const title = available.ok ? 'runInKernel' : `runInKernel (skipped: ${available.reason})`;

describe.skipIf(!available.ok)(title, () => {
  it('lets getppid return the probe pid under ret ALLOW, and getpid its own pid', async () => {
    const outcomes = await runInKernel(assemble(ret(SECCOMP_RET_ALLOW)), [
      { nr: x86_64.getppid },
      { nr: x86_64.getpid },
    ]);
    expect(outcomes[0]).toEqual({ kind: 'returned', value: BigInt(outcomes.probePid) });
    expect(outcomes[1]).toMatchObject({ kind: 'returned' });
    const childPid = outcomes[1]?.kind === 'returned' ? outcomes[1].value : 0n;
    expect(childPid).toBeGreaterThan(0n);
    expect(childPid).not.toBe(BigInt(outcomes.probePid));
  });

  it('reports the errno of ret ERRNO(77)', async () => {
    const outcomes = await runInKernel(assemble(ret(SECCOMP_RET_ERRNO | 77)), [{ nr: x86_64.getppid }]);
    expect(outcomes).toEqual([{ kind: 'errno', errno: 77 }]);
  });

  it('reports ret KILL_PROCESS as killed by SIGSYS', async () => {
    const outcomes = await runInKernel(assemble(ret(SECCOMP_RET_KILL_PROCESS)), [{ nr: x86_64.getppid }]);
    expect(outcomes).toEqual([{ kind: 'killed', signal: 'SIGSYS' }]);
  });

  it('tells ret TRAP apart from a kill', async () => {
    const outcomes = await runInKernel(assemble(ret(SECCOMP_RET_TRAP)), [{ nr: x86_64.getppid }]);
    expect(outcomes).toEqual([{ kind: 'trap' }]);
  });

  it('runs every row in its own child: a filter on nr kills getppid only', async () => {
    const killGetppid = assemble(
      ld(NR),
      jeq(x86_64.getppid, 0, 1),
      ret(SECCOMP_RET_KILL_PROCESS),
      ret(SECCOMP_RET_ALLOW),
    );
    const outcomes = await runInKernel(killGetppid, [{ nr: x86_64.getppid }, { nr: x86_64.getpid }]);
    expect(outcomes[0]).toEqual({ kind: 'killed', signal: 'SIGSYS' });
    expect(outcomes[1]).toMatchObject({ kind: 'returned' });
  });

  it.skipIf(!ia32.ok)(`reaches the kernel through int $0x80${ia32Note}`, async () => {
    const outcomes = await runInKernel(assemble(ret(SECCOMP_RET_ALLOW)), [
      { nr: i386.getppid, entry: 'int80' },
    ]);
    expect(outcomes[0]).toEqual({ kind: 'returned', value: BigInt(outcomes.probePid) });
  });

  it('shows the filter the native entry as AUDIT_ARCH_X86_64, on any kernel', async () => {
    const killOnX86_64 = assemble(
      ld(ARCH),
      jeq(AUDIT_ARCH_X86_64, 0, 1),
      ret(SECCOMP_RET_KILL_PROCESS),
      ret(SECCOMP_RET_ALLOW),
    );
    const allowOnX86_64Only = assemble(
      ld(ARCH),
      jeq(AUDIT_ARCH_X86_64, 0, 1),
      ret(SECCOMP_RET_ALLOW),
      ret(SECCOMP_RET_KILL_PROCESS),
    );
    const [killed, allowed] = await Promise.all([
      runInKernel(killOnX86_64, [{ nr: x86_64.getppid }]),
      runInKernel(allowOnX86_64Only, [{ nr: x86_64.getppid }]),
    ]);
    expect(killed).toEqual([{ kind: 'killed', signal: 'SIGSYS' }]);
    expect(allowed).toEqual([{ kind: 'returned', value: BigInt(allowed.probePid) }]);
  });

  it.skipIf(!ia32.ok)(`proves the arch check: an int80 row is killed, a native row allowed${ia32Note}`, async () => {
    const archCheck = assemble(
      ld(ARCH),
      jeq(AUDIT_ARCH_X86_64, 0, 1),
      ret(SECCOMP_RET_ALLOW),
      ret(SECCOMP_RET_KILL_PROCESS),
    );
    const outcomes = await runInKernel(archCheck, [
      { nr: i386.getppid, entry: 'int80' },
      { nr: x86_64.getppid },
    ]);
    expect(outcomes[0]).toEqual({ kind: 'killed', signal: 'SIGSYS' });
    expect(outcomes[1]).toEqual({ kind: 'returned', value: BigInt(outcomes.probePid) });
  });

  it('passes both 32-bit halves of a 64-bit argument', async () => {
    const match = 0x1234_5678_9abc_def0n;
    const errnoOnMatch = assemble(
      ld(argHigh(0)),
      jeq(0x1234_5678, 0, 3),
      ld(argLow(0)),
      jeq(0x9abc_def0, 0, 1),
      ret(SECCOMP_RET_ERRNO | 55),
      ret(SECCOMP_RET_ALLOW),
    );
    const rows: KernelRow[] = [
      { nr: x86_64.close, args: [match] },
      { nr: x86_64.close, args: [match & 0xffff_ffffn] },
      { nr: x86_64.close, args: [match ^ 1n] },
    ];
    const outcomes = await runInKernel(errnoOnMatch, rows);
    expect(outcomes).toEqual([
      { kind: 'errno', errno: 55 },
      { kind: 'errno', errno: EBADF },
      { kind: 'errno', errno: EBADF },
    ]);
  });

  it('rejects with errno 22 when the kernel refuses the filter', async () => {
    const loadPastSeccompData = assemble(ld(1024), ret(SECCOMP_RET_ALLOW));
    await expect(runInKernel(loadPastSeccompData, [{ nr: x86_64.getppid }])).rejects.toThrow(
      /failed with errno 22 /,
    );
  });

  it('refuses malformed input before starting the probe', async () => {
    await expect(runInKernel(new Uint8Array(12), [])).rejects.toThrow(
      'A filter is 1..4096 instructions of 8 bytes; got 12 bytes.',
    );
    const allow = assemble(ret(SECCOMP_RET_ALLOW));
    await expect(runInKernel(allow, [{ nr: 0, args: [0n, 0n, 0n, 0n, 0n, 0n, 0n] }])).rejects.toThrow(
      'Row 0: at most 6 arguments, got 7.',
    );
  });
});
