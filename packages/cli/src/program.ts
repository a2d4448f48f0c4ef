/**
 * The `syscage` command line: one commander program with a sub-command per module in
 * `commands/`, and the one place errors become exit codes (see exit-codes.ts). Commands throw
 * {@link CliError}s; usage errors found by commander itself exit 2 like ours.
 *
 * A command's module is loaded only when the command line names it (all of them for the overall
 * help and for an unknown command's suggestion): `syscage exec` is in front of every command it
 * runs, so it must not pay for `inspect`'s or `trace`'s modules.
 */

import { isSyscageError } from '@syscage/core';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './exit-codes.ts';
import { printError } from './output.ts';

/** Each command's module, by name, in the order help lists them. */
const COMMANDS: Readonly<Record<string, (rawArgs: readonly string[]) => Promise<Command>>> = {
  exec: async (rawArgs) => (await import('./commands/exec.ts')).execCommand(rawArgs),
  trace: async () => (await import('./commands/trace.ts')).traceCommand(),
  inspect: async () => (await import('./commands/inspect.ts')).inspectCommand(),
  compile: async () => (await import('./commands/compile.ts')).compileCommand(),
  disasm: async () => (await import('./commands/disasm.ts')).disasmCommand(),
  explain: async () => (await import('./commands/explain.ts')).explainCommand(),
};

const EXIT_CODES_HELP = `
Exit codes:
  0  done (inspect: verified)
  1  failure (a missing file or tool, a sandbox that cannot apply)
  2  usage error (nothing ran)
  3  inspect: the bundle is tampered with or stale
  exec: once the command runs, its own status (a signal such as SIGSYS shows as 128+n in a shell)`;

/** The program, with the command `rawArgs` names registered (every command when it names none). */
export async function createProgram(rawArgs: readonly string[]): Promise<Command> {
  const first = rawArgs[0];
  const named = Object.entries(COMMANDS).filter(([name]) => first === undefined || !Object.hasOwn(COMMANDS, first) || name === first);
  const commands = await Promise.all(named.map(([, load]) => load(rawArgs)));
  const program = new Command('syscage')
    .description('pledge + unveil for Node.js on Linux: compile, inspect and apply seccomp + Landlock sandboxes')
    .version(VERSION, '-V, --version')
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .addHelpText('after', EXIT_CODES_HELP);
  for (const command of commands) {
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
  try {
    const program = await createProgram(args);
    await program.parseAsync([...args], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help asked for (--help, `help`, `help COMMAND`) and --version are done; help shown because
      // something was missing or unknown (no command, `help NOSUCH`) is a usage error, as commander
      // says with a non-zero code.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      if (error.code === 'commander.help' && error.exitCode === 0) return EXIT.ok;
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
