/**
 * fs.read: reading files and metadata, sync, callback, promises, streams, FileHandle, watchers,
 * and loading modules from disk. Everything reads the shared fixture tree (`ctx.fixtures`, laid out
 * by `fixtures.mjs`), which no operation writes.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { define, expectCode, readText, sleep, within } from './util.mjs';

/** @param {{ fixtures: string }} ctx @param {string} name */
const at = (ctx, name) => join(ctx.fixtures, name);
const names = (list) => list.map((entry) => (typeof entry === 'string' ? entry : entry.name)).sort().join(',');

const whole = define(['fs.read'], {
  'fs.readFileSync': { covers: ['fs.readFileSync'], run: async (ctx) => fs.readFileSync(at(ctx, 'in.txt'), 'utf8') },
  'fs.readFile.callback': { covers: ['fs.readFile'], run: async (ctx) => promisify(fs.readFile)(at(ctx, 'in.txt'), 'utf8') },
  'fs.promises.readFile': { covers: ['fs/promises.readFile'], run: async (ctx) => fsp.readFile(at(ctx, 'in.txt'), 'utf8') },
  'fs.promises.readFile.1MiB': async (ctx) => (await fsp.readFile(at(ctx, 'big.bin'))).length,
  'fs.readFileSync.url': async (ctx) => fs.readFileSync(pathToFileURL(at(ctx, 'in.txt')), 'utf8'),
  'fs.readFileSync.proc-self-status': async () => fs.readFileSync('/proc/self/status', 'utf8').startsWith('Name:'),
  'fs.readFileSync.enoent': async (ctx) => expectCode(() => fs.readFileSync(at(ctx, 'missing.txt')), 'ENOENT'),
});

const metadata = define(['fs.read'], {
  'fs.statSync': { covers: ['fs.statSync'], run: async (ctx) => fs.statSync(at(ctx, 'in.txt')).size },
  'fs.stat.callback': { covers: ['fs.stat'], run: async (ctx) => (await promisify(fs.stat)(at(ctx, 'in.txt'))).size },
  'fs.promises.stat': { covers: ['fs/promises.stat'], run: async (ctx) => (await fsp.stat(at(ctx, 'in.txt'))).size },
  'fs.statSync.bigint': async (ctx) => typeof fs.statSync(at(ctx, 'in.txt'), { bigint: true }).size,
  'fs.lstatSync.symlink': { covers: ['fs.lstatSync'], run: async (ctx) => fs.lstatSync(at(ctx, 'link')).isSymbolicLink() },
  'fs.promises.lstat': { covers: ['fs/promises.lstat'], run: async (ctx) => (await fsp.lstat(at(ctx, 'link'))).isSymbolicLink() },
  'fs.existsSync': { covers: ['fs.existsSync'], run: async (ctx) => `${fs.existsSync(at(ctx, 'in.txt'))} ${fs.existsSync(at(ctx, 'missing.txt'))}` },
  'fs.accessSync.R_OK': { covers: ['fs.accessSync'], run: async (ctx) => fs.accessSync(at(ctx, 'in.txt'), fs.constants.R_OK) },
  'fs.promises.access': { covers: ['fs/promises.access'], run: async (ctx) => fsp.access(at(ctx, 'in.txt')) },
  'fs.accessSync.enoent': async (ctx) => expectCode(() => fs.accessSync(at(ctx, 'missing.txt')), 'ENOENT'),
  'fs.statfsSync': { covers: ['fs.statfsSync'], run: async (ctx) => typeof fs.statfsSync(ctx.fixtures).bsize },
  'fs.promises.statfs': { covers: ['fs/promises.statfs'], run: async (ctx) => typeof (await fsp.statfs(ctx.fixtures)).bsize },
  'fs.realpathSync': { covers: ['fs.realpathSync'], run: async (ctx) => fs.realpathSync(at(ctx, 'link')) === at(ctx, 'in.txt') },
  'fs.realpathSync.native': { covers: ['fs.realpathSync.native'], run: async (ctx) => fs.realpathSync.native(at(ctx, 'link')) === at(ctx, 'in.txt') },
  'fs.promises.realpath': { covers: ['fs/promises.realpath'], run: async (ctx) => (await fsp.realpath(at(ctx, 'link'))) === at(ctx, 'in.txt') },
  'fs.readlinkSync': { covers: ['fs.readlinkSync'], run: async (ctx) => fs.readlinkSync(at(ctx, 'link')) },
  'fs.promises.readlink': { covers: ['fs/promises.readlink'], run: async (ctx) => fsp.readlink(at(ctx, 'link')) },
  'process.chdir': { covers: ['process.chdir'], run: async (ctx) => {
    const before = process.cwd();
    process.chdir(join(ctx.fixtures, 'sub'));
    try {
      return fs.readFileSync('a.txt', 'utf8');
    } finally {
      process.chdir(before);
    }
  } },
});

