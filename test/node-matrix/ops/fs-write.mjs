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
  'fs.writeFileSync': async (ctx) => { fs.writeFileSync(at(ctx, 'out.txt'), 'written'); return read(at(ctx, 'out.txt')); },
  'fs.writeFile.callback': async (ctx) => { await promisify(fs.writeFile)(at(ctx, 'out.txt'), 'written'); return read(at(ctx, 'out.txt')); },
  'fs.promises.writeFile': async (ctx) => { await fsp.writeFile(at(ctx, 'out.txt'), 'written'); return read(at(ctx, 'out.txt')); },
  'fs.promises.writeFile.iterable': async (ctx) => { await fsp.writeFile(at(ctx, 'out.txt'), Readable.from(['a', 'b'])); return read(at(ctx, 'out.txt')); },
  'fs.writeFileSync.r+': async (ctx) => { fs.writeFileSync(at(ctx, 'in.txt'), 'HE', { flag: 'r+' }); return read(at(ctx, 'in.txt')); },
  'fs.appendFileSync': async (ctx) => { fs.appendFileSync(at(ctx, 'in.txt'), 'more'); return read(at(ctx, 'in.txt')); },
  'fs.promises.appendFile': async (ctx) => { await fsp.appendFile(at(ctx, 'in.txt'), 'more'); return read(at(ctx, 'in.txt')); },
  'fs.createWriteStream': async (ctx) => {
    const stream = fs.createWriteStream(at(ctx, 'out.txt'));
    stream.end('streamed');
    await within(once(stream, 'close'), 3000, 'write stream');
    return read(at(ctx, 'out.txt'));
  },
  'fs.pipeline-gzip-to-file': async (ctx) => {
    await pipeline(fs.createReadStream(at(ctx, 'in.txt')), zlib.createGzip(), fs.createWriteStream(at(ctx, 'in.txt.gz')));
    return zlib.gunzipSync(fs.readFileSync(at(ctx, 'in.txt.gz'))).toString();
  },
});

const directories = define(['fs.write'], {
  'fs.mkdirSync': async (ctx) => { fs.mkdirSync(at(ctx, 'made')); return fs.statSync(at(ctx, 'made')).isDirectory(); },
  'fs.mkdirSync.recursive': async (ctx) => { fs.mkdirSync(at(ctx, 'a/b/c'), { recursive: true }); return fs.existsSync(at(ctx, 'a/b/c')); },
  'fs.mkdir.callback': async (ctx) => { await promisify(fs.mkdir)(at(ctx, 'made')); return fs.existsSync(at(ctx, 'made')); },
  'fs.promises.mkdir.recursive': async (ctx) => { await fsp.mkdir(at(ctx, 'a/b'), { recursive: true }); return fs.existsSync(at(ctx, 'a/b')); },
  'fs.mkdtempSync': async (ctx) => fs.statSync(fs.mkdtempSync(at(ctx, 'tmp-'))).isDirectory(),
  'fs.promises.mkdtemp': async (ctx) => (await fsp.stat(await fsp.mkdtemp(at(ctx, 'tmp-')))).isDirectory(),
  'fs.promises.mkdtemp.os-tmpdir': async () => {
    const made = await fsp.mkdtemp(join(tmpdir(), 'syscage-matrix-'));
    await fsp.rm(made, { recursive: true });
    return fs.existsSync(made);
  },
  'fs.rmSync.recursive': async (ctx) => { fs.rmSync(at(ctx, 'sub'), { recursive: true }); return fs.existsSync(at(ctx, 'sub')); },
  'fs.promises.rm.recursive': async (ctx) => { await fsp.rm(at(ctx, 'sub'), { recursive: true }); return fs.existsSync(at(ctx, 'sub')); },
  'fs.rmdirSync': async (ctx) => { fs.rmdirSync(at(ctx, 'empty')); return fs.existsSync(at(ctx, 'empty')); },
  'fs.promises.rmdir': async (ctx) => { await fsp.rmdir(at(ctx, 'empty')); return fs.existsSync(at(ctx, 'empty')); },
});

/** Modes, owners and times are fs.write's only with `true`: Landlock cannot keep them beneath a list (core's fs.ts). */
const ATTRIBUTES = 'attribute changes (chmod, chown, utimes; copyFile and cp set modes) need fs.write: true: Landlock has no right for them, so a list could not keep them beneath its paths';

