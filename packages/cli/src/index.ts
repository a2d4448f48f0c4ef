/**
 * `syscage`: the command line (`exec`, `trace`, `inspect`, `compile`, `disasm`, `explain`). The
 * package is used through its `syscage` bin; this module exports the runner and the exit codes
 * for tools that embed it.
 */
export { run } from './program.ts';
export { EXIT } from './exit-codes.ts';
