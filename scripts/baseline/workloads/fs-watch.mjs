// Workload: fs.watch (inotify), recursive fs.watch, fs.promises.watch and fs.watchFile (stat
// polling) on a fresh directory under SYSCAGE_WORK_DIR.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const fs = await import('node:fs');
const os = await import('node:os');
const { join } = await import('node:path');

const root = fs.mkdtempSync(join(process.env.SYSCAGE_WORK_DIR ?? os.tmpdir(), 'mkdtemp-'));
fs.mkdirSync(join(root, 'sub'));
const file = join(root, 'watched.txt');
fs.writeFileSync(file, '0');

/** Resolves on the first event, or after `ms` so a missed event cannot hang the workload. */
function firstEvent(subscribe, ms = 1500) {
  return new Promise((done) => {
    const timer = setTimeout(done, ms);
    subscribe(() => { clearTimeout(timer); done(); });
  });
}
const tick = () => new Promise((done) => setTimeout(done, 20));

const watcher = fs.watch(root);
const changed = firstEvent((cb) => watcher.once('change', cb));
await tick();
fs.writeFileSync(file, '1');
await changed;
watcher.close();

const recursive = fs.watch(root, { recursive: true });
const nested = firstEvent((cb) => recursive.once('change', cb));
await tick();
fs.writeFileSync(join(root, 'sub', 'nested.txt'), '2');
await nested;
recursive.close();

const abort = new AbortController();
const events = fs.promises.watch(root, { signal: abort.signal });
const promised = firstEvent(async (cb) => { try { for await (const _ of events) { cb(); break; } } catch {} });
await tick();
fs.writeFileSync(file, '3');
await promised;
abort.abort();

const polled = firstEvent((cb) => fs.watchFile(file, { interval: 20 }, cb));
await tick();
fs.writeFileSync(file, '44');
await polled;
fs.unwatchFile(file);

fs.rmSync(root, { recursive: true, force: true });
