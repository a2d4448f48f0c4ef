/**
 * Applies a Landlock plan (core's `planLandlock`) to the calling thread, or with the kernel's
 * thread-sync flag (ABI ≥ 8) to every thread: finds the kernel's ABI, refuses (or, under
 * `best-effort`, warns) when a right the declaration needs is missing, opens each path `O_PATH`,
 * adds the path and port rules, and restricts. It does not decide how the other threads of a
 * process get into the domain on older kernels; enter-landlock.ts re-executes the process for that.
 */

import { F_SETFD, PR_SET_NO_NEW_PRIVS } from '@syscage/core/constants';
import { ABI_KERNELS, FILE_RIGHTS, FS_RIGHTS, NET_RIGHTS, SCOPE_RIGHTS, TSYNC_ABI, rightAbi, rightsMask } from '@syscage/core/landlock-rights';
import { expandPlaceholder, placeholderName, type LandlockPlaceholders } from '@syscage/core/landlock-placeholders';
import type { FsRight, LandlockPlan, LandlockRequirement } from '@syscage/core';
import { findLoaderArch } from './arch.ts';
import { loaderError } from './errors.ts';
import { prctl, syscall } from './ffi.ts';

const LANDLOCK_CREATE_RULESET_VERSION = 1;
const LANDLOCK_RULE_PATH_BENEATH = 1;
const LANDLOCK_RULE_NET_PORT = 2;
const LANDLOCK_RESTRICT_SELF_TSYNC = 1 << 3;
/** `O_PATH` has the same value on x86_64 and aarch64. */
const O_PATH = 0o10000000;
const ENOSYS = 38;
const EOPNOTSUPP = 95;

/** What {@link restrictLandlock} did. */
export interface LandlockResult {
  /** The kernel's Landlock ABI; 0 when Landlock is absent or disabled. */
  readonly abi: number;
  /** Whether a domain was entered. */
  readonly applied: boolean;
  /** Whether every thread was restricted at once (ABI ≥ 8); otherwise only the calling one. */
  readonly allThreads: boolean;
  /** Required rights the kernel lacks, accepted under `best-effort`. */
  readonly widened: readonly LandlockRequirement[];
  /** Path rules added (after skipping missing paths) and port rules added. */
  readonly pathRules: number;
  readonly portRules: number;
}

/** Values for a plan's `{placeholder}` paths (core's landlock/placeholders.ts fills them); unset ones are skipped. */
export type { LandlockPlaceholders };

/** Options of {@link restrictLandlock}. */
export interface RestrictOptions {
  /** Restrict every thread with `LANDLOCK_RESTRICT_SELF_TSYNC`; refused below ABI 8. */
  readonly allThreads: boolean;
  /** Do not warn about widened rights (the process before a restart already did). */
  readonly quiet?: boolean;
  /** Where relative paths start (default: the working directory). */
  readonly cwd?: string;
  /** The placeholders' values, or a function computing them, called only when rules are added. */
  readonly placeholders?: LandlockPlaceholders | (() => LandlockPlaceholders);
}

/**
 * Pretends the kernel's Landlock is at most this ABI version: how the tests (and anyone checking
 * a program for an older kernel) see the refusal and the `best-effort` widening on a new kernel.
 * It can only lower what is used.
 */
export const LANDLOCK_ABI_LIMIT_ENV = 'SYSCAGE_LANDLOCK_ABI_LIMIT';

let cachedAbi: number | undefined;

/**
 * The running kernel's Landlock ABI version (0: none), lowered to `SYSCAGE_LANDLOCK_ABI_LIMIT` if set.
 * @example
 * landlockAbi(); // 7 on Linux 6.15–6.19
 */
export function landlockAbi(): number {
  if (cachedAbi !== undefined) return cachedAbi;
  const limitText = process.env[LANDLOCK_ABI_LIMIT_ENV];
  const limit = limitText !== undefined && /^\d+$/.test(limitText) ? Number(limitText) : Number.POSITIVE_INFINITY;
  return (cachedAbi = Math.min(kernelLandlockAbi(), limit));
}

