/**
 * fs.write: creating, changing and removing files and directories, sync, callback, promises,
 * streams and FileHandle. Each operation works in its own private directory (`ctx.dir`, prepared
 * fresh for every run with `in.txt`, `sub/x.txt`, `sub/y.txt` and an `empty/` directory), so
 * operations in one batch never see each other's changes. fs.write includes fs.read.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { define, sleep, within } from './util.mjs';

/** @param {{ dir: string }} ctx @param {string} name */
const at = (ctx, name) => join(ctx.dir, name);
const read = (path) => fs.readFileSync(path, 'utf8');

const create = define(['fs.write'], {
  'fs.writeFileSync': { covers: ['fs.writeFileSync'], run: async (ctx) => { fs.writeFileSync(at(ctx, 'out.txt'), 'written'); return read(at(ctx, 'out.txt')); } },
  'fs.writeFile.callback': { covers: ['fs.writeFile'], run: async (ctx) => { await promisify(fs.writeFile)(at(ctx, 'out.txt'), 'written'); return read(at(ctx, 'out.txt')); } },
  'fs.promises.writeFile': { covers: ['fs/promises.writeFile'], run: async (ctx) => { await fsp.writeFile(at(ctx, 'out.txt'), 'written'); return read(at(ctx, 'out.txt')); } },
  'fs.promises.writeFile.iterable': async (ctx) => { await fsp.writeFile(at(ctx, 'out.txt'), Readable.from(['a', 'b'])); return read(at(ctx, 'out.txt')); },
  'fs.writeFileSync.r+': async (ctx) => { fs.writeFileSync(at(ctx, 'in.txt'), 'HE', { flag: 'r+' }); return read(at(ctx, 'in.txt')); },
  'fs.appendFileSync': { covers: ['fs.appendFileSync'], run: async (ctx) => { fs.appendFileSync(at(ctx, 'in.txt'), 'more'); return read(at(ctx, 'in.txt')); } },
  'fs.promises.appendFile': { covers: ['fs/promises.appendFile'], run: async (ctx) => { await fsp.appendFile(at(ctx, 'in.txt'), 'more'); return read(at(ctx, 'in.txt')); } },
  'fs.createWriteStream': { covers: ['fs.createWriteStream', 'fs.WriteStream'], run: async (ctx) => {
    const stream = fs.createWriteStream(at(ctx, 'out.txt'));
    stream.end('streamed');
    await within(once(stream, 'close'), 3000, 'write stream');
    return read(at(ctx, 'out.txt'));
  } },
  'fs.pipeline-gzip-to-file': async (ctx) => {
    await pipeline(fs.createReadStream(at(ctx, 'in.txt')), zlib.createGzip(), fs.createWriteStream(at(ctx, 'in.txt.gz')));
    return zlib.gunzipSync(fs.readFileSync(at(ctx, 'in.txt.gz'))).toString();
  },
});

const directories = define(['fs.write'], {
  'fs.mkdirSync': { covers: ['fs.mkdirSync'], run: async (ctx) => { fs.mkdirSync(at(ctx, 'made')); return fs.statSync(at(ctx, 'made')).isDirectory(); } },
  'fs.mkdirSync.recursive': async (ctx) => { fs.mkdirSync(at(ctx, 'a/b/c'), { recursive: true }); return fs.existsSync(at(ctx, 'a/b/c')); },
  'fs.mkdir.callback': { covers: ['fs.mkdir'], run: async (ctx) => { await promisify(fs.mkdir)(at(ctx, 'made')); return fs.existsSync(at(ctx, 'made')); } },
  'fs.promises.mkdir.recursive': { covers: ['fs/promises.mkdir'], run: async (ctx) => { await fsp.mkdir(at(ctx, 'a/b'), { recursive: true }); return fs.existsSync(at(ctx, 'a/b')); } },
  'fs.mkdtempSync': { covers: ['fs.mkdtempSync'], run: async (ctx) => fs.statSync(fs.mkdtempSync(at(ctx, 'tmp-'))).isDirectory() },
  'fs.promises.mkdtemp': { covers: ['fs/promises.mkdtemp'], run: async (ctx) => (await fsp.stat(await fsp.mkdtemp(at(ctx, 'tmp-')))).isDirectory() },
  'fs.promises.mkdtemp.os-tmpdir': async () => {
    const made = await fsp.mkdtemp(join(tmpdir(), 'syscage-matrix-'));
    await fsp.rm(made, { recursive: true });
    return fs.existsSync(made);
  },
  'fs.rmSync.recursive': { covers: ['fs.rmSync'], run: async (ctx) => { fs.rmSync(at(ctx, 'sub'), { recursive: true }); return fs.existsSync(at(ctx, 'sub')); } },
  'fs.promises.rm.recursive': { covers: ['fs/promises.rm'], run: async (ctx) => { await fsp.rm(at(ctx, 'sub'), { recursive: true }); return fs.existsSync(at(ctx, 'sub')); } },
  'fs.rmdirSync': { covers: ['fs.rmdirSync'], run: async (ctx) => { fs.rmdirSync(at(ctx, 'empty')); return fs.existsSync(at(ctx, 'empty')); } },
  'fs.promises.rmdir': { covers: ['fs/promises.rmdir'], run: async (ctx) => { await fsp.rmdir(at(ctx, 'empty')); return fs.existsSync(at(ctx, 'empty')); } },
});

