/**
 * static-server, built with Vite, run in child processes on Node 20, 22, 24 and 26 from its own
 * directory: it serves ./public on 8080 (the port it declares), answers 404 for what is missing or
 * outside ./public, and stops cleanly on SIGTERM. Port and path scoping (Landlock) are tested once
 * the build carries Landlock rules.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { landlockEnforced, nodeVersions, readManifest, runExample, type Run } from '../../harness.ts';

const EXAMPLE = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(EXAMPLE, 'dist/static-server.js');
const BASE = 'http://127.0.0.1:8080';

/** Starts the server, waits for its "serving" line (or its end), runs `use`, stops it with SIGTERM; resolves with how it ended (rejects, with its stderr, if `use` failed). */
async function withServer(node: string, args: readonly string[], use: () => Promise<void>): Promise<Run> {
  let child: ChildProcess | undefined;
  let markReady = (): void => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const run = runExample(BUNDLE, args, {
    cwd: EXAMPLE,
    node,
    onSpawn: (c) => {
      child = c;
      c.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('serving ') && markReady());
      c.on('close', markReady);
    },
  });
  await ready;
  let failure: unknown;
  if (child?.exitCode === null && child.signalCode === null) await use().catch((error: unknown) => (failure = error));
  child?.kill('SIGTERM');
  const ended = await run;
  if (failure) throw new Error(`requests failed (${String(failure)}); the server ended with code ${ended.code}, signal ${ended.signal}:\n${ended.stderr}`);
  return ended;
}

describe('the manifest', () => {
  it('declares listening on 8080 and reading ./public, nothing else', () => {
    expect(readManifest(BUNDLE)).toMatchObject({ grants: ['fs.read', 'net.listen'], declaration: { net: { listen: [8080] }, fs: { read: ['./public'] } } });
  });
});

describe.each(nodeVersions())('on Node $major', ({ path: node }) => {
  it('serves ./public on 8080, 404 for the rest, and stops on SIGTERM', async () => {
    const answers: Array<[number, string | null, string]> = [];
    const get = async (path: string, method = 'GET') => {
      const response = await fetch(`${BASE}${path}`, { method });
      answers.push([response.status, response.headers.get('content-type'), await response.text()]);
    };
    const run = await withServer(node, [], async () => {
      await get('/');
      await get('/data.json');
      await get('/style.css', 'HEAD');
      await get('/missing.html');
      await get('/..%2fpackage.json');
      await get('/data.json', 'POST');
    });
    const file = (name: string) => readFileSync(join(EXAMPLE, 'public', name), 'utf8');
    expect(answers).toEqual([
      [200, 'text/html; charset=utf-8', file('index.html')],
      [200, 'application/json', file('data.json')],
      [200, 'text/css; charset=utf-8', ''],
      [404, null, ''],
      [404, null, ''],
      [405, null, ''],
    ]);
    expect([run.code, run.signal, run.stderr]).toEqual([0, null, '']);
    expect(run.stdout.split('\n')).toEqual([
      'serving ./public on http://127.0.0.1:8080/',
      'GET / 200',
      'GET /data.json 200',
      'HEAD /style.css 200',
      'GET /missing.html 404',
      'GET /..%2fpackage.json 404',
      'POST /data.json 405',
      '',
    ]);
  });
});

describe('port scoping (Landlock)', () => {
  it.skipIf(!landlockEnforced(BUNDLE))('cannot listen on a port it did not declare', async () => {
    const run = await withServer(process.execPath, ['--port', '8081'], async () => undefined);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^static-server: .*EACCES/);
  });
});
