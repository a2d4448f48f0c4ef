// Only the byte checks run here, in-process: they happen before any syscall. Installing is tested
// in child processes (test/loader.test.ts), never in the test runner.
import { describe, expect, it } from 'vitest';
import { checkFilterBytes } from './seccomp.ts';

describe('checkFilterBytes', () => {
  it('accepts a whole number of 8-byte instructions up to BPF_MAXINSNS', () => {
    expect(() => checkFilterBytes(new Uint8Array(8))).not.toThrow();
    expect(() => checkFilterBytes(new Uint8Array(4096 * 8))).not.toThrow();
  });

  it.each([
    [new Uint8Array(0), 'INVALID_FILTER', 'the seccomp filter is empty (0 bytes).'],
    [new Uint8Array(12), 'INVALID_FILTER', 'the seccomp filter is 12 bytes, not a whole number of 8-byte instructions.'],
    [new Uint8Array(4097 * 8), 'FILTER_TOO_LARGE', 'the seccomp filter has 4097 instructions; the kernel accepts at most 4096 (BPF_MAXINSNS).'],
    ['bytes', 'INVALID_FILTER', 'the seccomp filter must be a Uint8Array of struct sock_filter bytes; got string.'],
  ])('rejects %#', (bytes, code, reason) => {
    expect(() => checkFilterBytes(bytes)).toThrow(expect.objectContaining({ name: 'SyscageError', code, reason }));
  });
});
