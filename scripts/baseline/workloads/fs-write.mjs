// Workload: file-system writes, sync and async, inside a fresh directory under SYSCAGE_WORK_DIR:
// create/append/truncate, mkdir -p, rename, copy (copyFile, cp), links, chmod/chown/utimes,
// fsync/fdatasync, writev, write streams, mkdtemp, rm -r.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const fs = await import('node:fs');
const os = await import('node:os');
const { join } = await import('node:path');
const { once } = await import('node:events');

const root = fs.mkdtempSync(join(process.env.SYSCAGE_WORK_DIR ?? os.tmpdir(), 'mkdtemp-'));
const file = join(root, 'a.txt');
const uid = process.getuid();
const gid = process.getgid();

fs.writeFileSync(file, 'first\n');
fs.appendFileSync(file, 'second\n');
fs.writeFileSync(join(root, 'exclusive.txt'), 'x', { flag: 'wx' });
const fd = fs.openSync(file, 'r+');
fs.writeSync(fd, 'over', 0);
fs.writevSync(fd, [Buffer.from('a'), Buffer.from('b')], 10);
fs.ftruncateSync(fd, 8);
fs.fsyncSync(fd);
fs.fdatasyncSync(fd);
fs.fchmodSync(fd, 0o640);
fs.fchownSync(fd, uid, gid);
fs.futimesSync(fd, new Date(), new Date());
fs.closeSync(fd);
fs.mkdirSync(join(root, 'd', 'e', 'f'), { recursive: true });
fs.mkdirSync(join(root, 'plain'));
fs.renameSync(join(root, 'plain'), join(root, 'renamed'));
fs.copyFileSync(file, join(root, 'copy.txt'));
fs.cpSync(join(root, 'd'), join(root, 'd2'), { recursive: true });
fs.symlinkSync(file, join(root, 'symlink'));
fs.readlinkSync(join(root, 'symlink'));
fs.linkSync(file, join(root, 'hardlink'));
fs.chmodSync(file, 0o600);
fs.chownSync(file, uid, gid);
fs.lchownSync(join(root, 'symlink'), uid, gid);
fs.utimesSync(file, new Date(), new Date());
fs.lutimesSync(join(root, 'symlink'), new Date(), new Date());
fs.truncateSync(join(root, 'copy.txt'), 2);
fs.unlinkSync(join(root, 'hardlink'));
fs.rmdirSync(join(root, 'renamed'));
fs.mkdtempSync(join(root, 'mkdtemp-'));

const p = fs.promises;
await p.writeFile(join(root, 'b.txt'), 'async');
await p.appendFile(join(root, 'b.txt'), ' more');
await p.mkdir(join(root, 'x', 'y'), { recursive: true });
await p.rename(join(root, 'b.txt'), join(root, 'c.txt'));
await p.copyFile(join(root, 'c.txt'), join(root, 'c2.txt'));
await p.cp(join(root, 'x'), join(root, 'x2'), { recursive: true });
await p.symlink(join(root, 'c.txt'), join(root, 'c-link'));
await p.link(join(root, 'c.txt'), join(root, 'c-hard'));
await p.chmod(join(root, 'c.txt'), 0o644);
await p.chown(join(root, 'c.txt'), uid, gid);
await p.utimes(join(root, 'c.txt'), new Date(), new Date());
await p.truncate(join(root, 'c2.txt'), 1);
await p.unlink(join(root, 'c-hard'));
await p.rmdir(join(root, 'x', 'y'));
await p.mkdtemp(join(root, 'mkdtemp-'));
const handle = await p.open(join(root, 'd.txt'), 'w+');
await handle.write('handle');
await handle.writev([Buffer.from('1'), Buffer.from('2')]);
await handle.truncate(3);
await handle.sync();
await handle.datasync();
await handle.chmod(0o600);
await handle.utimes(new Date(), new Date());
await handle.close();
await new Promise((done, fail) => fs.writeFile(join(root, 'cb.txt'), 'callback', (e) => (e ? fail(e) : done())));

const stream = fs.createWriteStream(join(root, 'stream.txt'), { flags: 'a' });
for (let i = 0; i < 100; i++) stream.write(`line ${i}\n`);
stream.end();
await once(stream, 'finish');

await p.rm(join(root, 'x2'), { recursive: true });
fs.rmSync(root, { recursive: true, force: true });
