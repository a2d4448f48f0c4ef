/**
 * The IA32 probe (test/support/ia32.ts) decides which tests skip, so it is checked against the
 * kernel harness itself: whatever this kernel is, an `int $0x80` row under an allow-all filter must
 * do what the probe said (return, or fault with SIGSEGV). And the variable that forces the
 * no-IA32 path must force it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NO_IA32, detectIa32Emulation, probeIa32Emulation } from '../support/ia32.ts';
import { probeAvailable, runInKernel } from './harness.ts';

const available = probeAvailable();
const SECCOMP_RET_ALLOW = [0x06, 0, 0, 0, 0x00, 0x00, 0xff, 0x7f];
const I386_GETPPID = 64;
const assumed = process.env.SYSCAGE_TEST_ASSUME_NO_IA32;

describe.skipIf(!available.ok)('IA32 emulation probe', () => {
  afterEach(() => {
    if (assumed === undefined) delete process.env.SYSCAGE_TEST_ASSUME_NO_IA32;
    else process.env.SYSCAGE_TEST_ASSUME_NO_IA32 = assumed;
  });

  it('agrees with the kernel: an int $0x80 row returns where it says yes, faults where it says no', async () => {
    const probed = await probeIa32Emulation();
    const outcomes = await runInKernel(new Uint8Array(SECCOMP_RET_ALLOW), [{ nr: I386_GETPPID, entry: 'int80' }]);
    const expected = probed.ok ? { kind: 'returned', value: BigInt(outcomes.probePid) } : { kind: 'killed', signal: 'SIGSEGV' };
    expect(outcomes[0]).toEqual(expected);
    if (!probed.ok) expect(probed.reason).toBe(`${NO_IA32}: int $0x80 faults (SIGSEGV) unfiltered`);
  });

  it('takes the no-IA32 path on any kernel with SYSCAGE_TEST_ASSUME_NO_IA32=1, and only then', async () => {
    process.env.SYSCAGE_TEST_ASSUME_NO_IA32 = '1';
    expect(await detectIa32Emulation()).toEqual({ ok: false, reason: `${NO_IA32} (assumed: SYSCAGE_TEST_ASSUME_NO_IA32=1)` });
    delete process.env.SYSCAGE_TEST_ASSUME_NO_IA32;
    expect(await detectIa32Emulation()).toEqual(await probeIa32Emulation());
  });
});
