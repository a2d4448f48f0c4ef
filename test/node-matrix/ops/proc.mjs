/**
 * Processes, threads, signals and terminals: child_process (spawn, exec, execFile, fork, the sync
 * forms; children inherit the sandbox), worker_threads, signals to other processes, and terminal
 * operations. Operations marked `tty` run with a pseudo-terminal on stdio (the harness wraps
 * them in `script`); the others get pipes.
 */
import childProcess from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { SHARE_ENV, Worker, postMessageToThread } from 'node:worker_threads';
import { define, expectCode, peers, readText, within } from './util.mjs';

const execFile = promisify(childProcess.execFile);
const exec = promisify(childProcess.exec);

/** The line of a child's stderr that names its error (Node prints the code line first). */
function firstError(stderr) {
  const lines = stderr.trim().split('\n');
  return lines.find((line) => /error|denied/i.test(line)) ?? lines[0];
}

/**
 * Resolves to a child's stdout once it has exited with status 0; otherwise fails with its stderr
 * in the message (a child refused by Landlock says "Permission denied" there).
 */
async function output(child) {
  const text = readText(child.stdout);
  const errors = child.stderr ? readText(child.stderr) : Promise.resolve('');
  const [code, signal] = await within(once(child, 'exit'), 4000, 'child exit');
  if (code !== 0) throw Object.assign(new Error(`child exited with ${code ?? signal}: ${firstError(await errors)}`), { code: 'CHILD_FAILED' });
  return (await text).trim();
}

const spawn = define(['spawn'], {
  'child_process.spawn.echo': { covers: ['child_process.spawn', 'child_process.ChildProcess'], run: async () => output(childProcess.spawn('/bin/echo', ['spawned'])) },
  'child_process.spawn.node-e': async () => output(childProcess.spawn(process.execPath, ['-e', 'console.log(1 + 1)'])),
  'child_process.spawn.node-esm-import': async () => output(childProcess.spawn(process.execPath, ['--input-type=module', '-e', 'const os = await import("node:os"); console.log(typeof os.cpus)'])),
  'child_process.spawn.shell-true': async () => output(childProcess.spawn('echo a && echo b', { shell: true })),
  'child_process.spawn.cat-stdin': async () => {
    const child = childProcess.spawn('/bin/cat');
    child.stdin.end('through cat');
    return output(child);
  },
  'child_process.spawn.readline-stdout-pipe': async () => {
    const child = childProcess.spawn('/bin/sh', ['-c', 'echo one; echo two; echo three']);
    const lines = [];
    for await (const line of readline.createInterface({ input: child.stdout })) lines.push(line);
    return lines.join('|');
  },
  'child_process.spawn.env-cwd': async (ctx) => output(childProcess.spawn('/bin/sh', ['-c', 'echo "$MATRIX_VAR $(basename "$PWD")"'], { env: { MATRIX_VAR: 'set' }, cwd: join(ctx.fixtures, 'sub') })),
  'child_process.spawn.detached': async () => {
    const child = childProcess.spawn('/bin/true', { detached: true, stdio: 'ignore' });
    const [code] = await within(once(child, 'exit'), 4000, 'detached exit');
    return code;
  },
  'child_process.spawn.enoent': async () => expectCode(() => new Promise((resolve, reject) => {
    childProcess.spawn('/nonexistent/syscage-matrix').on('error', reject).on('spawn', resolve);
  }), 'ENOENT'),
  'child_process.exec.shell': { covers: ['child_process.exec'], run: async () => (await exec('echo $((1 + 2))', { timeout: 4000 })).stdout.trim() },
  'child_process.execFile.echo': { covers: ['child_process.execFile'], run: async () => (await execFile('/bin/echo', ['file'], { timeout: 4000 })).stdout.trim() },
  'child_process.execFileSync.echo': { covers: ['child_process.execFileSync'], run: async () => childProcess.execFileSync('/bin/echo', ['sync'], { timeout: 4000 }).toString().trim() },
  'child_process.execSync.shell': { covers: ['child_process.execSync'], run: async () => childProcess.execSync('echo shell-sync', { timeout: 4000 }).toString().trim() },
  'child_process.spawnSync.true': { covers: ['child_process.spawnSync'], run: async () => {
    const result = childProcess.spawnSync('/bin/true', { timeout: 4000 });
    if (result.error) throw result.error;
    return result.status;
  } },
});

/** Runs `source` in a worker (eval) with `options` and resolves to its first message. */
async function workerMessage(source, options = {}) {
  const worker = new Worker(source, { eval: true, ...options });
  try {
    const [message] = await within(once(worker, 'message'), 4000, 'worker message');
    return message;
  } finally {
    await worker.terminate();
  }
}

