// Workload: an uncaught exception thrown from a timer (exit code 1, stack printed on stderr).
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

setTimeout(() => { throw new Error('syscage baseline: deliberate uncaught exception'); }, 10);
