/**
 * Applies a prepared sandbox to this process: the checks that it can be applied (Linux, a known
 * architecture, the main thread, not yet sandboxed), the io_uring re-execution where needed, the
 * self-pid binding, and the install with TSYNC. It takes compiled filters and never compiles, so a
 * built program's loader uses this module without the compiler. Failures throw; `sandbox()`
 * turns them into one line and an exit.
 */

import type { LandlockPlan } from '@syscage/core';
import { bindSelfPid } from '@syscage/core/self-pid';
import { TSYNC_ABI } from '@syscage/core/landlock-rights';
import { findLoaderArch, type LoaderArchName } from './arch.ts';
import { loaderError } from './errors.ts';
import { readInterpreter } from './elf.ts';
import { loadFfi } from './ffi.ts';
import { findIoUringFds } from './io-uring.ts';
import { allButProcesses, landlockAbi, missingRights, prepareRuleset, programReadPaths, restrictsAnything, restrictLandlock, restrictWithRuleset, type LandlockPlaceholders } from './landlock.ts';
import { readSeccompStatus } from './proc-status.ts';
import { disableCompileCache } from './compile-cache.ts';
import { dropPrivileges } from './privileges.ts';
import { REEXEC_ENV, reexecSelf, takeReexecMarker, type ReexecMarker } from './reexec.ts';
import { installFilter } from './seccomp.ts';
import { softDenialHint, violationHint } from './violation.ts';

/**
 * The capability whose filter allows a NETLINK_ROUTE socket (core's catalog/net.ts; a runtime
 * test keeps the two in step). The loader does not load the catalog, hence the copy.
 */
export const NETLINK_ROUTE_GRANT = 'net.listen';

/** Compiled filters and the facts `status()` reports, as the compiler or the plugin prepared them. */
export interface PreparedSandbox {
  /** Granted capability names. */
  readonly grants: readonly string[];
  readonly onViolation: 'kill' | 'errno';
  readonly unsupported: 'error' | 'warn';
  /**
   * The filter for an architecture, with the self-pid placeholder unbound (undefined: none). A
   * function, so an unbuilt program compiles only what it installs: nothing of the final filter
   * before a re-execution.
   */
  readonly filter: (arch: LoaderArchName) => Uint8Array | undefined;
  /** The first-stage filter (io_uring → ENOSYS) for an architecture, for the re-execution. */
  readonly stage1: (arch: LoaderArchName) => Uint8Array | undefined;
  /** Path and port scoping (core's `planLandlock`); absent: none. */
  readonly landlock?: LandlockPlan | undefined;
}

/** What `status()` reports about Landlock. */
export interface LandlockStatus {
  /** The kernel's Landlock ABI (0: none). */
  readonly abi: number;
  /** Whether the process is inside the domain (every thread). */
  readonly applied: boolean;
  /** Rights the declaration needed that the kernel lacks, accepted under `best-effort`. */
  readonly widened: readonly string[];
}

/** What `status()` reports. */
export interface SandboxStatus {
  readonly applied: boolean;
  readonly grants: readonly string[];
  readonly onViolation: 'kill' | 'errno' | undefined;
  readonly arch: LoaderArchName | undefined;
  /** The Node major the process runs. */
  readonly node: number;
  /** Whether the process was re-executed (to start without io_uring rings, or inside the Landlock domain). */
  readonly reexecuted: boolean;
  /** Landlock, when the declaration has anything for it to scope. */
  readonly landlock: LandlockStatus | undefined;
  /** Filters syscage installed in this process (sandbox, then each narrow). */
  readonly layers: number;
  /** `Seccomp_filters` from /proc: every filter on this thread, inherited ones included. */
  readonly kernelFilters: number | undefined;
}

interface State {
  grants: readonly string[];
  onViolation: 'kill' | 'errno';
  arch: LoaderArchName;
  reexecuted: boolean;
  landlock: LandlockStatus | undefined;
  layers: number;
}

/**
 * The state lives on `process` under a registered symbol, not in this module: a built program's
 * loader (`@syscage/runtime/loader`) and the public API (`@syscage/runtime`) are separate
 * single-file modules (one module load each before the sandbox), and a bundler may also have
 * copied the runtime into the program; every copy must see the one sandbox of the process. Only
 * what is reported and refused depends on it: the kernel, not this record, enforces the filters.
 */
