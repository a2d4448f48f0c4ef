// The benchmarked read-only CLI: reads the file given on the command line (its own bundle when
// none is) and prints a summary. run.mjs bundles it once per declaration with the syscage plugin
// (the declaration below replaced by each one measured) and once without the sandbox (the
// sandbox() call stripped), so the bundles differ only by the sandbox.
import { sandbox } from '@syscage/runtime';
import { readFileSync } from 'node:fs';

sandbox({ fs: { read: true } });

const text = readFileSync(process.argv[2] ?? new URL(import.meta.url), 'utf8');
console.log(`${text.split('\n').length} lines, ${text.length} characters`);
