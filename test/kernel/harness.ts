/**
 * Kernel test harness: installs a classic seccomp-BPF filter in child processes and reports what
 * the real kernel did for each row (a system call number, its arguments, and the entry used).
 * The work is done by `probe.c`, compiled here with the machine's `gcc` on first use and cached
 * under `<repo>/.cache/kernel-probe/` by a hash of its source; one probe run serves all the rows
 * of a call, and the probe forks one fresh child per row, so rows never see each other's filter.
 *
 * It does not judge outcomes (tests compare them with the simulator or with expectations), it
 * never installs a filter in the calling process, and it does not make rows safe: an allowed row
 * really runs, so callers pass only harmless calls (see `KernelRow`).
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * One system call to make under the filter, in its own freshly forked child.
 *
 * Choose only calls that are harmless when allowed, because they then run for real (as root on
 * the test machine): `getpid`, `getppid`, `close`/`dup`/`fcntl`/`ioctl`/`read`/`lseek` on fd -1,
 * `socket` (the descriptor dies with the child), x32 numbers (`nr | 0x40000000`), unknown numbers.
 * Never pass pointers: the child's address space is not the caller's.
 */
export interface KernelRow {
  /** System call number for the entry used (an i386 number for `int80`). */
  readonly nr: number;
  /** Up to 6 arguments, taken modulo 2^64 (`-1n` is `0xffffffffffffffff`); missing ones are 0. */
  readonly args?: readonly bigint[];
  /**
   * `syscall` (default): the native x86_64 entry. `int80`: the i386 `int $0x80` entry on x86_64,
   * which the kernel reports to the filter as `AUDIT_ARCH_I386`; arguments are cut to 32 bits.
   */
  readonly entry?: 'syscall' | 'int80';
}

/**
 * What the kernel did with one row. `killed` is a signal name such as `SIGSYS` (what
 * `SECCOMP_RET_KILL_PROCESS` and `SECCOMP_RET_KILL_THREAD` give a single-threaded child);
 * `trap` is a seccomp SIGSYS delivered to the child's handler (`SECCOMP_RET_TRAP`); `errno` is a
 * failed call (from `SECCOMP_RET_ERRNO` or from the call itself); `returned` is the call's value.
 */
export type KernelOutcome =
  | { kind: 'killed'; signal: string }
  | { kind: 'trap' }
  | { kind: 'errno'; errno: number }
  | { kind: 'returned'; value: bigint };

/** The outcomes of one `runInKernel` call, in row order, plus the probe's pid. */
export type KernelOutcomes = KernelOutcome[] & {
  /** Pid of the probe process: every row's child is its child, so an allowed `getppid` returns it. */
  readonly probePid: number;
};

/** Options of `runInKernel`. */
export interface RunOptions {
  /** Kill the probe and reject after this many milliseconds (default 30 000). */
  readonly timeoutMs?: number;
}

/** Whether the probe can run on this machine, and if not, why. */
export type ProbeAvailability = { ok: true } | { ok: false; reason: string };

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const probeSource = join(here, 'probe.c');
const gccFlags = ['-O2', '-Wall', '-Wextra', '-std=gnu11'];
const execFileAsync = promisify(execFile);

/**
 * Says whether `runInKernel` can work here: Linux on x86_64 with a `gcc` on the PATH.
 *
 * @example
 * const available = probeAvailable();
 * describe.skipIf(!available.ok)('kernel', () => { ... });
 */
export function probeAvailable(): ProbeAvailability {
  if (process.platform !== 'linux') {
    return { ok: false, reason: `the kernel tests need Linux; this is ${process.platform}` };
  }
  if (process.arch !== 'x64') {
    return { ok: false, reason: `the kernel probe supports x86_64 only; this is ${process.arch}` };
  }
  const gcc = spawnSync('gcc', ['--version'], { stdio: 'ignore' });
  if (gcc.error !== undefined || gcc.status !== 0) {
    return { ok: false, reason: 'no working `gcc` on the PATH; install gcc to build test/kernel/probe.c' };
  }
  return { ok: true };
}

let probeBinary: Promise<string> | undefined;

/** Compiles `probe.c` once per process (and once per source hash across processes). */
function ensureProbe(): Promise<string> {
  probeBinary ??= buildProbe();
  probeBinary.catch(() => {
    probeBinary = undefined;
  });
  return probeBinary;
}

