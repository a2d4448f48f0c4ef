// Workload: child processes: spawn with pipes (absolute path and PATH search), stdio 'ignore',
// kill, spawnSync, execFileSync and exec (through /bin/sh). The exec'd programs' own syscalls are
// reported separately from Node's (see ../README.md).
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const cp = await import('node:child_process');
const { once } = await import('node:events');
const { promisify } = await import('node:util');

const echo = cp.spawn('/bin/echo', ['hello'], { stdio: ['ignore', 'pipe', 'pipe'] });
echo.stdout.resume();
await once(echo, 'close');
const searched = cp.spawn('true', [], { stdio: 'ignore' });
await once(searched, 'close');
const sleeper = cp.spawn('/bin/sleep', ['10'], { stdio: 'ignore' });
await once(sleeper, 'spawn');
sleeper.kill('SIGTERM');
await once(sleeper, 'close');
cp.spawnSync('/bin/sh', ['-c', 'exit 0']);
cp.execFileSync('/bin/echo', ['sync']);
await promisify(cp.exec)('echo through-a-shell');
