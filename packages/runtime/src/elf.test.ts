/** readInterpreter on real files; loading ffi-rs and calling into libc happen in child processes (test/loader.test.ts). */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readInterpreter } from './elf.ts';

describe('readInterpreter', () => {
  it("names the dynamic loader Node runs on, which tells glibc from musl", () => {
    expect(readInterpreter(process.execPath)).toMatch(/\/ld-(linux-(x86-64|aarch64)\.so\.[12]|musl-(x86_64|aarch64)\.so\.1)$/);
  });

  it('is undefined for a file that is not an ELF executable, or none at all', () => {
    expect(readInterpreter(fileURLToPath(import.meta.url))).toBeUndefined();
    expect(readInterpreter('/nonexistent/node')).toBeUndefined();
  });
});
