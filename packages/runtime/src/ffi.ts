/**
 * The one module that touches ffi-rs: it loads the native binding on first use and exposes two
 * libc calls, `prctl` and `syscall`, with errno. Nothing is loaded when this module is imported.
 *
 * Loading: ffi-rs's own entry probes for musl with `process.report.getReport()`, which costs
 * ~7 ms of a ~10 ms load. We pick the platform package (`@yuuang/ffi-rs-linux-<arch>-<gnu|musl>`)
 * ourselves (glibc unless musl's loader exists and is Node's ELF interpreter, which `elf.ts`
 * reads), list those packages as optional dependencies of our own so that they sit at a known
 * place beside us (under pnpm, ffi-rs's copy is not visible from here), and `process.dlopen` its
 * binary (~1.5 ms, no CommonJS loader); the ES module resolver finds it where it is not beside
 * us. Fallbacks: `require` of ours, of the copy next to ffi-rs, of `ffi-rs` itself. It
 * deliberately knows nothing of seccomp: the meaning of the numbers it passes belongs to
 * `seccomp.ts`.
 *
 * Built-in modules come from `process.getBuiltinModule` when needed: an ESM `import` of `node:fs`
 * alone costs ~2.5 ms of start-up (Node builds its ESM facade), for a loader that runs first.
 */
import { findLoaderArch } from './arch.ts';
import { readInterpreter } from './elf.ts';
import { loaderError } from './errors.ts';

/** A `struct sock_fprog` argument; passed to the kernel by pointer. */
export interface SockFprog {
  /** Number of 8-byte instructions in `filter` (`unsigned short len`). */
  readonly len: number;
  /** The `struct sock_filter` array; ffi-rs passes a pointer to these bytes. */
  readonly filter: Uint8Array;
}

/** One argument of {@link syscall}: an integer, a `struct sock_fprog` or raw bytes, the last two passed by pointer. */
export type SyscallArg = number | SockFprog | Uint8Array;

/** What a libc call returned. */
export interface NativeResult {
  /** The C return value. */
  readonly value: number;
  /** `errno` when `value === -1`, else 0 (ffi-rs reads errno late; only a -1 makes it meaningful). */
  readonly errno: number;
}

/** Which binding was loaded, and what loading it cost. */
export interface FfiInfo {
  /** The package the native binding came from: a platform package, or `ffi-rs` as the fallback. */
  readonly source: string;
  /** How it was found: next to us, through the ES module resolver, by `require` (the fallbacks), or named by the image before a restart. */
  readonly via: 'beside' | 'resolver' | 'require' | 'restart';
  /** Wall time of the load, in milliseconds. */
  readonly loadMs: number;
  /** The file loaded: the native binary, or the module `require` loaded. */
  readonly file: string;
}

/** The part of ffi-rs's native binding we use (identical in ffi-rs and its platform packages). */
interface FfiBinding {
  readonly DataType: { readonly I16: number; readonly I32: number; readonly I64: number; readonly U8Array: number };
  readonly FFITypeTag: { readonly Array: number };
  open(params: { library: string; path: string }): void;
  load(params: {
    library: string;
    funcName: string;
    retType: unknown;
    paramsType: unknown[];
    paramsValue: unknown[];
    errno: true;
    freeResultMemory: false;
  }): { value: number; errnoCode: number };
}

/** Our private name for `dlopen(NULL)`, so it cannot clash with another ffi-rs user's `libc`. */
const LIBRARY = 'syscage:libc';

interface Loaded {
  readonly binding: FfiBinding;
  readonly info: FfiInfo;
}

let loaded: Loaded | undefined;

/**
 * Milliseconds on a monotonic clock. Not `performance.now()`: the `performance` global loads
 * `node:perf_hooks` on first use (~1 ms of start-up) in a program that may never touch it.
 */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Loads the native binding once and opens libc; later calls return the first result.
 *
 * @throws `FFI_UNAVAILABLE` when neither the platform package nor ffi-rs can be loaded.
 */
export function loadFfi(): FfiInfo {
  return (loaded ??= load()).info;
}

/**
 * Opens the native binary `file` as the binding, where the process already knows which one: a
 * restarted image is told by the image before it (reexec.ts's marker), and so finds it without a
 * lookup. Later calls return the first result.
 *
 * @throws `FFI_UNAVAILABLE` when `file` cannot be opened as ffi-rs's binding.
 */
