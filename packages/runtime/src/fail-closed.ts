/**
 * The fail-closed end of every entry point (`sandbox()`, `narrow()`, the loader's gate and
 * launcher, `installFilterOrExit`): one line on stderr, `syscage: <message> <hint>` as the error
 * made it (errors.ts), then exit 1, so that the program never runs without the sandbox it
 * declared. Written synchronously, so the line is out before the exit. It does not decide what is
 * a failure: callers catch and hand the error here.
 */

/**
 * Prints `syscage: <message>` as one line to stderr and exits with code 1.
 * @example
 * try { applySandbox(prepared); } catch (error) { failClosed(error); }
 */
export function failClosed(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.getBuiltinModule('node:fs').writeSync(2, `syscage: ${message.replaceAll('\n', ' ')}\n`);
  process.exit(1);
}