const entries = define(['fs.write'], {
  'fs.unlinkSync': async (ctx) => { fs.unlinkSync(at(ctx, 'in.txt')); return fs.existsSync(at(ctx, 'in.txt')); },
  'fs.promises.unlink': async (ctx) => { await fsp.unlink(at(ctx, 'in.txt')); return fs.existsSync(at(ctx, 'in.txt')); },
  'fs.rmSync.file': async (ctx) => { fs.rmSync(at(ctx, 'in.txt')); return fs.existsSync(at(ctx, 'in.txt')); },
  'fs.renameSync': async (ctx) => { fs.renameSync(at(ctx, 'in.txt'), at(ctx, 'moved.txt')); return read(at(ctx, 'moved.txt')); },
  'fs.promises.rename': async (ctx) => { await fsp.rename(at(ctx, 'in.txt'), at(ctx, 'moved.txt')); return read(at(ctx, 'moved.txt')); },
  'fs.renameSync.directory': async (ctx) => { fs.renameSync(at(ctx, 'sub'), at(ctx, 'sub2')); return fs.readdirSync(at(ctx, 'sub2')).sort().join(','); },
  'fs.copyFileSync': { unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { fs.copyFileSync(at(ctx, 'in.txt'), at(ctx, 'copy.txt')); return read(at(ctx, 'copy.txt')); } },
  'fs.copyFileSync.FICLONE': { unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { fs.copyFileSync(at(ctx, 'in.txt'), at(ctx, 'copy.txt'), fs.constants.COPYFILE_FICLONE); return read(at(ctx, 'copy.txt')); } },
  'fs.promises.copyFile.EXCL': { unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { await fsp.copyFile(at(ctx, 'in.txt'), at(ctx, 'copy.txt'), fs.constants.COPYFILE_EXCL); return read(at(ctx, 'copy.txt')); } },
  'fs.cpSync.recursive': { unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { fs.cpSync(at(ctx, 'sub'), at(ctx, 'sub-copy'), { recursive: true }); return fs.readdirSync(at(ctx, 'sub-copy')).sort().join(','); } },
  'fs.promises.cp.recursive': { unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { await fsp.cp(at(ctx, 'sub'), at(ctx, 'sub-copy'), { recursive: true }); return fs.readdirSync(at(ctx, 'sub-copy')).sort().join(','); } },
  'fs.symlinkSync': async (ctx) => { fs.symlinkSync('in.txt', at(ctx, 'sym')); return read(at(ctx, 'sym')); },
  'fs.promises.symlink': async (ctx) => { await fsp.symlink('in.txt', at(ctx, 'sym')); return read(at(ctx, 'sym')); },
  'fs.linkSync': async (ctx) => { fs.linkSync(at(ctx, 'in.txt'), at(ctx, 'hard')); return fs.statSync(at(ctx, 'in.txt')).nlink; },
  'fs.promises.link': async (ctx) => { await fsp.link(at(ctx, 'in.txt'), at(ctx, 'hard')); return fs.statSync(at(ctx, 'in.txt')).nlink; },
});

const attributes = define(['fs.write'], {
  'fs.chmodSync': { unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { fs.chmodSync(at(ctx, 'in.txt'), 0o600); return (fs.statSync(at(ctx, 'in.txt')).mode & 0o777).toString(8); } },
  'fs.promises.chmod': { unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { await fsp.chmod(at(ctx, 'in.txt'), 0o640); return (fs.statSync(at(ctx, 'in.txt')).mode & 0o777).toString(8); } },
  'fs.chownSync.self': { unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { const { uid, gid } = fs.statSync(at(ctx, 'in.txt')); fs.chownSync(at(ctx, 'in.txt'), uid, gid); } },
  'fs.promises.lchown.self': { unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { const { uid, gid } = fs.lstatSync(at(ctx, 'in.txt')); await fsp.lchown(at(ctx, 'in.txt'), uid, gid); } },
  'fs.utimesSync': { unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { fs.utimesSync(at(ctx, 'in.txt'), 1000, 2000); return fs.statSync(at(ctx, 'in.txt')).mtimeMs; } },
  'fs.promises.utimes': { unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { await fsp.utimes(at(ctx, 'in.txt'), 1000, 3000); return fs.statSync(at(ctx, 'in.txt')).mtimeMs; } },
  'fs.lutimesSync': { unscoped: { 'fs.write': ATTRIBUTES }, run: async (ctx) => { fs.symlinkSync('in.txt', at(ctx, 'sym')); fs.lutimesSync(at(ctx, 'sym'), 1000, 4000); return fs.lstatSync(at(ctx, 'sym')).mtimeMs; } },
  'fs.truncateSync': async (ctx) => { fs.truncateSync(at(ctx, 'in.txt'), 5); return read(at(ctx, 'in.txt')); },
  'fs.promises.truncate': async (ctx) => { await fsp.truncate(at(ctx, 'in.txt'), 4); return read(at(ctx, 'in.txt')); },
});

const descriptors = define(['fs.write'], {
  'fs.openSync.w-writeSync-fsyncSync': async (ctx) => {
    const fd = fs.openSync(at(ctx, 'out.txt'), 'w');
    try {
      fs.writeSync(fd, 'sync write');
      fs.fsyncSync(fd);
      fs.fdatasyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return read(at(ctx, 'out.txt'));
  },
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
  'fs.writevSync': async (ctx) => {
    const fd = fs.openSync(at(ctx, 'out.txt'), 'w');
    try {
      return fs.writevSync(fd, [Buffer.from('a'), Buffer.from('bc')]);
    } finally {
      fs.closeSync(fd);
    }
  },
  'fs.write.callback-position': async (ctx) => {
    const fd = fs.openSync(at(ctx, 'in.txt'), 'r+');
    try {
      await promisify(fs.write)(fd, 'J', 0);
    } finally {
      fs.closeSync(fd);
    }
    return read(at(ctx, 'in.txt'));
  },
  'filehandle.write-sync-datasync': async (ctx) => {
    const handle = await fsp.open(at(ctx, 'out.txt'), 'w');
    try {
      await handle.write('handle');
      await handle.sync();
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return read(at(ctx, 'out.txt'));
  },
  'filehandle.writeFile-appendFile': async (ctx) => {
    const handle = await fsp.open(at(ctx, 'out.txt'), 'w+');
    try {
      await handle.writeFile('one');
      await handle.appendFile('two');
    } finally {
      await handle.close();
    }
    return read(at(ctx, 'out.txt'));
  },
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
  'fs.watchFile.change': async (ctx) => {
    const file = at(ctx, 'in.txt');
    const changed = new Promise((resolve) => fs.watchFile(file, { interval: 5 }, (current) => resolve(current.size)));
    try {
      await sleep(20);
      fs.writeFileSync(file, 'changed');
      return await within(changed, 3000, 'watchFile change');
    } finally {
      fs.unwatchFile(file);
    }
  },
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

/** @type {import('../operations.mjs').Operation[]} */
export default [...create, ...directories, ...entries, ...attributes, ...descriptors];