/** Modes, owners and times are fs.write's only with `true`: Landlock cannot keep them beneath a list (core's fs.ts). */
const ATTRIBUTES = 'attribute changes (chmod, chown, utimes; copyFile and cp set modes) need fs.write: true: Landlock has no right for them, so a list could not keep them beneath its paths';

const entries = define(['fs.write'], {
  'fs.unlinkSync': { covers: ['fs.unlinkSync'], run: async (ctx) => { fs.unlinkSync(at(ctx, 'in.txt')); return fs.existsSync(at(ctx, 'in.txt')); } },
  'fs.promises.unlink': { covers: ['fs/promises.unlink'], run: async (ctx) => { await fsp.unlink(at(ctx, 'in.txt')); return fs.existsSync(at(ctx, 'in.txt')); } },
  'fs.rmSync.file': { deniedAs: { codes: ['ENOTDIR'], why: "Node 20's rimraf answers a refused unlink by trying the path as a directory" }, run: async (ctx) => { fs.rmSync(at(ctx, 'in.txt')); return fs.existsSync(at(ctx, 'in.txt')); } },
  'fs.renameSync': { covers: ['fs.renameSync'], run: async (ctx) => { fs.renameSync(at(ctx, 'in.txt'), at(ctx, 'moved.txt')); return read(at(ctx, 'moved.txt')); } },
  'fs.promises.rename': { covers: ['fs/promises.rename'], run: async (ctx) => { await fsp.rename(at(ctx, 'in.txt'), at(ctx, 'moved.txt')); return read(at(ctx, 'moved.txt')); } },
  'fs.renameSync.directory': async (ctx) => { fs.renameSync(at(ctx, 'sub'), at(ctx, 'sub2')); return fs.readdirSync(at(ctx, 'sub2')).sort().join(','); },
  'fs.copyFileSync': { covers: ['fs.copyFileSync'], unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { fs.copyFileSync(at(ctx, 'in.txt'), at(ctx, 'copy.txt')); return read(at(ctx, 'copy.txt')); } },
  'fs.copyFileSync.FICLONE': { unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { fs.copyFileSync(at(ctx, 'in.txt'), at(ctx, 'copy.txt'), fs.constants.COPYFILE_FICLONE); return read(at(ctx, 'copy.txt')); } },
  'fs.promises.copyFile.EXCL': { covers: ['fs/promises.copyFile'], unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { await fsp.copyFile(at(ctx, 'in.txt'), at(ctx, 'copy.txt'), fs.constants.COPYFILE_EXCL); return read(at(ctx, 'copy.txt')); } },
  'fs.cpSync.recursive': { covers: ['fs.cpSync'], unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { fs.cpSync(at(ctx, 'sub'), at(ctx, 'sub-copy'), { recursive: true }); return fs.readdirSync(at(ctx, 'sub-copy')).sort().join(','); } },
  'fs.promises.cp.recursive': { covers: ['fs/promises.cp'], unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { await fsp.cp(at(ctx, 'sub'), at(ctx, 'sub-copy'), { recursive: true }); return fs.readdirSync(at(ctx, 'sub-copy')).sort().join(','); } },
  'fs.symlinkSync': { covers: ['fs.symlinkSync'], run: async (ctx) => { fs.symlinkSync('in.txt', at(ctx, 'sym')); return read(at(ctx, 'sym')); } },
  'fs.promises.symlink': { covers: ['fs/promises.symlink'], run: async (ctx) => { await fsp.symlink('in.txt', at(ctx, 'sym')); return read(at(ctx, 'sym')); } },
  'fs.linkSync': { covers: ['fs.linkSync'], run: async (ctx) => { fs.linkSync(at(ctx, 'in.txt'), at(ctx, 'hard')); return fs.statSync(at(ctx, 'in.txt')).nlink; } },
  'fs.promises.link': { covers: ['fs/promises.link'], run: async (ctx) => { await fsp.link(at(ctx, 'in.txt'), at(ctx, 'hard')); return fs.statSync(at(ctx, 'in.txt')).nlink; } },
});