const STATE_KEY = Symbol.for('syscage.sandbox-state');

interface StateBox {
  current: State | undefined;
}

function box(): StateBox {
  const host = process as unknown as Record<symbol, StateBox | undefined>;
  const existing = host[STATE_KEY];
  if (existing !== undefined) return existing;
  const created: StateBox = { current: undefined };
  Object.defineProperty(process, STATE_KEY, { value: created, enumerable: false, writable: false, configurable: false });
  return created;
}

/** The sandbox state of this process. */
export function readStatus(): SandboxStatus {
  const state = box().current;
  return {
    applied: state !== undefined,
    grants: state?.grants ?? [],
    onViolation: state?.onViolation,
    arch: state?.arch,
    node: Number(process.versions.node.split('.')[0]),
    reexecuted: state?.reexecuted ?? false,
    landlock: state?.landlock,
    layers: state?.layers ?? 0,
    kernelFilters: readSeccompStatus()?.filters,
  };
}

/** The running architecture, or why the sandbox cannot apply (undefined: warned, run unsandboxed). */
function checkApplicable(unsupported: 'error' | 'warn'): LoaderArchName | undefined {
  const refuse = (code: 'UNSUPPORTED_PLATFORM' | 'UNSUPPORTED_ARCH', message: string, hint: string): undefined => {
    if (unsupported === 'error') throw loaderError({ code, message, hint });
    process.emitWarning(`${message} Running WITHOUT a sandbox (unsupported: 'warn').`, { code: 'SYSCAGE_UNSANDBOXED' });
    return undefined;
  };
  if (process.platform !== 'linux') return refuse('UNSUPPORTED_PLATFORM', `The sandbox needs Linux (seccomp); this is ${process.platform}.`, "Run on Linux, or declare unsupported: 'warn' to run unsandboxed during development.");
  const arch = findLoaderArch();
  if (arch === undefined) return refuse('UNSUPPORTED_ARCH', `syscage has no filter for ${process.arch}.`, "Run on x64 or arm64, or declare unsupported: 'warn'.");
  if (!isMainThread()) throw loaderError({ code: 'INVALID_FILTER', message: 'sandbox() was called in a worker thread.', hint: 'Call it first thing in the main program; workers inherit it.' });
  return arch.name;
}

/**
 * Whether this is the process's main thread: /proc/thread-self is `<pid>/task/<tid>`, and the main
 * thread's tid is the pid. Loading `node:worker_threads` to ask instead costs a few milliseconds
 * of start-up in a program that never uses workers; it is the answer only without /proc.
 */
function isMainThread(): boolean {
  try {
    const [pid, , tid] = process.getBuiltinModule('node:fs').readlinkSync('/proc/thread-self').split('/');
    return pid === tid;
  } catch {
    return process.getBuiltinModule('node:worker_threads').isMainThread;
  }
}

/** Options of {@link applySandbox}. */
export interface ApplyOptions {
  /** The main module a restart runs instead of `process.argv[1]` (see reexec.ts). */
  readonly restartInto?: string | undefined;
}

/**
 * Applies `prepared`. The first call may re-execute the process (and not return): on Node ≥ 22 to
 * start without io_uring rings, and below Landlock ABI 8 to bring every thread into the domain
 * when Landlock enforces something seccomp does not.
 */
