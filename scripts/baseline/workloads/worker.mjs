// Workload: worker_threads: a worker started from source, Atomics.wait/notify on shared memory,
// messages both ways, a MessageChannel, one worker that ends by itself and one terminated.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const { Worker, MessageChannel } = await import('node:worker_threads');
const { once } = await import('node:events');

const source = `
const { parentPort, workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData);
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
parentPort.on('message', (n) => {
  parentPort.postMessage(n * 2);
  if (n === 3) parentPort.close();
});
`;
const shared = new SharedArrayBuffer(4);
const flag = new Int32Array(shared);
const worker = new Worker(source, { eval: true, workerData: shared });
// Listen for 'exit' before the last reply: both can be delivered in the same turn.
const exited = once(worker, 'exit');
Atomics.wait(flag, 0, 0, 5000);
for (const n of [1, 2, 3]) {
  const reply = once(worker, 'message');
  worker.postMessage(n);
  await reply;
}
await exited;

const looping = new Worker('setInterval(() => {}, 1000)', { eval: true });
await once(looping, 'online');
await looping.terminate();

const { port1, port2 } = new MessageChannel();
port2.postMessage('x');
await once(port1, 'message');
port1.close();