const workers = define(['worker'], {
  'worker.eval-roundtrip': { covers: ['worker_threads.Worker'], run: async () => workerMessage("const { parentPort } = require('node:worker_threads'); parentPort.postMessage('from worker');") },
  'worker.workerData': async () => workerMessage("const { parentPort, workerData } = require('node:worker_threads'); parentPort.postMessage(workerData.n * 2);", { workerData: { n: 21 } }),
  'worker.shared-memory-atomics': async () => {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker("const { workerData } = require('node:worker_threads'); Atomics.store(workerData, 0, 7); Atomics.notify(workerData, 0);", { eval: true, workerData: cell });
    try {
      const result = Atomics.waitAsync(cell, 0, 0, 4000);
      if (result.async) await result.value;
      return Atomics.load(cell, 0);
    } finally {
      await worker.terminate();
    }
  },
  'worker.terminate-busy': async () => {
    const worker = new Worker('for (;;) {}', { eval: true });
    await within(once(worker, 'online'), 4000, 'worker online');
    return worker.terminate();
  },
  'worker.transfer-MessagePort': async () => {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker("const { workerData } = require('node:worker_threads'); workerData.port.postMessage('over port'); workerData.port.close();", { eval: true, workerData: { port: port2 }, transferList: [port2] });
    try {
      const [message] = await within(once(port1, 'message'), 4000, 'port message');
      return message;
    } finally {
      port1.close();
      await worker.terminate();
    }
  },
  'worker.resourceLimits': async () => workerMessage("const { parentPort, resourceLimits } = require('node:worker_threads'); parentPort.postMessage(resourceLimits.maxOldGenerationSizeMb);", { resourceLimits: { maxOldGenerationSizeMb: 32 } }),
  'worker.BroadcastChannel': async () => {
    const channel = new BroadcastChannel('matrix-worker');
    const got = new Promise((resolve) => { channel.onmessage = (event) => resolve(event.data); });
    const worker = new Worker("const c = new BroadcastChannel('matrix-worker'); c.postMessage('broadcast from worker'); c.close();", { eval: true });
    try {
      return await within(got, 4000, 'broadcast');
    } finally {
      channel.close();
      await worker.terminate();
    }
  },
  'worker.threadpool-inside': async () => workerMessage("const c = require('node:crypto'); const z = require('node:zlib'); c.pbkdf2('pw', 's', 1000, 16, 'sha256', (e, k) => z.deflate(k, (e2, d) => require('node:worker_threads').parentPort.postMessage(k.length + d.length > 0)));"),
  'worker.process-exit': async () => {
    const worker = new Worker('process.exit(3)', { eval: true });
    const [code] = await within(once(worker, 'exit'), 4000, 'worker exit');
    return code;
  },
  'worker.postMessageToThread': {
    covers: ['worker_threads.postMessageToThread'],
    run: async () => {
      const worker = new Worker("const { parentPort } = require('node:worker_threads'); process.on('workerMessage', (value) => parentPort.postMessage(value));", { eval: true });
      try {
        await within(once(worker, 'online'), 4000, 'worker online');
        const reply = within(once(worker, 'message'), 4000, 'worker reply');
        await postMessageToThread(worker.threadId, 'to thread', 2000);
        return (await reply)[0];
      } finally {
        await worker.terminate();
      }
    },
  },
  'worker.SHARE_ENV': async () => {
    process.env.SYSCAGE_MATRIX_SHARED = 'shared';
    return workerMessage("const { parentPort } = require('node:worker_threads'); parentPort.postMessage(process.env.SYSCAGE_MATRIX_SHARED);", { env: SHARE_ENV });
  },
});

