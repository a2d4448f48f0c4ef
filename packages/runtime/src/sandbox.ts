/**
 * The public entry points for programs that run unbuilt (tsx, plain node): `sandbox()` resolves
 * the declaration, compiles it for this process's architecture and Node version, and applies it;
 * `narrow()` stacks a stricter filter later; `status()` reports. A built program gets the same
 * behaviour from the plugin's loader, which hands `applySandbox` precompiled filters instead.
 */

import { NODE_MAJORS, prepareDeclaration, type Capabilities, type LateStartMode, type NodeMajor } from '@syscage/core';
import { applyNarrower, applySandbox } from './apply.ts';
import { findLoaderArch } from './arch.ts';
import { loaderError } from './errors.ts';
import { failClosed } from './fail-closed.ts';
import { lateStartWarning, modulesBeforeSandbox } from './late-start.ts';
import { REEXEC_ENV } from './reexec.ts';
import { appliedGrants, readStatus, type SandboxStatus } from './state.ts';

/** What `sandbox()` returns: usable as a class decorator (legacy or standard), ignorable otherwise. */
export type SandboxDecorator = <T>(target: T, context?: unknown) => T;

function nodeMajor(): NodeMajor | undefined {
  const major = Number(process.versions.node.split('.')[0]);
  return (NODE_MAJORS as readonly number[]).includes(major) ? (major as NodeMajor) : undefined;
}

/**
 * Sandboxes this process: from now on the kernel refuses whatever `capabilities` does not declare.
 * Call it first, before any other work (on Node ≥ 22 the first call restarts the process once,
 * so that no io_uring ring exists). If the sandbox cannot be applied the program stops, with one
 * line saying why.
 * @example
 * sandbox({ fs: { read: ['./data'] }, net: { connect: [443] }, dns: true });
 * @example
 * \@sandbox({ fs: { read: true } })
 * class Main {}
 */
export function sandbox(capabilities: Capabilities): SandboxDecorator {
  const stack = new Error().stack ?? '';
  try {
    const prepared = prepareDeclaration(capabilities, { node: nodeMajor() });
    const { resolved } = prepared;
    // Said once, by the first process: a restarted one runs the same code again.
    if (process.env[REEXEC_ENV] === undefined && appliedGrants() === undefined) checkLate(stack, resolved.lateStart);
    applySandbox({
      grants: [...resolved.grants],
      onViolation: resolved.onViolation,
      unsupported: resolved.unsupported,
      filter: (arch) => prepared.filter(arch).bytes,
      stage1: (arch) => prepared.stage1(arch).bytes,
      landlock: prepared.landlock,
    });
  } catch (error) {
    failClosed(error);
  }
  return (target) => target;
}

/**
 * Warns, or under `lateStart: 'error'` refuses, when the program's own modules were evaluated
 * before this `sandbox()` call (see late-start.ts).
 */
function checkLate(stack: string, mode: LateStartMode): void {
  const { file, modules } = modulesBeforeSandbox(stack, new URL(import.meta.url).pathname);
  const warning = lateStartWarning(modules, file && process.getBuiltinModule('node:path').relative(process.cwd(), file));
  if (warning === undefined) return;
  if (mode === 'error') throw loaderError({ code: 'API_MISUSE', message: warning, hint: "The program stops here (lateStart: 'error')." });
  // Written at once: a restart may follow, after which an emitted warning would never be printed.
  process.getBuiltinModule('node:fs').writeSync(2, `syscage: warning: ${warning}\n`);
}

/**
 * Takes capabilities away from an applied sandbox (pledge's staged narrowing): a second filter is
 * stacked, so both must allow a syscall. Asking for a capability the sandbox lacks is an error.
 * It narrows kinds of operation (seccomp); the path and port lists stay those of `sandbox()`.
 * @example
 * sandbox({ fs: { read: true }, net: { connect: true } });
 * const config = await loadConfig();
 * narrow({ net: { connect: true } }); // no more file reads
 */
export function narrow(capabilities: Capabilities): void {
  try {
    const before = appliedGrants();
    const prepared = prepareDeclaration(capabilities, { node: nodeMajor() });
    const { resolved } = prepared;
    const wider = [...resolved.grants].filter((name) => !before?.includes(name));
    if (before !== undefined && wider.length > 0) {
      throw loaderError({ code: 'API_MISUSE', message: `narrow() can only take capabilities away; ${wider.map((n) => `\`${n}\``).join(', ')} ${wider.length === 1 ? 'was' : 'were'} not granted.`, hint: 'Declare it in sandbox() from the start, or leave it out here.' });
    }
    const arch = findLoaderArch()?.name;
    if (before === undefined && (process.platform !== 'linux' || arch === undefined) && resolved.unsupported === 'warn') return;
    if (before === undefined || arch === undefined) throw loaderError({ code: 'API_MISUSE', message: 'narrow() was called before sandbox().', hint: 'Call sandbox() first; narrow() only takes away.' });
    applyNarrower(prepared.filter(arch).bytes, [...resolved.grants], resolved.onViolation);
  } catch (error) {
    failClosed(error);
  }
}

/** What is applied to this process. */
export function status(): SandboxStatus {
  return readStatus();
}
