// The large program: the TypeScript compiler bundled in (some 10 MB of JavaScript), declared as
// a program that reads a data directory (TypeScript checks files' existence as it loads, which
// any path list allows). A first process that parses the program before it restarts pays for
// that parse twice.
import { sandbox } from '@syscage/runtime';
import ts from 'typescript';

sandbox({ fs: { read: ['./data'] } });

console.log(ts.version);