/** Children inherit the sandbox, Landlock included: a child that reads a file needs fs.read. */
const spawnReading = define(['spawn', 'fs.read'], {
  'child_process.spawn.ls-dir': async (ctx) => output(childProcess.spawn('/bin/ls', [join(ctx.fixtures, 'sub')])),
  'child_process.fork.ipc': { covers: ['child_process.fork'], run: async (ctx) => {
    const child = childProcess.fork(join(ctx.fixtures, 'child.cjs'), { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const errors = readText(child.stderr);
    const exited = once(child, 'exit').then(async ([code]) => {
      throw Object.assign(new Error(`fork exited with ${code} before answering: ${firstError(await errors)}`), { code: 'CHILD_FAILED' });
    });
    const reply = within(Promise.race([once(child, 'message'), exited]), 4000, 'fork message');
    child.send({ hello: 'child' });
    const [message] = await reply;
    await within(once(child, 'exit'), 4000, 'fork exit');
    return JSON.stringify(message);
  } },
});

/**
 * mkfifo is mknodat(S_IFIFO), fs.write's (catalog/fs.ts). Node has no mkfifo, so the coreutils
 * program makes it, inside the inherited sandbox: a kill lands in that child, and is relayed here
 * so the verdict sees the sandbox's answer.
 */
const fifo = define(['spawn', 'fs.write'], {
  'mkfifo.child': async (ctx) => {
    const path = join(ctx.dir, 'fifo');
    const run = childProcess.spawnSync('mkfifo', [path], { encoding: 'utf8' });
    if (run.error) throw run.error;
    if (run.signal === 'SIGSYS') process.kill(process.pid, 'SIGSYS');
    if (run.status !== 0) throw Object.assign(new Error(`mkfifo exited with ${run.status ?? run.signal}: ${run.stderr.trim()}`), { code: 'CHILD_FAILED' });
    return statSync(path).isFIFO();
  },
});

const workerFiles = define(['worker', 'fs.read'], {
  'worker.from-file': {
    deniedAs: { codes: ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'], why: "Node's module resolver reports a failed stat as a missing module" },
    run: async (ctx) => {
      const worker = new Worker(join(ctx.fixtures, 'worker.mjs'), { workerData: 'file worker' });
      try {
        const [message] = await within(once(worker, 'message'), 4000, 'worker message');
        return message;
      } finally {
        await worker.terminate();
      }
    },
  },
});

const signals = define(['signal'], {
  'signal.kill-peer-0': { covers: ['process.kill'], run: async (ctx) => process.kill(peers(ctx).sleeperPid, 0) },
  'signal.kill-peer-SIGCONT': async (ctx) => process.kill(peers(ctx).sleeperPid, 'SIGCONT'),
  'signal.kill-parent-0': async () => process.kill(process.ppid, 0),
});

/** Signalling a child is `signal`, like any other process (spawn grants no kill). */
const signalChildren = define(['spawn', 'signal'], {
  'child_process.subprocess.kill': async () => {
    const child = childProcess.spawn('/bin/sleep', ['10'], { stdio: 'ignore' });
    await within(once(child, 'spawn'), 3000, 'spawn');
    child.kill('SIGTERM');
    const [, signal] = await within(once(child, 'exit'), 3000, 'killed child exit');
    return signal;
  },
  'child_process.spawn.abort-signal': async () => {
    const controller = new AbortController();
    const child = childProcess.spawn('/bin/sleep', ['10'], { stdio: 'ignore', signal: controller.signal });
    await within(once(child, 'spawn'), 3000, 'spawn');
    // The abort emits an AbortError on the child, and any error killing it (EPERM) after that.
    const exited = new Promise((resolve, reject) => {
      child.on('error', (error) => { if (error.name !== 'AbortError') reject(error); });
      child.on('exit', (_code, signal) => resolve(signal));
    });
    controller.abort();
    return within(exited, 3000, 'aborted child exit');
  },
  'child_process.exec.timeout': async () => {
    try {
      await exec('sleep 5', { timeout: 50 });
    } catch (error) {
      if (/** @type {{ killed?: boolean }} */ (error).killed) return /** @type {{ signal?: string }} */ (error).signal;
      throw error;
    }
    throw new Error('exec did not time out');
  },
  'signal.kill-spawned-child': async () => {
    const child = childProcess.spawn('/bin/sleep', ['10'], { stdio: 'ignore' });
    await within(once(child, 'spawn'), 3000, 'spawn');
    process.kill(/** @type {number} */ (child.pid), 'SIGKILL');
    const [, signal] = await within(once(child, 'exit'), 3000, 'child exit');
    return signal;
  },
});

const terminalNeeds = define(['tty'], {
  'tty.setRawMode': { covers: ['tty.ReadStream'], tty: true, run: async () => { process.stdin.setRawMode(true); process.stdin.setRawMode(false); process.stdin.pause(); return process.stdin.isRaw; } },
  'tty.readline-terminal': {
    tty: true,
    run: async () => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      rl.close();
      process.stdin.pause();
      return rl.terminal;
    },
  },
});

const terminalBaseline = define([], {
  'tty.stdout.columns-rows': { covers: ['tty.WriteStream'], tty: true, run: async () => typeof process.stdout.columns === 'number' && typeof process.stdout.rows === 'number' },
  'tty.console.log-on-terminal': { tty: true, run: async () => { console.log('on a terminal'); } },
  'tty.stdout.cursorTo-clearLine': { tty: true, run: async () => { process.stdout.cursorTo(0); process.stdout.clearLine(0); } },
  'tty.stdout.getColorDepth': { tty: true, run: async () => typeof process.stdout.getColorDepth() },
  'tty.isatty-on-terminal': { tty: true, run: async () => (await import('node:tty')).isatty(1) },
  'tty.stdin.read-cooked': { tty: true, run: async () => { process.stdin.resume(); process.stdin.pause(); return process.stdin.isTTY; } },
});

/** @type {import('../operations.mjs').Operation[]} */
/** Terminal modes (raw mode) are in the baseline: Node restores them at exit on any terminal. */
const MODES = 'setting terminal modes is in the baseline (Node restores them at exit whenever stdio is a terminal)';

export default [...spawn, ...spawnReading, ...fifo, ...workers, ...workerFiles, ...signals, ...signalChildren, ...terminalNeeds.map((op) => ({ ...op, inseparable: { ...op.inseparable, tty: MODES } })), ...terminalBaseline];