export function applySandbox(prepared: PreparedSandbox, options: ApplyOptions = {}): void {
  if (box().current !== undefined) throw loaderError({ code: 'INVALID_FILTER', message: 'sandbox() was already applied in this process.', hint: 'Call narrow() to take capabilities away later.' });
  const arch = checkApplicable(prepared.unsupported);
  if (arch === undefined) return;
  const marker = takeReexecMarker();
  const rings = findIoUringFds();
  if (marker !== undefined && rings.length > 0) throw loaderError({ code: 'SECCOMP_UNAVAILABLE', message: `io_uring descriptors ${rings.join(', ')} exist even after restarting without io_uring.`, hint: 'Report this with your Node version; start the program with `syscage exec` meanwhile.' });
  const stage1 = marker === undefined && rings.length > 0 ? prepared.stage1(arch) : undefined;
  if (marker === undefined && rings.length > 0 && stage1 === undefined) throw loaderError({ code: 'UNSUPPORTED_ARCH', message: `This build has no first-stage filter for ${arch}.`, hint: 'Rebuild the program with the current plugin.' });
  // Capabilities leave the calling thread only: a drop restarts the process so that every thread
  // starts without them (privileges.ts). A restarted process has nothing left to drop.
  const privileges = dropPrivileges({ netlinkRoute: prepared.grants.includes(NETLINK_ROUTE_GRANT) });
  if (marker !== undefined && privileges.dropped.length > 0) throw loaderError({ code: 'SECCOMP_UNAVAILABLE', message: `${privileges.dropped.join(', ')} came back after the restart.`, hint: 'Start the program without those capabilities.' });
  // Node's compile cache would write at exit where the declaration cannot (compile-cache.ts).
  const compileCache = disableCompileCache(prepared.grants, prepared.landlock);
  const restart = rings.length > 0 || privileges.dropped.length > 0 || (marker === undefined && compileCache.needsRestart);
  const landlock = marker === undefined ? enterLandlock(prepared.landlock, stage1, restart, options.restartInto) : restartedLandlock(prepared.landlock, marker);
  const filter = prepared.filter(arch);
  if (filter === undefined) throw loaderError({ code: 'UNSUPPORTED_ARCH', message: `This build has no filter for ${arch}.`, hint: `Rebuild with ${arch} among the plugin's arches.` });
  installFilter(bindSelfPid(filter, process.pid), { tsync: true, arch });
  // An EPERM is the sandbox's only in errno mode; the EACCES of a soft denial in either mode.
  const errno = prepared.onViolation === 'errno';
  process.on('uncaughtExceptionMonitor', (error) => {
    const hint = (errno ? violationHint(error) : undefined) ?? softDenialHint(error);
    if (hint) process.stderr.write(`${hint}\n`);
  });
  box().current = { grants: [...prepared.grants], onViolation: prepared.onViolation, arch, reexecuted: marker !== undefined, landlock, layers: 1 };
}

/**
 * Enters the Landlock domain before anything else: with TSYNC where the kernel has it, otherwise
 * on this thread followed by a restart (which also drops io_uring rings). `restart`: the process
 * restarts anyway (rings, or dropped capabilities); `stage1` is given when rings exist. Without a
 * restart to make, nothing restarts where the kernel restricts every thread at once (ABI ≥ 8) or
 * has no Landlock.
 */
function enterLandlock(plan: LandlockPlan | undefined, stage1: Uint8Array | undefined, restart: boolean, main: string | undefined): LandlockStatus | undefined {
  if (plan === undefined) {
    if (restart) reexecSelf({ stage1, landlockAbi: 0, main });
    return undefined;
  }
  const abi = landlockAbi();
  const allThreads = abi >= TSYNC_ABI;
  // Every declaration enters the domain, also one whose paths and ports only repeat what seccomp
  // stops: the domain is what scopes ptrace (other processes' /proc/<pid>/mem), abstract unix
  // sockets and signals. Below ABI 8 that takes a restart, a second start-up.
  // Executing node is kept only for a restart (below ABI 8 there always is one once in the domain).
  const result = restrictLandlock(restart || !allThreads ? plan : withoutRestartRights(plan), { allThreads, placeholders });
  const status = { abi, applied: result.applied, widened: result.widened.map((w) => w.right) };
  if (restart || (result.applied && !allThreads)) {
    // The layer the restarted image stacks is built here and kept open across execve: entering
    // it there takes no path lookups.
    const layer = result.applied ? executeLayer(plan, abi) : undefined;
    reexecSelf({ stage1, landlockAbi: result.applied ? abi : 0, nextLayer: layer && prepareRuleset(layer, { placeholders }), main });
  }
  return status;
}

/**
 * The Landlock state of a restarted process: every thread entered the domain before the restart.
 * The main thread stacks one more layer, the plan less executing node (withoutRestartRights): the
 * ruleset the first image built for it and kept open across execve (the marker names its
 * descriptor; entering it takes no path lookups), else the rules built again. Should the marker
 * have come from the environment instead of a restart, the main thread and every thread it starts
 * from now on are still inside a domain, and a descriptor that is not a ruleset refuses. A marker
 * without the domain the plan needs refuses.
 */
