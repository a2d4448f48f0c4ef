// In-process timings of the loader in a fresh process, as one JSON line: importing the built
// runtime (6 ES modules, unbundled), loading ffi-rs, prctl + seccomp(), and the /proc confirmation.
import { FILTERS } from './filter.mjs';

const started = performance.now();
const { installFilterOrExit } = await import('../../packages/runtime/dist/index.js');
const imported = performance.now();
const result = installFilterOrExit(new Uint8Array(FILTERS[process.arch]), { tsync: true });
const done = performance.now();
console.log(JSON.stringify({ importMs: imported - started, ffiLoadMs: result.ffi.loadMs, installMs: result.installMs, confirmMs: result.confirmMs, totalMs: done - started, threads: result.threadsConfirmed }));
