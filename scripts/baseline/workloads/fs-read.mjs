// Workload: file-system reads, sync and async (threadpool), on this directory's own files:
// readFile, open/read/fstat, stat/lstat, access/exists, readdir (+ withFileTypes), opendir,
// realpath (JS and native), statfs, readv, read streams.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const fs = await import('node:fs');
const { dirname, join } = await import('node:path');
const { fileURLToPath } = await import('node:url');
const { promisify } = await import('node:util');

const self = fileURLToPath(import.meta.url);
const dir = dirname(self);
const fixture = join(dir, 'fixtures', 'data.json');
const buffer = Buffer.alloc(64);

fs.readFileSync(self);
fs.readFileSync(fixture, 'utf8');
fs.statSync(self);
fs.lstatSync(self);
fs.existsSync(join(dir, 'does-not-exist'));
fs.accessSync(self, fs.constants.R_OK);
fs.readdirSync(dir);
fs.readdirSync(dir, { withFileTypes: true });
fs.realpathSync(self);
fs.realpathSync.native(self);
fs.statfsSync(dir);
const fd = fs.openSync(self, 'r');
fs.fstatSync(fd);
fs.readSync(fd, buffer, 0, 16, 0);
fs.readSync(fd, buffer, 0, 16, null);
fs.readvSync(fd, [Buffer.alloc(8), Buffer.alloc(8)], 0);
fs.closeSync(fd);
const dirHandle = fs.opendirSync(dir);
for (let entry = dirHandle.readSync(); entry !== null; entry = dirHandle.readSync()) entry.isFile();
dirHandle.closeSync();

await fs.promises.readFile(self);
await fs.promises.stat(self);
await fs.promises.lstat(self);
await fs.promises.access(self);
await fs.promises.readdir(dir, { withFileTypes: true });
await fs.promises.realpath(self);
await fs.promises.statfs(dir);
for await (const entry of await fs.promises.opendir(dir)) entry.isFile();
const handle = await fs.promises.open(self);
await handle.stat();
await handle.read(buffer, 0, 16, 0);
await handle.readv([Buffer.alloc(8), Buffer.alloc(8)], 0);
await handle.readFile();
await handle.close();

await promisify(fs.readFile)(fixture);
await promisify(fs.stat)(self);
await promisify(fs.realpath)(self);
await promisify(fs.realpath.native)(self);
await promisify(fs.readdir)(dir);
await promisify(fs.exists)(self).catch(() => {});

for await (const chunk of fs.createReadStream(self, { highWaterMark: 1024 })) chunk.length;