function restartedLandlock(plan: LandlockPlan | undefined, marker: ReexecMarker): LandlockStatus | undefined {
  if (plan === undefined) return undefined;
  const abi = landlockAbi();
  const widened = missingRights(plan, abi).map((w) => w.right); // warned about before the restart
  if (!restrictsAnything(plan, abi)) return { abi, applied: false, widened };
  if (marker.landlockAbi === 0) throw loaderError({ code: 'LANDLOCK_UNAVAILABLE', message: 'The process was marked as restarted inside the Landlock domain, but it was not.', hint: `Remove ${REEXEC_ENV} from the environment that starts the program.` });
  if (marker.nextLayer !== undefined) {
    const errno = marker.nextLayer < 3 ? 9 /* EBADF */ : restrictWithRuleset(marker.nextLayer);
    if (errno !== 0) throw loaderError({ code: 'LANDLOCK_UNAVAILABLE', message: `The process was marked as restarted with a Landlock layer on descriptor ${marker.nextLayer}, which is not one (errno ${errno}).`, hint: `Remove ${REEXEC_ENV} from the environment that starts the program.` });
    return { abi, applied: true, widened };
  }
  const result = restrictLandlock(withoutRestartRights(plan), { allThreads: false, quiet: true, placeholders });
  return { abi, applied: result.applied, widened };
}

/**
 * The layer a restarted image stacks on the first: it handles only executing files and grants it
 * where `plan` does, less node and its interpreter (what only the restart needed). Stacked, it
 * takes exactly what {@link withoutRestartRights} takes away, with a rule per executable path
 * instead of one per path of the plan. Undefined when the plan does not handle executing.
 */
function executeLayer(plan: LandlockPlan, abi: number): LandlockPlan | undefined {
  if (!plan.handledFs.includes('execute')) return undefined;
  const paths = withoutRestartRights(plan).paths.filter((rule) => rule.access.includes('execute')).map((rule) => ({ ...rule, access: ['execute' as const] }));
  const layer: LandlockPlan = { ...plan, handledFs: ['execute'], handledNet: [], scoped: [], paths, ports: [], required: [] };
  return restrictsAnything(layer, abi) ? layer : undefined;
}

/**
 * `plan` less what only the restart needed: executing the Node binary (and, without spawn, its ELF
 * interpreter). Stacked on the first domain after the restart, this layer keeps a spawn list from
 * also running node, since the first layer had to allow it for the restart itself.
 */
function withoutRestartRights(plan: LandlockPlan): LandlockPlan {
  const onlyForRestart = (rule: LandlockPlan['paths'][number]): boolean => rule.from === 'runtime' && (rule.path === '{node}' || rule.path === '{interpreter}');
  return { ...plan, paths: plan.paths.map((rule) => (onlyForRestart(rule) ? { ...rule, access: rule.access.filter((right) => right !== 'execute') } : rule)) };
}

/**
 * The values of the implicit read set's placeholders for this process (core's implicit.ts). Made
 * from what the process already knows, without the module resolver (~1 ms a package): this
 * module's own package, the native binding ffi.ts loaded, core where the runtime's dependencies sit.
 */
function placeholders(): LandlockPlaceholders {
  const { dirname } = process.getBuiltinModule('node:path');
  const { existsSync, realpathSync } = process.getBuiltinModule('node:fs');
  const real = (file: string | undefined): string | undefined => {
    try {
      return file === undefined ? undefined : realpathSync(file);
    } catch {
      return undefined;
    }
  };
  const packageRoot = (file: string | undefined): string | undefined => {
    for (let dir = file && dirname(file); dir !== undefined && dir !== dirname(dir); dir = dirname(dir)) {
      if (existsSync(`${dir}/package.json`)) return dir;
    }
    return undefined;
  };
  // This module's own package, only when it is @syscage/runtime: a copy a bundler inlined into a
  // program would otherwise make the program's package (its whole project) readable.
  const own = packageRoot(real(new URL(import.meta.url).pathname));
  const runtime = own !== undefined && packageName(own) === '@syscage/runtime' ? own : undefined;
  const main = real(process.argv[1]);
  const above = (dir: string | undefined): string[] => (dir === undefined || dir === dirname(dir) ? [] : [dir, ...above(dirname(dir))]);
  const dirs = above(main && dirname(main));
  return {
    program: main && programReadPaths(dirname(main)),
    loader: loaderPackages(runtime, real, packageRoot),
    modules: dirs.map((dir) => `${dir}/node_modules`),
    'package-json': dirs.map((dir) => `${dir}/package.json`),
    'extra-ca-certs': process.env['NODE_EXTRA_CA_CERTS'] || undefined,
    node: real(process.execPath),
    interpreter: real(readInterpreter(process.execPath)),
    // Listing / and /proc only for a plan that reads everything (fs.read: true).
    get 'all-but-processes'() {
      return allButProcesses();
    },
  };
}

