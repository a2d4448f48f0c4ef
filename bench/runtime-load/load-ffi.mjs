// Usage: node load-ffi.mjs <direct|ffi-rs>
// Times one way of loading ffi-rs's native binding (and opening libc) in a fresh process.
import { createRequire } from 'node:module';

const way = process.argv[2];
let ms;
if (way === 'direct') {
  const { loadFfi } = await import('../../packages/runtime/dist/ffi.js');
  const info = loadFfi(); // the runtime's own path: ELF interpreter → platform package
  if (info.source === 'ffi-rs') throw new Error('the runtime fell back to ffi-rs; nothing to compare');
  ms = info.loadMs;
} else {
  const started = performance.now();
  const require = createRequire(createRequire(new URL('../../packages/runtime/package.json', import.meta.url)).resolve('ffi-rs'));
  require('ffi-rs').open({ library: 'libc', path: '' });
  ms = performance.now() - started;
}
console.log(JSON.stringify({ way, ms }));
