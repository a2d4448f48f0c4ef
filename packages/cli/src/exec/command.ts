/**
 * Finds what `syscage exec` will run: the executable on PATH (as execvp would), whether it is
 * Node (by name, or `--node`), its Node major (syscage's own when it is the same Node, else asking
 * `COMMAND --version`, only when it is Node), and for a `#!` script its interpreter. Refusals here
 * are usage errors: nothing has run yet.
 */

import { accessSync, constants, openSync, readSync, closeSync, realpathSync, statSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join, resolve } from 'node:path';
import { NODE_MAJORS, type NodeMajor } from '@syscage/core';
import { usageError } from '../exit-codes.ts';

/** The command to exec, resolved. */
export interface ResolvedCommand {
  /** As given (argv[0] of the new image). */
  readonly name: string;
  /** The absolute path executed. */
  readonly file: string;
  /** For a `#!` script: the interpreters the kernel runs (`/usr/bin/env` and what it finds, for `#!/usr/bin/env X`). */
  readonly interpreters: readonly string[];
  readonly isNode: boolean;
  readonly nodeMajor?: NodeMajor | undefined;
}

/** Finds `name` like execvp: a name with a slash is a path, anything else is searched on PATH. */
export function findExecutable(name: string, path = process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin'): string {
  const candidates = name.includes('/') ? [resolve(name)] : path.split(delimiter).filter((dir) => dir !== '').map((dir) => join(isAbsolute(dir) ? dir : resolve(dir), name));
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here, or not executable: keep looking, as execvp does
    }
  }
  if (name.includes('/')) throw usageError(`${name}: no such executable file.`, 'Check the path and that the file is executable (chmod +x).');
  throw usageError(`${name}: command not found on PATH.`, 'Give its path (./tool or /usr/bin/tool), or add its directory to PATH.');
}

/** Resolves the command and what kind of program it is. */
export function resolveCommand(name: string, nodeFlag: NodeMajor | undefined): ResolvedCommand {
  const file = findExecutable(name);
  const interpreters = readShebang(file);
  const runs = interpreters.at(-1) ?? file;
  const isNode = nodeFlag !== undefined || /^node(js)?(\d+)?$/.test(basename(realpathSync(runs)));
  const nodeMajor = nodeFlag ?? (isNode ? detectNodeMajor(runs) : undefined);
  return { name, file, interpreters, isNode, nodeMajor };
}

/**
 * Its major, when it is one syscage measured: this process's own when the command is the Node
 * running syscage (the same file), else from `COMMAND --version` (a process start, tens of ms).
 */
function detectNodeMajor(file: string): NodeMajor | undefined {
  try {
    const version = realpathSync(file) === realpathSync(process.execPath) ? process.version : process.getBuiltinModule('node:child_process').execFileSync(file, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, NODE_OPTIONS: '' } });
    const major = Number(/^v(\d+)\./.exec(version.trim())?.[1]);
    return (NODE_MAJORS as readonly number[]).includes(major) ? (major as NodeMajor) : undefined;
  } catch {
    return undefined;
  }
}

/** The interpreters of a `#!` script: `[interpreter]`, or `[env, X]` for `#!/usr/bin/env X`; `[]` otherwise. */
function readShebang(file: string): string[] {
  const head = Buffer.alloc(256);
  let size = 0;
  const fd = openSync(file, 'r');
  try {
    size = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const line = head.subarray(0, size).toString('latin1');
  if (!line.startsWith('#!')) return [];
  const [interpreter, argument] = line.slice(2).split('\n')[0]?.trim().split(/\s+/) ?? [];
  if (interpreter === undefined || interpreter === '') return [];
  return basename(interpreter) === 'env' && argument !== undefined && !argument.startsWith('-') ? [interpreter, findExecutable(argument)] : [interpreter];
}