async function buildProbe(): Promise<string> {
  const available = probeAvailable();
  if (!available.ok) throw new Error(`Cannot run the kernel probe: ${available.reason}.`);
  const source = await readFile(probeSource);
  const hash = createHash('sha256').update(gccFlags.join(' ')).update('\0').update(source);
  const dir = join(repoRoot, '.cache', 'kernel-probe');
  const binary = join(dir, `probe-${hash.digest('hex').slice(0, 16)}`);
  if (await exists(binary)) return binary;
  await mkdir(dir, { recursive: true });
  // Build under a unique name, then rename: parallel test workers may build at the same time.
  const partial = `${binary}.${process.pid}.tmp`;
  try {
    await execFileAsync('gcc', [...gccFlags, '-o', partial, probeSource]);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`gcc could not build ${probeSource}:\n${stderr}`, { cause: error });
  }
  await rename(partial, binary);
  return binary;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Formats rows in the probe's input syntax (documented at the top of `probe.c`). */
function formatRows(rows: readonly KernelRow[]): string {
  return rows
    .map((row, index) => {
      if (!Number.isInteger(row.nr) || row.nr < 0 || row.nr > 0xffffffff) {
        throw new RangeError(`Row ${index}: nr must be an integer in 0..0xffffffff, got ${row.nr}.`);
      }
      const args = row.args ?? [];
      if (args.length > 6) throw new RangeError(`Row ${index}: at most 6 arguments, got ${args.length}.`);
      const words = args.map((arg) => `0x${BigInt.asUintN(64, arg).toString(16)}`);
      return [row.entry ?? 'syscall', String(row.nr), ...words].join(' ');
    })
    .join('\n')
    .concat('\n');
}

/** Parses one output line of the probe; an install failure or anything unexpected throws. */
function parseOutcome(line: string): KernelOutcome {
  const [word, value = ''] = line.split(' ', 2);
  if (word === 'trap' && value === '') return { kind: 'trap' };
  if (word === 'killed' && value !== '') return { kind: 'killed', signal: value };
  if (word === 'errno' && /^\d+$/.test(value)) return { kind: 'errno', errno: Number(value) };
  if (word === 'ret' && /^-?\d+$/.test(value)) return { kind: 'returned', value: BigInt(value) };
  if (word === 'install-failed') {
    throw new Error(
      `The kernel refused the filter: seccomp(SECCOMP_SET_MODE_FILTER) failed with errno ${value}` +
        ' (22 = EINVAL: an invalid program, e.g. a load outside seccomp_data or a jump past the end).',
    );
  }
  throw new Error(`The kernel probe printed an unexpected line: ${JSON.stringify(line)}.`);
}

/**
 * Installs `filter` (raw `struct sock_filter` bytes, little-endian, 8 per instruction) in one
 * fresh child process per row, after `PR_SET_NO_NEW_PRIVS`, makes the row's system call there,
 * and resolves to what the kernel did, in row order. Rejects if the kernel refuses the filter,
 * if the probe cannot be built, or if it outlives `opts.timeoutMs`.
 *
 * @example
 * const ret = (k: number) => [0x06, 0, 0, 0, k & 0xff, (k >>> 8) & 0xff, (k >>> 16) & 0xff, k >>> 24];
 * const [outcome] = await runInKernel(new Uint8Array(ret(0x00050000 | 1)), [{ nr: 110 }]);
 * // outcome: { kind: 'errno', errno: 1 }, getppid under SECCOMP_RET_ERRNO(EPERM)
 */
export async function runInKernel(
  filter: Uint8Array,
  rows: readonly KernelRow[],
  opts: RunOptions = {},
): Promise<KernelOutcomes> {
  if (filter.length === 0 || filter.length % 8 !== 0 || filter.length > 4096 * 8) {
    throw new RangeError(`A filter is 1..4096 instructions of 8 bytes; got ${filter.length} bytes.`);
  }
  const input = formatRows(rows);
  const binary = await ensureProbe();
  const dir = await mkdtemp(join(tmpdir(), 'syscage-probe-'));
  try {
    const filterFile = join(dir, 'filter.bin');
    await writeFile(filterFile, filter);
    const { pid, stdout } = await runProbe(binary, filterFile, input, opts.timeoutMs ?? 30_000);
    const lines = stdout.split('\n').filter((line) => line !== '');
    if (lines.length !== rows.length) {
      throw new Error(`The kernel probe answered ${lines.length} rows out of ${rows.length}:\n${stdout}`);
    }
    // Not enumerable, so that `toEqual([...])` compares the outcomes alone.
    return Object.defineProperty(lines.map(parseOutcome), 'probePid', { value: pid }) as KernelOutcomes;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runProbe(
  binary: string,
  filterFile: string,
  input: string,
  timeoutMs: number,
): Promise<{ pid: number; stdout: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, [filterFile], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const pid = child.pid;
      if (code === 0 && pid !== undefined) return resolvePromise({ pid, stdout });
      const how = signal === 'SIGKILL' ? `was killed after ${timeoutMs} ms` : `failed (${signal ?? code})`;
      reject(new Error(`The kernel probe ${how}: ${stderr.trim() || '(no message)'}`));
    });
    // A probe that dies early closes its stdin; the exit code then tells what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
