// Workload: memory and code churn: allocation, forced GC, large ArrayBuffers, hot (JIT-compiled)
// and deoptimised functions, and a WebAssembly module compiled, instantiated, tiered up and grown.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const v8 = await import('node:v8');
const vm = await import('node:vm');
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

let keep = [];
for (let round = 0; round < 20; round++) {
  const objects = [];
  for (let i = 0; i < 50_000; i++) objects.push({ i, s: `item-${i}`, a: [i, i + 1] });
  keep.push(objects.slice(0, 100));
  if (round % 5 === 0) gc();
}
for (let i = 0; i < 8; i++) new ArrayBuffer(32 * 1024 * 1024).byteLength;
Buffer.allocUnsafe(16 * 1024 * 1024).fill(1);
keep = null;
gc();

function hot(x) { return typeof x === 'number' ? x * 2 + 1 : String(x).length; }
let sum = 0;
for (let i = 0; i < 2_000_000; i++) sum += hot(i);
for (let i = 0; i < 1000; i++) sum += hot(`deopt-${i}`);
new Function('a', 'b', 'return a + b')(1, 2);
vm.runInNewContext('let t = 0; for (let i = 0; i < 100000; i++) t += i; t');

// (module (memory (export "mem") 1) (func (export "add") (param i32 i32) (result i32)
//   local.get 0 local.get 1 i32.add))
const bytes = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,
  0x03, 0x02, 0x01, 0x00,
  0x05, 0x03, 0x01, 0x00, 0x01,
  0x07, 0x0d, 0x02, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00,
  0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,
]);
const module = await WebAssembly.compile(bytes);
const { exports } = await WebAssembly.instantiate(module);
for (let i = 0; i < 1_000_000; i++) sum = exports.add(sum, 1) | 0;
exports.mem.grow(64);
new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.add(1, 2);
new WebAssembly.Memory({ initial: 1, maximum: 256, shared: true }).grow(16);
await new Promise((done) => setTimeout(done, 50));
gc();
if (Number.isNaN(sum)) throw new Error('unreachable');