const directories = define(['fs.read'], {
  'fs.readdirSync': { covers: ['fs.readdirSync'], run: async (ctx) => names(fs.readdirSync(join(ctx.fixtures, 'sub'))) },
  'fs.readdir.withFileTypes': { covers: ['fs.readdir'], run: async (ctx) => names(await promisify(fs.readdir)(join(ctx.fixtures, 'sub'), { withFileTypes: true })) },
  'fs.promises.readdir.recursive': { covers: ['fs/promises.readdir'], run: async (ctx) => (await fsp.readdir(join(ctx.fixtures, 'sub'), { recursive: true })).sort().join(',') },
  'fs.promises.opendir': { covers: ['fs/promises.opendir', 'fs.Dir'], run: async (ctx) => {
    const seen = [];
    for await (const entry of await fsp.opendir(join(ctx.fixtures, 'sub'))) seen.push(entry.name);
    return names(seen);
  } },
  'fs.opendirSync.readSync': { covers: ['fs.opendirSync', 'fs.Dir'], run: async (ctx) => {
    const dir = fs.opendirSync(join(ctx.fixtures, 'sub'));
    const seen = [];
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) seen.push(entry.name);
    dir.closeSync();
    return names(seen);
  } },
  'fs.globSync': { covers: ['fs.globSync'], minNode: 22, run: async (ctx) => fs.globSync('sub/**/*.txt', { cwd: ctx.fixtures }).sort().join(',') },
  'fs.promises.glob': { covers: ['fs/promises.glob'], minNode: 22, run: async (ctx) => { const seen = []; for await (const path of fsp.glob('*.txt', { cwd: ctx.fixtures })) seen.push(path); return seen.sort().join(','); } },
});

