/**
 * Reads a file named on the command line, turning "no such file" and friends into one-line
 * failures instead of stack traces.
 */

import { readFileSync } from 'node:fs';
import { failure } from './exit-codes.ts';

/** The bytes of `file`. */
export function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw failure(`Cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}.`);
  }
}
