// Workload: signals to itself: handlers for SIGUSR2/SIGINT/SIGHUP/SIGTERM/SIGWINCH, each sent with
// process.kill(process.pid), plus the existence probe kill(pid, 0).
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const { once } = await import('node:events');

// Signal handles do not keep the event loop alive: a timer does, until the signal arrives.
const keepAlive = setInterval(() => {}, 1000);
for (const signal of ['SIGUSR2', 'SIGINT', 'SIGHUP', 'SIGTERM', 'SIGWINCH']) {
  const received = once(process, signal);
  process.kill(process.pid, signal);
  await received;
  process.removeAllListeners(signal);
}
clearInterval(keepAlive);
process.kill(process.pid, 0);
