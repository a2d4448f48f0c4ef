// Workload: console output to stdout and stderr (run with pipes and with files, see ../workloads.mjs).
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

console.log('hello from console.log');
console.error('hello from console.error');
console.info({ nested: { object: [1, 2, 3] } }, 'and %s', 'formatting');
console.table([{ a: 1, b: 2 }]);
await new Promise((done) => process.stdout.write('write with a callback\n', done));
process.stderr.write('a last line on stderr\n');