function kernelLandlockAbi(): number {
  const arch = findLoaderArch();
  if (process.platform !== 'linux' || arch === undefined) return 0;
  const result = syscall(arch.nrLandlockCreateRuleset, 0, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (result.value >= 0) return result.value;
  if (result.errno === ENOSYS || result.errno === EOPNOTSUPP) return 0;
  throw loaderError({ code: 'LANDLOCK_UNAVAILABLE', message: `Asking the kernel for its Landlock version failed (errno ${result.errno}).`, hint: 'Report this with your kernel version.' });
}

/**
 * The required rights of `plan` the kernel lacks. Under `enforce` any such right refuses the
 * program; under `best-effort` it warns once and returns them. Every plan requires a domain
 * (ABI 1): without one, nothing keeps other processes' /proc/<pid>/mem out of reach.
 */
export function checkLandlockSupport(plan: LandlockPlan, abi: number, quiet = false): LandlockRequirement[] {
  const missing = missingRights(plan, abi);
  if (missing.length === 0) return [];
  const first = missing[0] as LandlockRequirement;
  const needs = rightAbi(first.right);
  const have = abi === 0 ? 'has no Landlock' : `has Landlock ABI ${abi}`;
  const reason = `This kernel ${have}; enforcing ${first.enforces} needs the ${first.right} right (ABI ${needs}, Linux ${ABI_KERNELS[needs] ?? '?'}).`;
  if (plan.mode === 'enforce') {
    throw loaderError({ code: 'LANDLOCK_UNAVAILABLE', message: reason, hint: `Run on Linux ≥ ${ABI_KERNELS[needs] ?? '?'} with Landlock enabled (lsm=…,landlock), or declare landlock: 'best-effort' to run with the wider sandbox.` });
  }
  if (quiet) return missing;
  // Written at once: a restart may follow, and an emitted warning would be printed after it (never).
  process.getBuiltinModule('node:fs').writeSync(2, `syscage: warning: ${reason} Running with the wider sandbox (landlock: 'best-effort'): ${[...new Set(missing.map((m) => m.enforces))].join('; ')} not enforced.\n`);
  return missing;
}

/** Whether `plan` handles any right Landlock ABI `abi` has (otherwise there is no domain to enter). */
export function restrictsAnything(plan: LandlockPlan, abi: number): boolean {
  return rightsMask(FS_RIGHTS, plan.handledFs, abi) !== 0 || rightsMask(NET_RIGHTS, plan.handledNet, abi) !== 0 || rightsMask(SCOPE_RIGHTS, plan.scoped, abi) !== 0;
}

/** The required rights of `plan` that Landlock ABI `abi` lacks. */
export function missingRights(plan: LandlockPlan, abi: number): LandlockRequirement[] {
  return plan.required.filter((r) => rightAbi(r.right) > abi);
}

/**
 * Applies `plan` to the calling thread (or, with `allThreads`, to all of them); threads and
 * processes it creates afterwards inherit the domain.
 * @throws `LANDLOCK_UNAVAILABLE` when the kernel cannot enforce the plan and its mode is `enforce`,
 *   when a `refuse` path is missing, or when a Landlock call fails.
 * @example
 * restrictLandlock(planLandlock(resolveCapabilities({ fs: { read: ['./data'] } })), { allThreads: false });
 */
export function restrictLandlock(plan: LandlockPlan, options: RestrictOptions): LandlockResult {
  const abi = landlockAbi();
  const widened = checkLandlockSupport(plan, abi, options.quiet);
  const none = { abi, applied: false, allThreads: false, widened, pathRules: 0, portRules: 0 };
  if (abi === 0) return none;
  if (options.allThreads && abi < TSYNC_ABI) throw loaderError({ code: 'LANDLOCK_UNAVAILABLE', message: `Restricting every thread at once needs Landlock ABI ${TSYNC_ABI}; this kernel has ${abi}.`, hint: 'Restrict the calling thread and re-execute instead.' });
  if (!restrictsAnything(plan, abi)) return none;
  const { closeSync } = process.getBuiltinModule('node:fs');
  const built = buildRuleset(plan, options, abi);
  try {
    const noNewPrivs = prctl(PR_SET_NO_NEW_PRIVS, 1);
    if (noNewPrivs.value !== 0) throw loaderError({ code: 'LANDLOCK_UNAVAILABLE', message: `prctl(PR_SET_NO_NEW_PRIVS) failed with errno ${noNewPrivs.errno}.`, hint: 'Report this with your kernel version.' });
    check(syscall(landlockCalls().restrictSelf, built.target.ruleset, options.allThreads ? LANDLOCK_RESTRICT_SELF_TSYNC : 0), 'landlock_restrict_self');
    return { abi, applied: true, allThreads: options.allThreads, widened, pathRules: built.pathRules, portRules: built.portRules };
  } finally {
    closeSync(built.target.ruleset);
  }
}

/**
 * Builds the ruleset of `plan` without entering it and returns its descriptor, open across
 * execve: a layer the restarted image enters with {@link restrictWithRuleset}, without finding
 * and opening its paths again. The kernel must support the plan (`restrictsAnything`).
 */
export function prepareRuleset(plan: LandlockPlan, options: Omit<RestrictOptions, 'allThreads' | 'quiet'>): number {
  const abi = landlockAbi();
  const { ruleset } = buildRuleset(plan, options, abi).target;
  try {
    inheritable(ruleset);
    return ruleset;
  } catch (error) {
    process.getBuiltinModule('node:fs').closeSync(ruleset);
    throw error;
  }
}

/** Creates the ruleset of `plan` for Landlock ABI `abi` and adds its path and port rules. */
function buildRuleset(plan: LandlockPlan, options: Omit<RestrictOptions, 'allThreads' | 'quiet'>, abi: number): { target: RulesetTarget; pathRules: number; portRules: number } {
  const handledFs = rightsMask(FS_RIGHTS, plan.handledFs, abi);
  const handledNet = rightsMask(NET_RIGHTS, plan.handledNet, abi);
  const scoped = rightsMask(SCOPE_RIGHTS, plan.scoped, abi);
  const calls = landlockCalls();
  const attr = Buffer.alloc(24); // struct landlock_ruleset_attr; older ABIs read only its first 8 or 16 bytes
  attr.writeBigUInt64LE(BigInt(handledFs), 0);
  attr.writeBigUInt64LE(BigInt(handledNet), 8);
  attr.writeBigUInt64LE(BigInt(scoped), 16);
  const ruleset = check(syscall(calls.createRuleset, attr, abi >= 6 ? 24 : abi >= 4 ? 16 : 8, 0), 'landlock_create_ruleset');
  const target = { nrAddRule: calls.addRule, ruleset, abi };
  try {
    const pathRules = addPathRules(plan, options, target, handledFs);
    const portRules = handledNet === 0 ? 0 : addPortRules(plan, target, handledNet);
    return { target, pathRules, portRules };
  } catch (error) {
    process.getBuiltinModule('node:fs').closeSync(ruleset);
    throw error;
  }
}

/**
 * Enters the ruleset `fd` (from {@link prepareRuleset}, inherited across execve) on the calling
 * thread and closes it. Returns 0, or the errno of a descriptor that is not a Landlock ruleset
 * (left open: standard streams must survive the refusal that follows).
 */
export function restrictWithRuleset(fd: number): number {
  const result = syscall(landlockCalls().restrictSelf, fd, 0);
  if (result.value !== 0) return result.errno;
  process.getBuiltinModule('node:fs').closeSync(fd);
  return 0;
}

/** Clears close-on-exec on `fd`, so that it survives the restart. */
function inheritable(fd: number): void {
  check(syscall(landlockCalls().fcntl, fd, F_SETFD, 0), 'fcntl(F_SETFD) on the next layer\'s ruleset');
}

/**
 * The system call numbers this module makes: Landlock's three are consecutive on every
 * architecture (`landlock_create_ruleset`, `_add_rule`, `_restrict_self`).
 */
function landlockCalls(): { createRuleset: number; addRule: number; restrictSelf: number; fcntl: number } {
  const arch = findLoaderArch();
  if (arch === undefined) throw loaderError({ code: 'UNSUPPORTED_ARCH', message: `syscage has no Landlock system call numbers for ${process.arch}.`, hint: 'Run on x64 or arm64.' });
  const createRuleset = arch.nrLandlockCreateRuleset;
  return { createRuleset, addRule: createRuleset + 1, restrictSelf: createRuleset + 2, fcntl: arch.nrFcntl };
}

/** The ruleset being filled. */
interface RulesetTarget {
  readonly nrAddRule: number;
  readonly ruleset: number;
  readonly abi: number;
}

/** Adds a path-beneath rule per existing path of `plan` (placeholders filled); returns how many. */
function addPathRules(plan: LandlockPlan, options: Pick<RestrictOptions, 'cwd' | 'placeholders'>, target: RulesetTarget, handledFs: number): number {
  const fs = process.getBuiltinModule('node:fs');
  const { resolve } = process.getBuiltinModule('node:path');
  let added = 0;
  let placeholders: LandlockPlaceholders | undefined;
  const filled = (): LandlockPlaceholders | undefined => (placeholders ??= typeof options.placeholders === 'function' ? options.placeholders() : options.placeholders);
  const beneath = Buffer.alloc(12); // struct landlock_path_beneath_attr, packed
  for (const rule of plan.paths) {
    // What the rule grants on a directory, and on a file (only what applies to files). Rules
    // granting nothing handled are left out before their paths are looked at (the implicit read
    // set when reads are not handled): filling the placeholders reads the file system.
    const onDirectory = rightsMask(FS_RIGHTS, rule.access as FsRight[], target.abi) & handledFs;
    if (onDirectory === 0) continue;
    const onFile = rightsMask(FS_RIGHTS, rule.access.filter((r) => FILE_RIGHTS.includes(r)) as FsRight[], target.abi) & handledFs;
    for (const path of resolvePaths(rule.path, filled, options.cwd, resolve)) {
      let fd: number;
      try {
        fd = fs.openSync(path, O_PATH);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
        if (rule.ifMissing === 'skip') continue;
        throw loaderError({ code: 'LANDLOCK_UNAVAILABLE', message: `${rule.from} lists ${path}, which does not exist.`, hint: 'Create it before the program starts, or list the directory it will be created in.' });
      }
      try {
        // A rule on a file may only grant what applies to files; only a rule whose two differ asks which it is.
        const allowed = onDirectory === onFile || fs.fstatSync(fd).isDirectory() ? onDirectory : onFile;
        if (allowed === 0) continue;
        beneath.writeUInt32LE(allowed, 0); // the access mask is a __u64; every right fits its low half
        beneath.writeUInt32LE(0, 4);
        beneath.writeInt32LE(fd, 8);
        check(syscall(target.nrAddRule, target.ruleset, LANDLOCK_RULE_PATH_BENEATH, beneath, 0), `landlock_add_rule(${path})`);
        added += 1;
      } finally {
        fs.closeSync(fd);
      }
    }
  }
  return added;
}

/** Adds a net-port rule per port of `plan`; returns how many. */
function addPortRules(plan: LandlockPlan, target: RulesetTarget, handledNet: number): number {
  let added = 0;
  for (const rule of plan.ports) {
    const allowed = rightsMask(NET_RIGHTS, rule.access, target.abi) & handledNet;
    if (allowed === 0) continue;
    const port = Buffer.alloc(16); // struct landlock_net_port_attr
    port.writeBigUInt64LE(BigInt(allowed), 0);
    port.writeBigUInt64LE(BigInt(rule.port), 8);
    check(syscall(target.nrAddRule, target.ruleset, LANDLOCK_RULE_NET_PORT, port, 0), `landlock_add_rule(port ${rule.port})`);
    added += 1;
  }
  return added;
}

function resolvePaths(path: string, placeholders: () => LandlockPlaceholders | undefined, cwd: string | undefined, resolve: (...parts: string[]) => string): readonly string[] {
  if (placeholderName(path) !== undefined) return expandPlaceholder(path, placeholders()) ?? [];
  // Most paths of a plan are absolute and already normal (the implicit read set's): taken as they
  // are, since path.resolve, run cold before the program, costs more than the rule itself.
  return [isNormalAbsolute(path) ? path : resolve(cwd ?? process.cwd(), path)];
}

/** Whether `path` is absolute with no empty, `.` or `..` component and no trailing slash: what path.resolve returns unchanged. */
export function isNormalAbsolute(path: string): boolean {
  return path === '/' || (path.startsWith('/') && !path.endsWith('/') && !path.includes('//') && !path.includes('/./') && !path.includes('/../') && !path.endsWith('/.') && !path.endsWith('/..'));
}

function check(result: { value: number; errno: number }, what: string): number {
  if (result.value >= 0) return result.value;
  throw loaderError({ code: 'LANDLOCK_UNAVAILABLE', message: `${what} failed with errno ${result.errno}.`, hint: 'Report this with your kernel version; declare the paths as existing files or directories.' });
}