const attributes = define(['fs.write'], {
  'fs.chmodSync': { covers: ['fs.chmodSync'], unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { fs.chmodSync(at(ctx, 'in.txt'), 0o600); return (fs.statSync(at(ctx, 'in.txt')).mode & 0o777).toString(8); } },
  'fs.promises.chmod': { covers: ['fs/promises.chmod'], unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { await fsp.chmod(at(ctx, 'in.txt'), 0o640); return (fs.statSync(at(ctx, 'in.txt')).mode & 0o777).toString(8); } },
  'fs.chownSync.self': { covers: ['fs.chownSync'], unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { const { uid, gid } = fs.statSync(at(ctx, 'in.txt')); fs.chownSync(at(ctx, 'in.txt'), uid, gid); } },
  'fs.promises.lchown.self': { covers: ['fs/promises.lchown'], unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { const { uid, gid } = fs.lstatSync(at(ctx, 'in.txt')); await fsp.lchown(at(ctx, 'in.txt'), uid, gid); } },
  'fs.utimesSync': { covers: ['fs.utimesSync'], unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { fs.utimesSync(at(ctx, 'in.txt'), 1000, 2000); return fs.statSync(at(ctx, 'in.txt')).mtimeMs; } },
  'fs.promises.utimes': { covers: ['fs/promises.utimes'], unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { await fsp.utimes(at(ctx, 'in.txt'), 1000, 3000); return fs.statSync(at(ctx, 'in.txt')).mtimeMs; } },
  'fs.lutimesSync': { covers: ['fs.lutimesSync'], unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { fs.symlinkSync('in.txt', at(ctx, 'sym')); fs.lutimesSync(at(ctx, 'sym'), 1000, 4000); return fs.lstatSync(at(ctx, 'sym')).mtimeMs; } },
  'fs.truncateSync': { covers: ['fs.truncateSync'], run: async (ctx) => { fs.truncateSync(at(ctx, 'in.txt'), 5); return read(at(ctx, 'in.txt')); } },
  'fs.promises.truncate': { covers: ['fs/promises.truncate'], run: async (ctx) => { await fsp.truncate(at(ctx, 'in.txt'), 4); return read(at(ctx, 'in.txt')); } },
});

