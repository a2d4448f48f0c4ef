// Workload: explicit `process.exit(3)` with a pending timer (skips the natural-exit path).
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

setTimeout(() => {}, 10_000);
await new Promise((done) => setTimeout(done, 10));
process.exitCode = 2;
process.exit(3);
