/**
 * Lays out the files the operations use, always outside any sandbox (in the harness): one shared
 * read-only fixture tree per matrix run, and a fresh private directory per operation per child
 * run, so that writes never leak between runs.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Files of the shared fixture tree, by relative path. */
const FIXTURE_FILES = {
  'in.txt': 'hello syscage\n',
  'lines.txt': 'alpha\nbeta\ngamma\n',
  'sub/a.txt': 'a\n',
  'sub/b.txt': 'b\n',
  'sub/deep/c.txt': 'c\n',
  'mod.mjs': "export default 'esm from disk';\n",
  'mod.cjs': "module.exports = 'cjs from disk';\n",
  'data.json': '{ "kind": "json from disk" }\n',
  'env.txt': 'SYSCAGE_MATRIX_ENV=from file\n',
  'child.cjs': "process.on('message', (m) => { process.send({ echo: m }); process.disconnect(); });\n",
  'worker.mjs': "import { parentPort, workerData } from 'node:worker_threads';\nparentPort.postMessage(workerData);\n",
};

/** Files of every operation's private directory. */
const PRIVATE_FILES = {
  'in.txt': 'hello syscage\n',
  'sub/x.txt': 'x\n',
  'sub/y.txt': 'y\n',
};

/** @param {string} root @param {Record<string, string>} files */
function writeTree(root, files) {
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  }
}

/**
 * Creates the shared fixture tree in `dir` (which must not exist yet) and returns `dir`.
 *
 * @param {string} dir
 */
export function prepareFixtures(dir) {
  mkdirSync(dir, { recursive: true });
  writeTree(dir, FIXTURE_FILES);
  writeFileSync(join(dir, 'big.bin'), Buffer.alloc(1 << 20, 0x5a));
  symlinkSync('in.txt', join(dir, 'link'));
  mkdirSync(join(dir, 'empty'));
  return dir;
}

/**
 * Creates `runDir/<name>` for each operation name, with the private files and an `empty/`
 * directory, and returns `runDir`.
 *
 * @param {string} runDir
 * @param {readonly string[]} names
 */
export function prepareOpDirs(runDir, names) {
  for (const name of names) {
    const dir = join(runDir, name);
    writeTree(dir, PRIVATE_FILES);
    mkdirSync(join(dir, 'empty'));
  }
  return runDir;
}
