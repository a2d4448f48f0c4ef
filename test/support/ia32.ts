/**
 * Whether the kernel runs i386 system calls (`int $0x80`) made by an x86_64 process, the entry
 * the tests use to prove the filter's arch check. Found by running `ia32-probe.c` unfiltered, not
 * by reading the kernel's configuration: a kernel built with IA32 emulation may have it switched
 * off at boot (`ia32_emulation=0`). Without it `int $0x80` faults (SIGSEGV) with or without a
 * filter, so the tests that make i386 calls skip, saying so; the simulator rows and the x32 rows
 * keep proving the arch check there.
 *
 * `SYSCAGE_TEST_ASSUME_NO_IA32=1` takes the no-IA32 path on any kernel, so that path can be run
 * where the kernel has the emulation. This module judges no test and installs no filter.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Whether i386 calls reach the kernel here; if not, why (the reason a skipped test shows). */
export type Ia32Emulation = { ok: true } | { ok: false; reason: string };

/** The words every skip for this reason starts with. */
export const NO_IA32 = 'no IA32 emulation on this kernel';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const source = join(here, 'ia32-probe.c');
const gccFlags = ['-O2', '-Wall', '-Wextra', '-std=gnu11'];

let probed: Promise<Ia32Emulation> | undefined;

/**
 * What the tests go by: `{ ok: false }` when `SYSCAGE_TEST_ASSUME_NO_IA32=1`, else the probe's
 * answer (`probeIa32Emulation`).
 *
 * @example
 * const ia32 = await detectIa32Emulation();
 * it.skipIf(!ia32.ok)(`int $0x80 is killed${ia32.ok ? '' : ` (skipped: ${ia32.reason})`}`, ...);
 */
export function detectIa32Emulation(): Promise<Ia32Emulation> {
  if (process.env.SYSCAGE_TEST_ASSUME_NO_IA32 === '1') {
    return Promise.resolve({ ok: false, reason: `${NO_IA32} (assumed: SYSCAGE_TEST_ASSUME_NO_IA32=1)` });
  }
  return probeIa32Emulation();
}

/**
 * Runs the probe (once per process), whatever the environment says. Resolves `{ ok: false }` when
 * `int $0x80` faults, or when the probe cannot be built or run here (not x86_64 Linux, no gcc),
 * with the reason; rejects when the probe ends any other way, which no kernel should do.
 */
export function probeIa32Emulation(): Promise<Ia32Emulation> {
  probed ??= probe();
  return probed;
}

async function probe(): Promise<Ia32Emulation> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { ok: false, reason: `int $0x80 is an x86_64 entry; this is ${process.platform}-${process.arch}` };
  }
  if (spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status !== 0) {
    return { ok: false, reason: 'cannot tell whether the kernel has IA32 emulation: no working gcc on the PATH' };
  }
  const binary = await buildProbe();
  const run = spawnSync(binary, [], { encoding: 'utf8', timeout: 10_000 });
  if (run.signal === 'SIGSEGV') return { ok: false, reason: `${NO_IA32}: int $0x80 faults (SIGSEGV) unfiltered` };
  if (run.status === 0 && run.stdout === 'ia32 ok\n') return { ok: true };
  const how = run.error?.message ?? (run.signal ? `died of ${run.signal}` : `exited ${run.status}: ${run.stdout.trim()}`);
  throw new Error(`test/support/ia32-probe.c ${how}; only "ia32 ok" or SIGSEGV was expected.`);
}

/** Compiles the probe once per source hash, under `<repo>/.cache/ia32-probe/`. */
async function buildProbe(): Promise<string> {
  const hash = createHash('sha256').update(gccFlags.join(' ')).update('\0').update(await readFile(source));
  const dir = join(repoRoot, '.cache', 'ia32-probe');
  const binary = join(dir, `ia32-probe-${hash.digest('hex').slice(0, 16)}`);
  if (await stat(binary).then(() => true, () => false)) return binary;
  await mkdir(dir, { recursive: true });
  // Build under a unique name, then rename: parallel test workers may build at the same time.
  const partial = `${binary}.${process.pid}.tmp`;
  await new Promise<void>((done, fail) =>
    execFile('gcc', [...gccFlags, '-o', partial, source], (error, _stdout, stderr) =>
      error ? fail(new Error(`gcc could not build ${source}:\n${stderr}`, { cause: error })) : done(),
    ),
  );
  await rename(partial, binary);
  return binary;
}
