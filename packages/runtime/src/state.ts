/**
 * The sandbox state of this process: what `status()` reports and what a second `sandbox()` or an
 * early `narrow()` is refused by. It records; it enforces nothing (the kernel does) and applies
 * nothing (apply.ts does).
 */

import type { LoaderArchName } from './arch.ts';
import { readSeccompStatus } from './proc-status.ts';
import type { ViolationMode } from '@syscage/core';

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
  readonly onViolation: ViolationMode | undefined;
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

/** What this process applied: written by apply.ts, read by `status()` and the checks. */
export interface State {
  grants: readonly string[];
  onViolation: ViolationMode;
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

/** Holds the state; `current` is undefined until a sandbox is applied. */
export interface StateBox {
  current: State | undefined;
}

/** The one record of this process, made on first use. */
export function box(): StateBox {
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

/** The granted capabilities of the applied sandbox, if any. */
export function appliedGrants(): readonly string[] | undefined {
  return box().current?.grants;
}

/**
 * The payload a launcher applied in place (no restart was needed) and then started the program
 * with: the program's gate, applying the same payload, has nothing left to do. On `process`, as
 * the state is, since the launcher, the gate and the program may each hold a copy of this module.
 */
const LAUNCHED_KEY = Symbol.for('syscage.launched-payload');

/** Records that `payload` was applied in place by a launcher. */
export function markLaunched(payload: unknown): void {
  (process as unknown as Record<symbol, string | undefined>)[LAUNCHED_KEY] = JSON.stringify(payload);
}

/** Whether a launcher applied `payload` in place (once: the record is removed). */
export function takeLaunched(payload: unknown): boolean {
  const host = process as unknown as Record<symbol, string | undefined>;
  if (host[LAUNCHED_KEY] === undefined || host[LAUNCHED_KEY] !== JSON.stringify(payload)) return false;
  host[LAUNCHED_KEY] = undefined;
  return true;
}
