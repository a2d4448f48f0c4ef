// Workload: read piped stdin to its end, then echo a summary (a CLI filter's shape).
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
console.log(`read ${Buffer.concat(chunks).length} bytes from stdin`);