/**
 * `{loader}`: what loading the runtime reads again after the restart. The runtime's package, the
 * package of the native binding ffi.ts loaded (and, when it came through ffi-rs's own entry, the
 * platform packages it picks from), ffi-rs, and @syscage/core, which the public API imports: found
 * beside the runtime as npm, pnpm and a workspace place dependencies, else by the resolver.
 */
function loaderPackages(runtime: string | undefined, real: (file: string | undefined) => string | undefined, packageRoot: (file: string | undefined) => string | undefined): string[] {
  const ffi = loadFfi();
  const { createRequire } = process.getBuiltinModule('node:module');
  const require = createRequire(import.meta.url);
  const resolveReal = (id: string, from: NodeJS.Require = require): string | undefined => {
    try {
      return real(from.resolve(id));
    } catch {
      return undefined;
    }
  };
  const besideRuntime = (name: string): string | undefined => {
    if (runtime === undefined) return undefined;
    const { existsSync } = process.getBuiltinModule('node:fs');
    const found = [`${runtime}/node_modules/${name}`, `${runtime}/../../${name}`].find((dir) => existsSync(`${dir}/package.json`));
    return found === undefined ? undefined : real(found);
  };
  const core = besideRuntime('@syscage/core') ?? packageRoot(resolveReal('@syscage/core'));
  const binding = packageRoot(real(ffi.file));
  // ffi-rs's own entry: loaded only as the fallback, but a program may use ffi-rs itself (it is
  // the runtime's dependency, so it sits beside it).
  const ffiRs = besideRuntime('ffi-rs');
  const throughFfiRs = ffi.source === 'ffi-rs' ? [packageRoot(resolveReal('ffi-rs')), ...platformBindings(resolveReal('ffi-rs'), resolveReal).map(packageRoot)] : [];
  return [...new Set([runtime, core, binding, ffiRs, ...throughFfiRs].filter((dir): dir is string => dir !== undefined))];
}

/** The `name` in `dir`'s package.json, if it can be read. */
function packageName(dir: string): unknown {
  try {
    return (JSON.parse(process.getBuiltinModule('node:fs').readFileSync(`${dir}/package.json`, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/** ffi-rs's platform packages seen from `from` (ffi-rs's file): its entry loads one of them. */
function platformBindings(from: string | undefined, resolveReal: (id: string, from: NodeJS.Require) => string | undefined): (string | undefined)[] {
  if (from === undefined) return [];
  const near = process.getBuiltinModule('node:module').createRequire(from);
  return ['gnu', 'musl'].map((libc) => resolveReal(`@yuuang/ffi-rs-linux-${process.arch}-${libc}`, near));
}

/** Stacks one more (stricter) filter on an applied sandbox. */
export function applyNarrower(filter: Uint8Array, grants: readonly string[], onViolation: 'kill' | 'errno'): void {
  const state = box().current;
  if (state === undefined) throw loaderError({ code: 'INVALID_FILTER', message: 'narrow() was called before sandbox().', hint: 'Call sandbox() first; narrow() only takes away.' });
  installFilter(bindSelfPid(filter, process.pid), { tsync: true, arch: state.arch });
  box().current = { ...state, grants: [...grants], onViolation: onViolation === 'kill' ? 'kill' : state.onViolation, layers: state.layers + 1 };
}

/** The granted capabilities of the applied sandbox, if any. */
export function appliedGrants(): readonly string[] | undefined {
  return box().current?.grants;
}

/** Prints `syscage: <message>` and exits 1: the fail-closed end of every entry point. */
export function failClosed(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`syscage: ${message}\n`);
  process.exit(1);
}