const descriptors = define(['fs.write'], {
  'fs.openSync.w-writeSync-fsyncSync': { covers: ['fs.writeSync', 'fs.fsyncSync', 'fs.fdatasyncSync'], run: async (ctx) => {
    const fd = fs.openSync(at(ctx, 'out.txt'), 'w');
    try {
      fs.writeSync(fd, 'sync write');
      fs.fsyncSync(fd);
      fs.fdatasyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return read(at(ctx, 'out.txt'));
  } },
  'fs.openSync.a+': async (ctx) => {
    const fd = fs.openSync(at(ctx, 'in.txt'), 'a+');
    try {
      fs.writeSync(fd, 'tail');
      return fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  },
  'fs.openSync.wx': async (ctx) => { fs.closeSync(fs.openSync(at(ctx, 'new.txt'), 'wx')); return fs.existsSync(at(ctx, 'new.txt')); },
  'fs.writevSync': { covers: ['fs.writevSync'], run: async (ctx) => {
    const fd = fs.openSync(at(ctx, 'out.txt'), 'w');
    try {
      return fs.writevSync(fd, [Buffer.from('a'), Buffer.from('bc')]);
    } finally {
      fs.closeSync(fd);
    }
  } },
  'fs.write.callback-position': { covers: ['fs.write'], run: async (ctx) => {
    const fd = fs.openSync(at(ctx, 'in.txt'), 'r+');
    try {
      await promisify(fs.write)(fd, 'J', 0);
    } finally {
      fs.closeSync(fd);
    }
    return read(at(ctx, 'in.txt'));
  } },
  'filehandle.write-sync-datasync': { covers: ['FileHandle.write', 'FileHandle.sync', 'FileHandle.datasync'], run: async (ctx) => {
    const handle = await fsp.open(at(ctx, 'out.txt'), 'w');
    try {
      await handle.write('handle');
      await handle.sync();
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return read(at(ctx, 'out.txt'));
  } },
  'filehandle.writeFile-appendFile': { covers: ['FileHandle.writeFile', 'FileHandle.appendFile'], run: async (ctx) => {
    const handle = await fsp.open(at(ctx, 'out.txt'), 'w+');
    try {
      await handle.writeFile('one');
      await handle.appendFile('two');
    } finally {
      await handle.close();
    }
    return read(at(ctx, 'out.txt'));
  } },
  'filehandle.r+-pwrite': async (ctx) => {
    const handle = await fsp.open(at(ctx, 'in.txt'), 'r+');
    try {
      await handle.write('J', 0);
    } finally {
      await handle.close();
    }
    return read(at(ctx, 'in.txt'));
  },
  'filehandle.chmod-utimes-truncate': {
    covers: ['FileHandle.chmod', 'FileHandle.utimes', 'FileHandle.truncate'],
    unscoped: { 'fs.write': ATTRIBUTES },
    run: async (ctx) => {
      const handle = await fsp.open(at(ctx, 'in.txt'), 'r+');
      try {
        await handle.chmod(0o600);
        await handle.utimes(1000, 5000);
        await handle.truncate(3);
      } finally {
        await handle.close();
      }
      return read(at(ctx, 'in.txt'));
    },
  },
  'fs.watchFile.change': { covers: ['fs.watchFile', 'fs.unwatchFile'], run: async (ctx) => {
    const file = at(ctx, 'in.txt');
    const changed = new Promise((resolve) => fs.watchFile(file, { interval: 5 }, (current) => resolve(current.size)));
    try {
      await sleep(20);
      fs.writeFileSync(file, 'changed');
      return await within(changed, 3000, 'watchFile change');
    } finally {
      fs.unwatchFile(file);
    }
  } },
  'fs.watch.change-event': async (ctx) => {
    const watcher = fs.watch(ctx.dir);
    try {
      const event = once(watcher, 'change');
      await sleep(5);
      fs.writeFileSync(at(ctx, 'watched.txt'), 'x');
      const [type, name] = await within(event, 3000, 'watch event');
      return `${type} ${name}`;
    } finally {
      watcher.close();
    }
  },
});

/** Opens `name` in `ctx.dir` read-write, runs `use(fd)`, closes. */
async function onFd(ctx, name, /** @type {(fd: number) => unknown} */ use) {
  const fd = fs.openSync(at(ctx, name), 'r+');
  try {
    return await use(fd);
  } finally {
    fs.closeSync(fd);
  }
}

const mode = (path) => (fs.statSync(path).mode & 0o777).toString(8);
const p = promisify;

/** The callback and descriptor forms of functions whose sync or promise twin is a case above. */
const callbacks = define(['fs.write'], {
  'fs.appendFile.callback': { covers: ['fs.appendFile'], run: async (ctx) => { await p(fs.appendFile)(at(ctx, 'in.txt'), 'more'); return read(at(ctx, 'in.txt')); } },
  'fs.mkdtemp.callback': { covers: ['fs.mkdtemp'], run: async (ctx) => fs.statSync(await p(fs.mkdtemp)(at(ctx, 'tmp-'))).isDirectory() },
  'fs.rm.callback': { covers: ['fs.rm'], run: async (ctx) => { await p(fs.rm)(at(ctx, 'sub'), { recursive: true }); return fs.existsSync(at(ctx, 'sub')); } },
  'fs.rmdir.callback': { covers: ['fs.rmdir'], run: async (ctx) => { await p(fs.rmdir)(at(ctx, 'empty')); return fs.existsSync(at(ctx, 'empty')); } },
  'fs.unlink.callback': { covers: ['fs.unlink'], run: async (ctx) => { await p(fs.unlink)(at(ctx, 'in.txt')); return fs.existsSync(at(ctx, 'in.txt')); } },
  'fs.rename.callback': { covers: ['fs.rename'], run: async (ctx) => { await p(fs.rename)(at(ctx, 'in.txt'), at(ctx, 'moved.txt')); return read(at(ctx, 'moved.txt')); } },
  'fs.symlink.callback': { covers: ['fs.symlink'], run: async (ctx) => { await p(fs.symlink)('in.txt', at(ctx, 'sym')); return read(at(ctx, 'sym')); } },
  'fs.link.callback': { covers: ['fs.link'], run: async (ctx) => { await p(fs.link)(at(ctx, 'in.txt'), at(ctx, 'hard')); return fs.statSync(at(ctx, 'in.txt')).nlink; } },
  'fs.truncate.callback': { covers: ['fs.truncate'], run: async (ctx) => { await p(fs.truncate)(at(ctx, 'in.txt'), 5); return read(at(ctx, 'in.txt')); } },
  'fs.ftruncate-ftruncateSync': { covers: ['fs.ftruncate', 'fs.ftruncateSync'], run: async (ctx) => { await onFd(ctx, 'in.txt', async (fd) => { fs.ftruncateSync(fd, 8); await p(fs.ftruncate)(fd, 4); }); return read(at(ctx, 'in.txt')); } },
  'fs.fsync-fdatasync.callback': { covers: ['fs.fsync', 'fs.fdatasync'], run: async (ctx) => onFd(ctx, 'in.txt', async (fd) => { fs.writeSync(fd, 'J'); await p(fs.fsync)(fd); await p(fs.fdatasync)(fd); return fs.readFileSync(at(ctx, 'in.txt'), 'utf8'); }) },
  'fs.writev.callback': { covers: ['fs.writev'], run: async (ctx) => onFd(ctx, 'in.txt', async (fd) => { await p(fs.writev)(fd, [Buffer.from('J'), Buffer.from('E')], 0); return fs.readFileSync(at(ctx, 'in.txt'), 'utf8'); }) },
  'filehandle.writev-createWriteStream': {
    covers: ['FileHandle.writev', 'FileHandle.createWriteStream'],
    run: async (ctx) => {
      const handle = await fsp.open(at(ctx, 'out.txt'), 'w');
      await handle.writev([Buffer.from('a'), Buffer.from('b')]);
      const stream = handle.createWriteStream();
      stream.end('c');
      await within(once(stream, 'close'), 3000, 'handle write stream');
      return read(at(ctx, 'out.txt'));
    },
  },
  'fs.mkdtempDisposableSync': { minNode: 24, covers: ['fs.mkdtempDisposableSync'], run: async (ctx) => { const made = /** @type {any} */ (fs).mkdtempDisposableSync(at(ctx, 'tmp-')); const was = fs.statSync(made.path).isDirectory(); made.remove(); return `${was} ${fs.existsSync(made.path)}`; } },
  'fs.promises.mkdtempDisposable': { minNode: 24, covers: ['fs/promises.mkdtempDisposable'], run: async (ctx) => { const made = await /** @type {any} */ (fsp).mkdtempDisposable(at(ctx, 'tmp-')); const was = fs.statSync(made.path).isDirectory(); await made.remove(); return `${was} ${fs.existsSync(made.path)}`; } },
  'fs.Utf8Stream': {
    minNode: 24,
    covers: ['fs.Utf8Stream'],
    run: async (ctx) => {
      const stream = new (/** @type {any} */ (fs).Utf8Stream)({ dest: at(ctx, 'out.txt'), sync: true });
      const closed = once(stream, 'close');
      stream.write('utf8 stream');
      stream.end();
      await within(closed, 3000, 'Utf8Stream close');
      return read(at(ctx, 'out.txt'));
    },
  },
});

/** The callback and descriptor forms of the attribute changes: fs.write: true only, like their twins. */
const attributeCallbacks = define(['fs.write'], {
  'fs.copyFile.callback': { covers: ['fs.copyFile'], run: async (ctx) => { await p(fs.copyFile)(at(ctx, 'in.txt'), at(ctx, 'copy.txt')); return read(at(ctx, 'copy.txt')); } },
  'fs.cp.callback': { covers: ['fs.cp'], run: async (ctx) => { await p(fs.cp)(at(ctx, 'sub'), at(ctx, 'sub-copy'), { recursive: true }); return fs.readdirSync(at(ctx, 'sub-copy')).sort().join(','); } },
  'fs.chmod.callback': { covers: ['fs.chmod'], run: async (ctx) => { await p(fs.chmod)(at(ctx, 'in.txt'), 0o600); return mode(at(ctx, 'in.txt')); } },
  'fs.fchmod-fchmodSync': { covers: ['fs.fchmod', 'fs.fchmodSync'], run: async (ctx) => { await onFd(ctx, 'in.txt', async (fd) => { fs.fchmodSync(fd, 0o600); await p(fs.fchmod)(fd, 0o640); }); return mode(at(ctx, 'in.txt')); } },
  'fs.chown.callback-promises.self': { covers: ['fs.chown', 'fs/promises.chown'], run: async (ctx) => { const { uid, gid } = fs.statSync(at(ctx, 'in.txt')); await p(fs.chown)(at(ctx, 'in.txt'), uid, gid); await fsp.chown(at(ctx, 'in.txt'), uid, gid); } },
  'fs.lchown-lchownSync.self': { covers: ['fs.lchown', 'fs.lchownSync'], run: async (ctx) => { const { uid, gid } = fs.lstatSync(at(ctx, 'in.txt')); fs.lchownSync(at(ctx, 'in.txt'), uid, gid); await p(fs.lchown)(at(ctx, 'in.txt'), uid, gid); } },
  'fs.fchown-fchownSync.self': { covers: ['fs.fchown', 'fs.fchownSync'], run: async (ctx) => onFd(ctx, 'in.txt', async (fd) => { const { uid, gid } = fs.fstatSync(fd); fs.fchownSync(fd, uid, gid); await p(fs.fchown)(fd, uid, gid); }) },
  'filehandle.chown.self': { covers: ['FileHandle.chown'], run: async (ctx) => { const handle = await fsp.open(at(ctx, 'in.txt'), 'r+'); try { const { uid, gid } = await handle.stat(); await handle.chown(uid, gid); } finally { await handle.close(); } } },
  'fs.utimes.callback': { covers: ['fs.utimes'], run: async (ctx) => { await p(fs.utimes)(at(ctx, 'in.txt'), 1000, 2000); return fs.statSync(at(ctx, 'in.txt')).mtimeMs; } },
  'fs.lutimes.callback-promises': { covers: ['fs.lutimes', 'fs/promises.lutimes'], run: async (ctx) => { fs.symlinkSync('in.txt', at(ctx, 'sym')); await p(fs.lutimes)(at(ctx, 'sym'), 1000, 4000); await fsp.lutimes(at(ctx, 'sym'), 1000, 5000); return fs.lstatSync(at(ctx, 'sym')).mtimeMs; } },
  'fs.futimes-futimesSync': { covers: ['fs.futimes', 'fs.futimesSync'], run: async (ctx) => { await onFd(ctx, 'in.txt', async (fd) => { fs.futimesSync(fd, 1000, 2000); await p(fs.futimes)(fd, 1000, 3000); }); return fs.statSync(at(ctx, 'in.txt')).mtimeMs; } },
});

/** @type {import('../operations.mjs').Operation[]} */
export default [
  ...create, ...directories, ...entries, ...attributes, ...descriptors, ...callbacks,
  ...attributeCallbacks.map((op) => ({ ...op, unscoped: { 'fs.write': ATTRIBUTES } })),
];
