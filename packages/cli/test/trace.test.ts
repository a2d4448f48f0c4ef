/**
 * trace on a small Node program that reads a file and connects to a loopback port: the suggested
 * declaration names exactly that file and that port and nothing else, and running the program
 * through `syscage exec` with the suggested line works with no kill; without the read it fails.
 * Also: strace missing is a one-line failure with the install command; SIGINT or SIGTERM sent to
 * `syscage trace` reaches the traced program, and the report of what it did until then is printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from '../../../test/support/run-node.ts';
import { CLI, runCli } from './run-cli.ts';

const program = mkdtempSync(join(tmpdir(), 'syscage-cli-trace-app-'));
const cwd = mkdtempSync(join(tmpdir(), 'syscage-cli-trace-cwd-'));
const app = join(program, 'app.mjs');
let server: Server;
let port = 0;

beforeAll(async () => {
  writeFileSync(join(cwd, 'data.txt'), 'payload\n');
  writeFileSync(
    app,
    "import { readFileSync } from 'node:fs';\nimport { connect } from 'node:net';\nconsole.log(readFileSync('./data.txt', 'utf8').trim());\nconst socket = connect(Number(process.argv[2]), '127.0.0.1', () => socket.end());\nsocket.on('close', () => console.log('connected'));\n",
  );
  server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => {
  server.close();
  rmSync(program, { recursive: true, force: true });
  rmSync(cwd, { recursive: true, force: true });
});

describe('trace', () => {
  let suggestion: { declaration: unknown; exec: string; unexplained: unknown[]; exit: number; cut: string; code: string };

  beforeAll(async () => {
    const run = await runCli(['trace', '--json', '--', process.execPath, app, String(port)], { cwd });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('payload\nconnected\n');
    suggestion = JSON.parse(run.stdout);
  }, 60_000);

  it('suggests exactly the file read and the port connected, nothing else', () => {
    expect(suggestion).toMatchObject({ exit: 0, cut: 'first line', unexplained: [] });
    expect(suggestion.declaration).toEqual({ fs: { read: ['./data.txt'] }, net: { connect: [port] } });
    expect(suggestion.code).toBe(`sandbox({\n  fs: { read: ['./data.txt'] },\n  net: { connect: [${port}] },\n});`);
  });

  it('the suggestion runs the program through syscage exec with no kill', async () => {
    expect(suggestion.exec).toBe(`syscage exec --read ./data.txt --connect ${port} -- ${process.execPath} ${app} ${port}`);
    const args = suggestion.exec.split(' ').slice(1);
    const run = await runCli(args, { cwd });
    expect([run.code, run.signal, run.stdout]).toEqual([0, null, 'payload\nconnected\n']);
  });

  it('without the suggested read, the program is refused the file', async () => {
    const run = await runCli(['exec', '--connect', String(port), '--', process.execPath, app, String(port)], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("EACCES: permission denied, open './data.txt'");
  });

  it('says how to install strace when it is missing', async () => {
    const run = await runCli(['trace', '--', process.execPath, app], { cwd, env: { PATH: program } });
    expect([run.code, run.stderr]).toEqual([1, 'syscage: strace not found; install it: apt-get install strace\n']);
  });
});

describe('trace of os.networkInterfaces()', () => {
  it('names net.listen for the interface dump, and the suggestion prints the same interfaces', async () => {
    const lister = join(program, 'interfaces.mjs');
    writeFileSync(lister, "import os from 'node:os';\nconsole.log(JSON.stringify(os.networkInterfaces()));\n");
    const run = await runCli(['trace', '--json', '--', process.execPath, lister], { cwd });
    expect(run.code).toBe(0);
    const traced = JSON.parse(run.stdout) as { declaration: unknown; exec: string; unexplained: unknown[] };
    expect(traced).toMatchObject({ declaration: { net: { listen: true } }, unexplained: [] });
    const sandboxed = await runCli(traced.exec.split(' ').slice(1), { cwd });
    expect([sandboxed.code, sandboxed.signal, sandboxed.stdout]).toEqual([0, null, run.stderr]);
  }, 60_000);
});

describe('trace interrupted', () => {
  /** Runs `syscage trace ...args` and sends `signal` to it (only to it) once the program printed `ready`. */
  const interrupt = (args: readonly string[], signal: NodeJS.Signals, readyOn: 'stdout' | 'stderr') =>
    runNode([CLI, 'trace', ...args], {
      cwd,
      env: { NO_COLOR: '1' },
      timeoutMs: 50_000,
      onSpawn: (child) => {
        let seen = '';
        child[readyOn]?.on('data', (chunk: Buffer | string) => {
          if (!seen.includes('ready') && (seen += String(chunk)).includes('ready')) child.kill(signal);
        });
      },
    });

  it('passes SIGINT on to a long-running program and prints the report', async () => {
    const server = join(program, 'forever.mjs');
    writeFileSync(server, "import { readFileSync } from 'node:fs';\nreadFileSync('./data.txt');\nconsole.log('ready');\nsetInterval(() => {}, 1000);\n");
    const run = await interrupt(['--', process.execPath, server], 'SIGINT', 'stdout');
    expect([run.code, run.signal]).toEqual([0, null]);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('ready');
    expect(lines[2]).toMatch(new RegExp(`^syscage trace: ${process.execPath} ${server} was stopped by SIGINT; \\d+ syscalls counted from the program's first line\\.$`));
    expect(lines.slice(3, 8)).toEqual(['', "Suggested declaration (the program's first statement):", 'sandbox({', "  fs: { read: ['./data.txt'] },", '});']);
  }, 60_000);

  it('passes SIGTERM on: a program that shuts down on it exits 0, and the report says so', async () => {
    const graceful = join(program, 'graceful.mjs');
    writeFileSync(graceful, "import { readFileSync } from 'node:fs';\nprocess.on('SIGTERM', () => { readFileSync('./data.txt'); console.log('bye'); process.exit(0); });\nconsole.log('ready');\nsetInterval(() => {}, 1000);\n");
    const run = await interrupt(['--json', '--', process.execPath, graceful], 'SIGTERM', 'stderr');
    expect([run.code, run.signal, run.stderr]).toEqual([0, null, 'ready\nbye\n']);
    expect(JSON.parse(run.stdout)).toMatchObject({ exit: 0, interrupted: 'SIGTERM', cut: 'first line', declaration: { fs: { read: ['./data.txt'] } }, unexplained: [] });
  }, 60_000);
});
