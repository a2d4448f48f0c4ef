/**
 * The one error class of syscage, with a closed set of codes. Every error says what happened,
 * where (when there is a place), and what to do about it. It does not format for a terminal: callers
 * (bundler plugins, the CLI, the loader) decide how to show it.
 */

/** The closed set of error codes. Adding one is a deliberate change of the public contract. */
export const ERROR_CODES = [
  'UNKNOWN_SYSCALL',
  'UNKNOWN_CAPABILITY',
  'INVALID_CAPABILITY',
  'INVALID_CONDITION',
  'DUPLICATE_RULE',
  'UNREACHABLE_RULE',
  'INVALID_ACTION',
  'INVALID_POLICY',
  'DECLARATION_NOT_STATIC',
  'FILTER_TOO_LARGE',
  'INVALID_FILTER',
  'UNSUPPORTED_ARCH',
  'UNSUPPORTED_PLATFORM',
  'SECCOMP_UNAVAILABLE',
  'LANDLOCK_UNAVAILABLE',
  'FFI_UNAVAILABLE',
  'API_MISUSE',
  'ALREADY_APPLIED',
  'NOT_MAIN_THREAD',
  'RESTART_FAILED',
  'EXEC_FAILED',
  'PRIVILEGE_DROP_FAILED',
  'OUT_OF_MEMORY',
] as const;

/** A code from {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A place in a source file, 1-based like editors show it. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** What a {@link SyscageError} is made from. */
export interface SyscageErrorInit {
  readonly code: ErrorCode;
  /** What happened, in one sentence. */
  readonly message: string;
  /** What to do about it. */
  readonly hint?: string;
  readonly location?: SourceLocation;
  readonly cause?: unknown;
}

/** Marks every SyscageError, whichever copy of this module made it (see `Symbol.hasInstance`). */
const BRAND = Symbol.for('syscage.error');

/**
 * The error every syscage package throws. `message` is the full line a person reads:
 * `file:line:col: what happened. what to do.`
 *
 * `instanceof SyscageError` holds for an error made by any copy of this class: the runtime's
 * loader carries its own copy (one module load less before the sandbox), and a bundler may copy
 * the packages into a program.
 */
export class SyscageError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== SyscageError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  override readonly name = 'SyscageError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;
  /** The message without location and hint. */
  readonly reason: string;

  constructor(init: SyscageErrorInit) {
    super(formatMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.hint = init.hint;
    this.location = init.location;
    this.reason = init.message;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

function formatMessage(init: SyscageErrorInit): string {
  const where = init.location ? `${init.location.file}:${init.location.line}:${init.location.column}: ` : '';
  return init.hint ? `${where}${init.message} ${init.hint}` : `${where}${init.message}`;
}

/** True when `value` is a {@link SyscageError}, optionally with the given code. */
export function isSyscageError(value: unknown, code?: ErrorCode): value is SyscageError {
  return value instanceof SyscageError && (code === undefined || value.code === code);
}
