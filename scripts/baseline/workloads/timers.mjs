// Workload: timers, immediates, microtasks and timer promises; the event loop idling between them.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const { setTimeout: sleep, setImmediate: immediate } = await import('node:timers/promises');
await new Promise((done) => setTimeout(done, 20));
await new Promise((done) => setImmediate(done));
await new Promise((done) => process.nextTick(done));
await new Promise((done) => queueMicrotask(done));
await new Promise((done) => {
  let ticks = 0;
  const interval = setInterval(() => { if (++ticks === 5) { clearInterval(interval); done(); } }, 5);
});
const unref = setTimeout(() => {}, 60_000);
unref.unref();
clearTimeout(setTimeout(() => {}, 1000));
await sleep(30);
await immediate();
// AbortSignal.timeout's timer is unref'd: a ref'd one keeps the loop alive meanwhile.
const keepAlive = setTimeout(() => {}, 1000);
await new Promise((done) => AbortSignal.timeout(10).addEventListener('abort', done));
clearTimeout(keepAlive);
performance.now();
Date.now();
process.hrtime.bigint();
