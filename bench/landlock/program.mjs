// The benchmarked program: optionally sandboxed (argv[2]: a declaration, or "none"), then, with
// argv[3] = "work", an fs-heavy loop over the tree in argv[4] (stat, open, read, close, readdir),
// timed inside the process after the sandbox is in place; prints the work's milliseconds.
import { sandbox } from '@syscage/runtime';
import fs from 'node:fs';
import { join } from 'node:path';

const declaration = process.argv[2] ?? 'none';
if (declaration !== 'none') sandbox(JSON.parse(declaration));
if (process.argv[3] === 'work') {
  const tree = process.argv[4] ?? '.';
  const started = performance.now();
  let bytes = 0;
  for (let round = 0; round < 20; round++) {
    for (const dir of fs.readdirSync(tree)) {
      for (const file of fs.readdirSync(join(tree, dir))) {
        const path = join(tree, dir, file);
        fs.statSync(path);
        const fd = fs.openSync(path, 'r');
        bytes += fs.readSync(fd, Buffer.alloc(64), 0, 64, 0);
        fs.closeSync(fd);
      }
    }
    await Promise.all(fs.readdirSync(tree).map((dir) => fs.promises.readFile(join(tree, dir, 'f0.txt'))));
  }
  console.log(JSON.stringify({ ms: performance.now() - started, bytes }));
}