export function useFfiBinary(file: string): FfiInfo {
  if (loaded !== undefined) return loaded.info;
  const started = nowMs();
  try {
    if (!file.endsWith('.node')) throw new Error(`${file} is not a native binary`);
    const module = { exports: {} as FfiBinding };
    process.dlopen(module, file);
    module.exports.open({ library: LIBRARY, path: '' });
    loaded = { binding: module.exports, info: { source: file, via: 'restart', loadMs: nowMs() - started, file } };
    return loaded.info;
  } catch (error) {
    throw ffiUnavailable([error]);
  }
}

/** The native binary the binding came from, when one was opened directly (not through ffi-rs's entry). */
export function loadedFfiBinary(): string | undefined {
  const file = loaded?.info.file;
  return file !== undefined && file.endsWith('.node') ? file : undefined;
}

function load(): Loaded {
  const started = nowMs();
  const failures: unknown[] = [];
  const platform = platformPackages();
  const opened = ([binding, via, file]: [FfiBinding, FfiInfo['via'], string], source: string): Loaded => {
    binding.open({ library: LIBRARY, path: '' });
    return { binding, info: { source, via, loadMs: nowMs() - started, file } };
  };
  // Our own optional dependency, its binary opened directly: no CommonJS loader. Then the CommonJS
  // way: ours, the copy next to ffi-rs (an install that skipped ours), ffi-rs's entry (which finds
  // its platform package itself).
  for (const name of platform) {
    try {
      return opened(dlopenPackage(name), name);
    } catch (error) {
      failures.push(error);
    }
  }
  const { createRequire } = process.getBuiltinModule('node:module');
  let ours: NodeJS.Require | undefined;
  let nearFfiRs: NodeJS.Require | undefined;
  const fromUs = (): NodeJS.Require => (ours ??= createRequire(import.meta.url));
  const besideFfiRs = (): NodeJS.Require => (nearFfiRs ??= createRequire(fromUs().resolve('ffi-rs')));
  type Candidate = [source: string, from: () => NodeJS.Require];
  const candidates: Candidate[] = [...platform.map((name): Candidate => [name, fromUs]), ...platform.map((name): Candidate => [name, besideFfiRs]), ['ffi-rs', fromUs]];
  for (const [source, from] of candidates) {
    try {
      return opened([from()(source) as FfiBinding, 'require', from().resolve(source)], source);
    } catch (error) {
      failures.push(error);
    }
  }
  throw ffiUnavailable(failures);
}

/**
 * Where a dependency of ours sits relative to this file (dist/), tried before resolving: in the
 * workspace, `<runtime>/node_modules/<dep>`; installed (npm's hoisting, pnpm's store), a sibling of
 * `@syscage/runtime` in the same `node_modules`. A hit saves the resolver's package.json walk.
 */
const DEPENDENCY_DIRS = ['../node_modules/', '../../../'];

/**
 * Opens the native binary of a platform package (`@yuuang/ffi-rs-linux-x64-gnu` ships
 * `ffi-rs.linux-x64-gnu.node` as its `main`): found next to us, else through the ES module
 * resolver (`import.meta.resolve` is absent where a bundler copied this module into CommonJS).
 */
function dlopenPackage(name: string): [FfiBinding, FfiInfo['via'], string] {
  const { existsSync } = process.getBuiltinModule('node:fs');
  const { fileURLToPath } = process.getBuiltinModule('node:url');
  const binary = `${name.slice(name.indexOf('/') + 1).replace('ffi-rs-', 'ffi-rs.')}.node`;
  let file = DEPENDENCY_DIRS.map((dir) => fileURLToPath(new URL(`${dir}${name}/${binary}`, import.meta.url))).find((candidate) => existsSync(candidate));
  const via = file === undefined ? 'resolver' : 'beside';
  if (file === undefined) {
    if (typeof import.meta.resolve !== 'function') throw new Error('no ES module resolver here (a copy bundled into CommonJS)');
    file = fileURLToPath(import.meta.resolve(name));
  }
  if (!file.endsWith('.node')) throw new Error(`${name} resolves to ${file}, not a native binary`);
  const module = { exports: {} as FfiBinding };
  process.dlopen(module, file);
  return [module.exports, via, file];
}

/**
 * Calls libc's `prctl(option, arg2, arg3, arg4, arg5)`.
 *
 * `prctl` is variadic and ffi-rs only makes fixed-arity calls. Calling it as if it took five
 * 64-bit integers is ABI-tolerated on Linux x86_64 (SysV) and aarch64 (AAPCS64): variadic integer
 * arguments travel in the same registers as fixed ones (on x86_64 a variadic caller also sets
 * `%al` to the number of vector registers used; the callee only uses it to decide whether to
 * spill them, so a stray value is harmless). It is not a guarantee of the C standard.
 */
export function prctl(option: number, arg2 = 0, arg3 = 0, arg4 = 0, arg5 = 0): NativeResult {
  const { I32, I64 } = binding().DataType;
  return call('prctl', I32, [I64, I64, I64, I64, I64], [option, arg2, arg3, arg4, arg5]);
}

