/**
 * The `syscage` command line: one commander program with a sub-command per module in
 * `commands/`, and the one place errors become exit codes (see exit-codes.ts). Commands throw
 * {@link CliError}s; usage errors found by commander itself exit 2 like ours.
 */

import { isSyscageError } from '@syscage/core';
import { Command, CommanderError } from 'commander';
import { compileCommand } from './commands/compile.ts';
import { disasmCommand } from './commands/disasm.ts';
import { execCommand } from './commands/exec.ts';
import { explainCommand } from './commands/explain.ts';
import { inspectCommand } from './commands/inspect.ts';
import { traceCommand } from './commands/trace.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { printError } from './output.ts';

const EXIT_CODES_HELP = `
Exit codes:
  0  done (inspect: verified)
  1  failure (a missing file or tool, a sandbox that cannot apply)
  2  usage error (nothing ran)
  3  inspect: the bundle is tampered with or stale
  exec: once the command runs, its own status (a signal such as SIGSYS shows as 128+n in a shell)`;

/** The program, with every command registered. */
export function createProgram(rawArgs: readonly string[]): Command {
  const program = new Command('syscage')
    .description('pledge + unveil for Node.js on Linux: compile, inspect and apply seccomp + Landlock sandboxes')
    .version(VERSION, '-V, --version')
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .addHelpText('after', EXIT_CODES_HELP);
  for (const command of [execCommand(rawArgs), traceCommand(), inspectCommand(), compileCommand(), disasmCommand(), explainCommand()]) {
    program.addCommand(command.showHelpAfterError('(run with --help for usage)'));
  }
  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'syscage: ')) });
  }
  return program;
}

const VERSION = '0.0.0';

/**
 * Runs the command line `args` (without node and the script) and returns the exit code; `exec`
 * does not return when the command starts.
 * @example
 * process.exitCode = await run(process.argv.slice(2));
 */
export async function run(args: readonly string[]): Promise<number> {
  const program = createProgram(args);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (error instanceof CliError) {
      printError(error.message, error.hint);
      return error.exitCode;
    }
    if (isSyscageError(error)) {
      printError(error.reason, error.hint);
      return EXIT.failure;
    }
    printError(error instanceof Error ? error.message : String(error));
    return EXIT.failure;
  }
}
