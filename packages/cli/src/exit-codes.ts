/**
 * The exit codes of `syscage` (documented in the package README). `exec` is the exception: once
 * the command runs, its status and signals are the command's own, since syscage has become it.
 */

/** Exit codes, by meaning. */
export const EXIT = {
  /** Done; for `inspect`, the bundle verified. */
  ok: 0,
  /** The command could not do its job (a missing file, strace missing, the sandbox could not apply). */
  failure: 1,
  /** Wrong usage: an unknown option, capability or command; nothing ran. */
  usage: 2,
  /** `inspect`: the embedded filters or Landlock plan differ from a fresh compile (tampered or stale). */
  tampered: 3,
} as const;

/** An error that ends the command with a given exit code and a one-line message (plus a hint). */
export class CliError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(exitCode: number, message: string, hint?: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Wrong usage (exit 2): say what was wrong and what to write instead. */
export function usageError(message: string, hint?: string): CliError {
  return new CliError(EXIT.usage, message, hint);
}

/** The command could not do its job (exit 1). */
export function failure(message: string, hint?: string): CliError {
  return new CliError(EXIT.failure, message, hint);
}
