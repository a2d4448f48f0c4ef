/**
 * `syscage exec [declaration options] -- COMMAND [ARGS...]`: applies the declared sandbox to this
 * process (Landlock first, whose system calls the filter would refuse, then the seccomp filter
 * with TSYNC, after dropping the capabilities the catalog's rules must not meet: the runtime's
 * privileges.ts), then replaces itself with COMMAND through execve: same pid, and from then on the
 * exit status and signals are COMMAND's. Everything that can be wrong with the command line is
 * checked before anything is applied.
 */

import { bindSelfPid, compilePolicy, type NodeMajor } from '@syscage/core';
import { disableCompileCache, dropPrivileges, execveProcess, installFilter, restrictLandlock } from '@syscage/runtime';
import { Command } from 'commander';
import { addDeclarationOptions, resolveOptions, type DeclarationOptions } from '../declaration.ts';
import { resolveCommand } from '../exec/command.ts';
import { planExecLandlock } from '../exec/landlock.ts';
import { buildExecPolicy } from '../exec/policy.ts';
import { failure, usageError } from '../exit-codes.ts';
import { nativeArch, nodeMajor, nodeOption } from '../native-arch.ts';
import { printJson } from '../output.ts';

interface ExecOptions extends DeclarationOptions {
  readonly node?: string;
  readonly dryRun?: boolean;
}

const EXEC_HELP = `
Examples:
  syscage exec --read ./data -- cat ./data/a.txt
  syscage exec --allow net.connect --connect 443 -- node app.js

The exit status is the command's; a command killed by the sandbox dies of SIGSYS (159 in a shell).

Limits for a Node command (what exec cannot refuse):
  worker_threads: Node starts threads before the program runs, so the filter must allow threads;
    without --allow worker a Worker still starts (a program that sandboxes itself refuses it).
  the Node executable: it keeps the right to execute itself, so once spawning is granted
    (--exec, --allow spawn) the command may also run node, whatever --exec lists (inside the same
    sandbox); without spawn no child process starts.`;

/** The `exec` command; `rawArgs` is the whole command line, to insist on `--`. */
export function execCommand(rawArgs: readonly string[]): Command {
  const command = new Command('exec')
    .description('run COMMAND inside a declared sandbox (seccomp + Landlock), replacing syscage (same pid, its exit status)')
    .argument('<command...>', 'the command and its arguments, after --')
    .addOption(nodeOption('treat COMMAND as Node of this major (default: detected with `COMMAND --version` when it is node)'))
    .option('--dry-run', 'print the policy summary and Landlock plan as JSON instead of running');
  addDeclarationOptions(command)
    .passThroughOptions()
    .addHelpText('after', EXEC_HELP)
    .action((words: string[], options: ExecOptions) => runExec(rawArgs, words, options));
  return command;
}

function runExec(rawArgs: readonly string[], words: readonly string[], options: ExecOptions): void {
  const separator = rawArgs.indexOf('--');
  if (separator === -1 || rawArgs.length - separator - 1 !== words.length) {
    throw usageError('exec needs -- before the command.', `Write: syscage exec [options] -- ${words.join(' ')}`);
  }
  const [name, ...args] = words as [string, ...string[]];
  const { resolved } = resolveOptions(options);
  const command = resolveCommand(name, nodeMajor(options.node) as NodeMajor | undefined);
  const arch = nativeArch();
  const policy = buildExecPolicy(resolved, { node: command.isNode, nodeMajor: command.nodeMajor });
  const filter = compilePolicy(policy, arch).bytes;
  const landlock = planExecLandlock(resolved, command, args);
  if (options.dryRun) {
    printJson({ command: command.file, args, node: command.isNode ? (command.nodeMajor ?? 'any') : false, arch, grants: [...resolved.grants].sort(), instructions: filter.length / 8, landlock: landlock.plan, placeholders: landlock.placeholders });
    return;
  }
  try {
    // Capabilities leave this thread only; the execve below replaces every other thread.
    dropPrivileges({ netlinkRoute: resolved.grants.has('net.listen') });
    // A Node program (or one the command starts) must not write its compile cache where it cannot.
    disableCompileCache([...resolved.grants], landlock.plan);
    restrictLandlock(landlock.plan, { allThreads: false, placeholders: landlock.placeholders });
    installFilter(bindSelfPid(filter, process.pid), { tsync: true, arch });
  } catch (error) {
    throw failure(`cannot sandbox ${name}: ${(error as Error).message}`);
  }
  execveProcess(command.file, [name, ...args], process.env);
}
