// The demo's sandboxed program: may read files, nothing else. It reads the README's first line
// (allowed), then tries to write a file (not declared: the kernel kills it).
import { sandbox } from '@syscage/runtime';
sandbox({ fs: { read: true } });

import { readFileSync, writeFileSync } from 'node:fs';
const title = readFileSync(new URL('../README.md', import.meta.url), 'utf8').split('\n')[0];
console.log(`  allowed: read README.md → "${title}"`);
console.log('  now trying to write /tmp/syscage-demo.txt, which the declaration does not allow …');
writeFileSync('/tmp/syscage-demo.txt', 'should never be written');
console.log('  the write got through: the sandbox FAILED');
