// The benchmarked read-only CLI: reads a file given on the command line and prints a summary.
// run.mjs bundles it twice, with the syscage plugin (the declaration below applied first) and
// without it (the sandbox() call stripped), so both bundles differ only by the sandbox.
import { sandbox } from '@syscage/runtime';
import { readFileSync } from 'node:fs';

sandbox({ fs: { read: true } });

const text = readFileSync(process.argv[2] ?? new URL(import.meta.url), 'utf8');
console.log(`${text.split('\n').length} lines, ${text.length} characters`);
