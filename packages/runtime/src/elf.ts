/**
 * Reads the one thing syscage needs from an executable's ELF headers: its interpreter
 * (`PT_INTERP`, the dynamic loader). The loader uses it to tell glibc from musl before loading
 * ffi-rs, and to let the loader's Landlock rules name the dynamic loader; the CLI uses it for the
 * programs it runs or inspects. It parses headers only, 64-bit little-endian, and never maps or
 * runs anything.
 *
 * `node:fs` comes from `process.getBuiltinModule`, as in `ffi.ts`: this runs in the loader, first.
 */

/**
 * The ELF interpreter (`PT_INTERP`) of a 64-bit little-endian executable, e.g.
 * `/lib64/ld-linux-x86-64.so.2` or `/lib/ld-musl-x86_64.so.1`; `undefined` when there is none
 * (static binary) or the file cannot be read. It names the libc Node runs on, unlike the mere
 * presence of `/lib/ld-musl-*`, which glibc systems with musl installed also have.
 */
export function readInterpreter(file: string): string | undefined {
  const { closeSync, openSync, readSync } = process.getBuiltinModule('node:fs');
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(4096);
    const size = readSync(fd, head, 0, head.length, 0);
    const isElf64Le = size >= 64 && head.readUInt32BE(0) === 0x7f454c46 && head[4] === 2 && head[5] === 1;
    if (!isElf64Le) return undefined;
    const phoff = Number(head.readBigUInt64LE(32));
    const phentsize = head.readUInt16LE(54);
    const phnum = head.readUInt16LE(56);
    for (let at = phoff; at + 48 <= size && at < phoff + phnum * phentsize; at += phentsize) {
      if (head.readUInt32LE(at) !== 3) continue; // PT_INTERP
      const text = Buffer.alloc(Math.min(Number(head.readBigUInt64LE(at + 32)), 256));
      readSync(fd, text, 0, text.length, Number(head.readBigUInt64LE(at + 8)));
      return text.toString('latin1').split('\0')[0];
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
