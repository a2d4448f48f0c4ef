/**
 * The Landlock side of `syscage exec`: core's plan of the declaration (with Node's implicit read
 * set only when the command is Node), plus what exec'ing the command itself takes: `execute` and
 * `read_file` on the command (and a `#!` script's interpreters), core's EXEC_START_PATHS (the
 * dynamic loader, ld.so.cache, the library directories), and reading /proc/self, through which the
 * runtime confirms the seccomp filter it installs after Landlock (same pid after the exec: the
 * command's own directory). Placeholders are filled for the command,
 * not for syscage's own process: `{node}` is the command's Node, `{program}`, `{modules}` and
 * `{package-json}` those of the script it runs, `{interpreter}` the command's ELF interpreter: the
 * facts gathered here and in placeholders.ts, the values filled by core's `fillPlaceholders`.
 */

import { dirname, resolve } from 'node:path';
import { EXEC_START_PATHS, fillPlaceholders, mergePaths, planLandlock, type LandlockPathRule, type LandlockPlaceholders, type LandlockPlan, type ResolvedCapabilities } from '@syscage/core';
import { readInterpreter } from '@syscage/runtime';
import { programFacts, realPath, rootListings } from '../placeholders.ts';
import type { ResolvedCommand } from './command.ts';

/** The plan and its placeholder values. */
export interface ExecLandlock {
  readonly plan: LandlockPlan;
  readonly placeholders: LandlockPlaceholders;
}

/** The Landlock plan for exec'ing `command` with `args` under `resolved`. */
export function planExecLandlock(resolved: ResolvedCapabilities, command: ResolvedCommand, args: readonly string[]): ExecLandlock {
  const base = planLandlock(resolved, { nodeRuntime: command.isNode });
  const executables = [command.file, ...command.interpreters];
  const own: LandlockPathRule[] = [
    ...executables.map((path): LandlockPathRule => ({ path, access: ['execute', 'read_file'], from: 'exec', ifMissing: 'refuse' })),
    ...EXEC_START_PATHS.map((entry): LandlockPathRule => ({ path: entry.path, access: entry.access, from: 'exec', ifMissing: 'skip' })),
    // The seccomp filter is installed after Landlock and confirmed through /proc/self (the
    // runtime checks every thread); the pid, and so this directory, stays the command's own.
    { path: '/proc/self', access: ['read_dir', 'read_file'], from: 'exec', ifMissing: 'skip' },
    // Programs make sure descriptors 0-2 are open (git) or discard output through it.
    { path: '/dev/null', access: ['read_file', 'write_file'], from: 'exec', ifMissing: 'skip' },
  ];
  const paths = mergePaths([...base.paths, ...own]);
  const interpreter = [...new Set(executables.map(readInterpreter).filter((value): value is string => value !== undefined))];
  const runs = executables.at(-1) ?? command.file;
  const script = command.isNode ? nodeScript(command.interpreters.length > 0 ? [command.file, ...args] : args) : undefined;
  const program = script === undefined ? undefined : dirname(realPath(resolve(script)));
  return {
    plan: { ...base, paths },
    placeholders: fillPlaceholders({
      interpreter,
      listings: rootListings(),
      ...(command.isNode ? { node: runs } : {}),
      ...(program === undefined ? {} : { program: programFacts(program) }),
    }),
  };
}

/** The script a Node command line runs: its first argument that is not an option (or an option's value). */
function nodeScript(args: readonly string[]): string | undefined {
  const takesValue = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--input-type', '--env-file', '--stack-size', '--title']);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-e' || arg === '--eval' || arg === '-p' || arg === '--print' || arg === '-') return undefined;
    if (arg === '--') return args[i + 1];
    if (takesValue.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}