const descriptors = define(['fs.read'], {
  'fs.openSync-readSync-position': { covers: ['fs.openSync', 'fs.readSync', 'fs.fstatSync', 'fs.closeSync'], run: async (ctx) => {
    const fd = fs.openSync(at(ctx, 'in.txt'), 'r');
    try {
      const buffer = Buffer.alloc(7);
      fs.readSync(fd, buffer, 0, 7, 6);
      return `${buffer} ${fs.fstatSync(fd).size}`;
    } finally {
      fs.closeSync(fd);
    }
  } },
  'fs.read.callback-position': { covers: ['fs.open', 'fs.read'], run: async (ctx) => {
    const fd = await promisify(fs.open)(at(ctx, 'in.txt'), 'r');
    try {
      const { bytesRead, buffer } = await promisify(fs.read)(fd, { buffer: Buffer.alloc(5), position: 0 });
      return `${bytesRead} ${buffer}`;
    } finally {
      fs.closeSync(fd);
    }
  } },
  'fs.readvSync': { covers: ['fs.readvSync'], run: async (ctx) => {
    const fd = fs.openSync(at(ctx, 'in.txt'), 'r');
    try {
      const parts = [Buffer.alloc(5), Buffer.alloc(9)];
      return `${fs.readvSync(fd, parts, 0)} ${parts.join('|')}`;
    } finally {
      fs.closeSync(fd);
    }
  } },
  'filehandle.read-stat': { covers: ['fs/promises.open', 'FileHandle.read', 'FileHandle.stat', 'FileHandle.close'], run: async (ctx) => {
    const handle = await fsp.open(at(ctx, 'in.txt'), 'r');
    try {
      const { bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
      return `${bytesRead} ${(await handle.stat()).size}`;
    } finally {
      await handle.close();
    }
  } },
  'filehandle.readFile': { covers: ['FileHandle.readFile'], run: async (ctx) => {
    const handle = await fsp.open(at(ctx, 'in.txt'));
    try {
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } },
  'filehandle.readLines': { covers: ['FileHandle.readLines'], run: async (ctx) => {
    const handle = await fsp.open(at(ctx, 'lines.txt'));
    const lines = [];
    for await (const line of handle.readLines()) lines.push(line);
    return lines.join('|');
  } },
  'filehandle.createReadStream': { covers: ['FileHandle.createReadStream'], run: async (ctx) => {
    const handle = await fsp.open(at(ctx, 'in.txt'));
    return readText(handle.createReadStream({ encoding: 'utf8' }));
  } },
});

const streams = define(['fs.read'], {
  'fs.createReadStream': { covers: ['fs.createReadStream', 'fs.ReadStream'], run: async (ctx) => readText(fs.createReadStream(at(ctx, 'in.txt'))) },
  'fs.createReadStream.range-1MiB': async (ctx) => {
    let total = 0;
    for await (const chunk of fs.createReadStream(at(ctx, 'big.bin'), { start: 1024, highWaterMark: 16 * 1024 })) total += chunk.length;
    return total;
  },
  'readline.over-file-stream': async (ctx) => {
    const lines = [];
    for await (const line of readline.createInterface({ input: fs.createReadStream(at(ctx, 'lines.txt')), crlfDelay: Infinity })) lines.push(line);
    return lines.join('|');
  },
});

const watchers = define(['fs.read'], {
  'fs.watch.start-close': { covers: ['fs.watch'], run: async (ctx) => {
    const watcher = fs.watch(ctx.fixtures);
    await sleep(10);
    watcher.close();
    await within(once(watcher, 'close'), 2000, 'watcher close');
  } },
  'fs.promises.watch.abort': { covers: ['fs/promises.watch'], run: async (ctx) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    try {
      for await (const _ of fsp.watch(ctx.fixtures, { signal: controller.signal })) break;
    } catch (error) {
      if (/** @type {Error} */ (error).name !== 'AbortError') throw error;
    }
    return 'aborted';
  } },
});

/** The callback forms of functions whose sync or promise twin is a case above, and blobs, web streams, env files. */
const callbacks = define(['fs.read'], {
  'fs.lstat.callback': { covers: ['fs.lstat'], run: async (ctx) => (await promisify(fs.lstat)(at(ctx, 'link'))).isSymbolicLink() },
  'fs.access.callback': { covers: ['fs.access'], run: async (ctx) => promisify(fs.access)(at(ctx, 'in.txt'), fs.constants.R_OK) },
  'fs.exists.callback': { covers: ['fs.exists'], run: async (ctx) => new Promise((resolve) => fs.exists(at(ctx, 'in.txt'), resolve)) },
  'fs.statfs.callback': { covers: ['fs.statfs'], run: async (ctx) => typeof (await promisify(fs.statfs)(ctx.fixtures)).bsize },
  'fs.realpath.callback': { covers: ['fs.realpath'], run: async (ctx) => (await promisify(fs.realpath)(at(ctx, 'link'))) === at(ctx, 'in.txt') },
  'fs.realpath.native.callback': { covers: ['fs.realpath.native'], run: async (ctx) => (await promisify(fs.realpath.native)(at(ctx, 'link'))) === at(ctx, 'in.txt') },
  'fs.readlink.callback': { covers: ['fs.readlink'], run: async (ctx) => promisify(fs.readlink)(at(ctx, 'link')) },
  'fs.opendir.callback': {
    covers: ['fs.opendir'],
    run: async (ctx) => {
      const seen = [];
      for await (const entry of await promisify(fs.opendir)(join(ctx.fixtures, 'sub'))) seen.push(entry.name);
      return names(seen);
    },
  },
  'fs.fstat-close.callback': {
    covers: ['fs.fstat', 'fs.close'],
    run: async (ctx) => {
      const fd = fs.openSync(at(ctx, 'in.txt'), 'r');
      try {
        return (await promisify(fs.fstat)(fd)).size;
      } finally {
        await promisify(fs.close)(fd);
      }
    },
  },
  'fs.glob.callback': { minNode: 22, covers: ['fs.glob'], run: async (ctx) => (await promisify(fs.glob)('*.txt', { cwd: ctx.fixtures })).sort().join(',') },
  'fs.openAsBlob': { covers: ['fs.openAsBlob'], deniedAs: { codes: ['ERR_INVALID_ARG_VALUE'], why: 'fs.openAsBlob reports a file it could not open as an invalid argument' }, run: async (ctx) => (await fs.openAsBlob(at(ctx, 'in.txt'))).text() },
  'fs.openAsBlobSync': { minNode: 26, covers: ['fs.openAsBlobSync'], deniedAs: { codes: ['ERR_INVALID_ARG_VALUE'], why: 'fs.openAsBlobSync reports a file it could not open as an invalid argument' }, run: async (ctx) => /** @type {any} */ (fs).openAsBlobSync(at(ctx, 'in.txt')).text() },
  'filehandle.readableWebStream': {
    covers: ['FileHandle.readableWebStream'],
    run: async (ctx) => {
      const handle = await fsp.open(at(ctx, 'in.txt'));
      try {
        return await readText(handle.readableWebStream());
      } finally {
        await handle.close();
      }
    },
  },
  'process.loadEnvFile': {
    covers: ['process.loadEnvFile'],
    inseparable: { 'fs.read': "process.loadEnvFile reports any file it cannot read as ENOENT, Landlock's EACCES included: the denial looks like a missing file" },
    run: async (ctx) => {
      process.loadEnvFile(at(ctx, 'env.txt'));
      const value = process.env.SYSCAGE_MATRIX_ENV;
      delete process.env.SYSCAGE_MATRIX_ENV;
      return value;
    },
  },
});

/** Node's module resolvers take any failed stat of a candidate file for "not there". */
const notFound = { codes: ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'], why: "Node's module resolver reports a failed stat as a missing module" };

const modules = define(['fs.read'], {
  'import.esm-from-disk': { deniedAs: notFound, run: async (ctx) => (await import(pathToFileURL(at(ctx, 'mod.mjs')).href)).default },
  'import.json-with-attributes': { deniedAs: notFound, run: async (ctx) => (await import(pathToFileURL(at(ctx, 'data.json')).href, { with: { type: 'json' } })).default.kind },
  'require.cjs-from-disk': { deniedAs: notFound, run: async (ctx) => createRequire(at(ctx, 'in.txt'))('./mod.cjs') },
});

/** @type {import('../operations.mjs').Operation[]} */
/**
 * Opening a named file read-only is in the Node baseline at the seccomp level (Node reads time-zone
 * data and /proc files lazily, and seccomp cannot see paths); Landlock refuses it outside the
 * declaration, with EACCES, which the verdicts count as denied. What Landlock does not govern, and
 * the implicit read set leaves readable, stays a case without a denial.
 */
const NOT_LANDLOCK = 'resolving a link or a path is not a Landlock right (readlink and realpath walk paths; they open nothing)';
const STAT_BASELINE = "stat by path is in the baseline (newfstatat, statx): Node's module loader stats every require() and import() made after the sandbox point, and Landlock does not check metadata";
const GLOB_SWALLOWS = "fs.glob answers no match where Landlock refuses to list a directory (it swallows the EACCES of readdir), and its stat of the pattern's base is the baseline's";
const BLOB_METADATA = "the blob is made from the file's metadata (stat, the baseline's); reading it fails where Landlock refuses the open, but with a DOMException (NotReadableError) that carries no errno";
const notDenied = new Map([
  ...['fs.globSync', 'fs.promises.glob', 'fs.glob.callback'].map((name) => /** @type {const} */ ([name, GLOB_SWALLOWS])),
  ...['fs.openAsBlob', 'fs.openAsBlobSync'].map((name) => /** @type {const} */ ([name, BLOB_METADATA])),
  ...['fs.statSync', 'fs.stat.callback', 'fs.promises.stat', 'fs.statSync.bigint', 'fs.lstatSync.symlink', 'fs.promises.lstat', 'fs.lstat.callback'].map((name) => /** @type {const} */ ([name, STAT_BASELINE])),
  ['fs.readFileSync.proc-self-status', "/proc/self is in the implicit read set (process.memoryUsage() and friends read it)"],
  ['fs.readFileSync.enoent', 'a missing file answers ENOENT before Landlock is asked, declared or not'],
  ...['fs.realpathSync.native', 'fs.realpathSync', 'fs.promises.realpath', 'fs.readlinkSync', 'fs.promises.readlink', 'fs.realpath.callback', 'fs.realpath.native.callback', 'fs.readlink.callback'].map((name) => /** @type {const} */ ([name, NOT_LANDLOCK])),
]);

export default [...whole, ...metadata, ...directories, ...descriptors, ...streams, ...watchers, ...modules, ...callbacks].map((op) =>
  notDenied.has(op.name) ? { ...op, inseparable: { ...op.inseparable, 'fs.read': /** @type {string} */ (notDenied.get(op.name)) } } : op,
);
