// Workload: child_process.fork of a Node child with an IPC channel (the child is a full Node
// start-up, reported with the other exec'd programs).
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const cp = await import('node:child_process');
const { once } = await import('node:events');

const child = cp.fork(new URL('./fixtures/fork-child.cjs', import.meta.url), [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
child.stdout.resume();
child.stderr.resume();
const exited = once(child, 'exit');
const reply = once(child, 'message');
child.send({ ping: 1 });
await reply;
await exited;