/**
 * Calls libc's `syscall(nr, a0, a1, a2, a3)`; unused arguments are 0. Integers must be safe
 * integers; a {@link SockFprog} is passed as a pointer to the struct.
 *
 * `syscall` is variadic; the fixed-arity call with 64-bit integer (or pointer) arguments is
 * ABI-tolerated exactly as described for {@link prctl}.
 */
export function syscall(nr: number, a0: SyscallArg = 0, a1: SyscallArg = 0, a2: SyscallArg = 0, a3: SyscallArg = 0): NativeResult {
  const args = [a0, a1, a2, a3];
  const { I64 } = binding().DataType;
  return call('syscall', I64, [I64, ...args.map(argType)], [nr, ...args]);
}

/**
 * Allocates `size` bytes with libc's `malloc` and returns the address, for structures that hold
 * pointers to each other (execve's argv and envp). Never freed: the one caller replaces the
 * process image right after.
 */
export function allocNative(size: number): number {
  const address = call('malloc', binding().DataType.I64, [binding().DataType.I64], [size]).value;
  if (address === 0) throw loaderError({ code: 'OUT_OF_MEMORY', message: `malloc(${size}) failed.`, hint: 'The process is out of memory.' });
  return address;
}

/** Copies `bytes` to native memory at `address` (from {@link allocNative}). */
export function writeNative(address: number, bytes: Uint8Array): void {
  const { I64 } = binding().DataType;
  call('memcpy', I64, [I64, bytesType(bytes), I64], [address, bytes, bytes.byteLength]);
}

function binding(): FfiBinding {
  return (loaded ??= load()).binding;
}

function call(funcName: string, retType: number, paramsType: unknown[], paramsValue: unknown[]): NativeResult {
  paramsValue = paramsValue.map((value) => (value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value));
  const result = binding().load({ library: LIBRARY, funcName, retType, paramsType, paramsValue, errno: true, freeResultMemory: false });
  return { value: result.value, errno: result.value === -1 ? result.errnoCode : 0 };
}

/** ffi-rs type of one syscall argument. A struct parameter is passed by pointer. */
function argType(arg: SyscallArg): unknown {
  const { DataType, FFITypeTag } = binding();
  if (typeof arg === 'number') return DataType.I64;
  if (arg instanceof Uint8Array) return bytesType(arg);
  return {
    len: DataType.I16, // `unsigned short`; ffi-rs has no U16, and len ≤ 4096 fits.
    filter: { ffiTypeTag: FFITypeTag.Array, type: DataType.U8Array, length: arg.filter.byteLength },
  };
}

/** ffi-rs type of a byte-array argument, passed as a pointer to its bytes (what ffi-rs's `arrayConstructor` makes). */
function bytesType(bytes: Uint8Array): unknown {
  const { DataType, FFITypeTag } = binding();
  return { ffiTypeTag: FFITypeTag.Array, type: DataType.U8Array, length: bytes.byteLength };
}

/**
 * The platform packages to try, best first; empty when we cannot tell (ffi-rs then decides).
 * glibc unless a musl dynamic loader is installed and Node is linked against it: the ELF read is
 * made only where musl is present at all (a glibc system may have both).
 */
function platformPackages(): string[] {
  const arch = findLoaderArch();
  if (process.platform !== 'linux' || arch === undefined) return [];
  const muslLoader = `/lib/ld-musl-${arch.name}.so.1`;
  if (!process.getBuiltinModule('node:fs').existsSync(muslLoader)) return [`@yuuang/ffi-rs-linux-${arch.nodeArch}-gnu`];
  const interpreter = readInterpreter(process.execPath);
  const libc = interpreter?.includes('ld-musl') ? 'musl' : interpreter?.includes('ld-linux') ? 'gnu' : undefined;
  return libc === undefined ? [] : [`@yuuang/ffi-rs-linux-${arch.nodeArch}-${libc}`];
}

function ffiUnavailable(failures: unknown[]): Error {
  const last = failures.at(-1);
  const why = last instanceof Error ? last.message.split('\n')[0] : String(last);
  return loaderError({
    code: 'FFI_UNAVAILABLE',
    message: `cannot load ffi-rs's native binding for ${process.platform}-${process.arch} (${why}).`,
    hint: "Install dependencies with optional dependencies enabled (ffi-rs ships its binary as @yuuang/ffi-rs-<platform>), or declare unsupported: 'warn' for development.",
    cause: failures.length === 1 ? last : new AggregateError(failures, 'every ffi-rs load path failed'),
  });
}
