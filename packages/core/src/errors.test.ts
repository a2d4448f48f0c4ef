import { describe, expect, it } from 'vitest';
import { isSyscageError, SyscageError } from './errors.ts';

describe('SyscageError', () => {
  it('is recognised across copies of its module (the runtime loader carries its own)', async () => {
    // A query string makes the module loader evaluate errors.ts a second time: another class.
    const specifier = './errors.ts?copy';
    const copy = (await import(specifier)) as typeof import('./errors.ts');
    expect(copy.SyscageError).not.toBe(SyscageError);
    const fromCopy = new copy.SyscageError({ code: 'FFI_UNAVAILABLE', message: 'm.', hint: 'h.' });
    expect(fromCopy).toBeInstanceOf(SyscageError);
    expect(isSyscageError(fromCopy, 'FFI_UNAVAILABLE')).toBe(true);
    expect(new SyscageError({ code: 'INVALID_FILTER', message: 'm.' })).toBeInstanceOf(copy.SyscageError);
  });

  it('is not any error, nor an object that only looks like one', () => {
    expect(new Error('x')).not.toBeInstanceOf(SyscageError);
    expect({ name: 'SyscageError', code: 'INVALID_FILTER', message: 'x' }).not.toBeInstanceOf(SyscageError);
    expect(null).not.toBeInstanceOf(SyscageError);
  });

  it('keeps ordinary instanceof for a subclass', () => {
    class Narrower extends SyscageError {}
    expect(new SyscageError({ code: 'INVALID_FILTER', message: 'm.' })).not.toBeInstanceOf(Narrower);
    expect(new Narrower({ code: 'INVALID_FILTER', message: 'm.' })).toBeInstanceOf(Narrower);
    expect(new Narrower({ code: 'INVALID_FILTER', message: 'm.' })).toBeInstanceOf(SyscageError);
  });
});
