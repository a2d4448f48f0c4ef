/**
 * fetch-json, built with rolldown, run in child processes on Node 20, 22, 24 and 26 against a loopback
 * http server on 8080 (the port it declares): it prints the field asked for, by IP and by name
 * (through `dns`), and fails with one line for a missing field, a non-JSON answer or an error
 * status. Port scoping (Landlock) is tested once the build carries Landlock rules.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { landlockEnforced, nodeVersions, readManifest, runExample } from '../../harness.ts';

const EXAMPLE = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(EXAMPLE, 'dist/fetch-json.js');
const DOCUMENT = { name: 'syscage', version: 1, nested: { list: ['a', 'b'], ok: true } };

/** The test's own API; it listens on every local address (Node's default), so `localhost` reaches it whichever family it resolves to. */
function startApi(port: number): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === '/data.json') response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(DOCUMENT));
    else if (request.url === '/page.html') response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>not JSON</p>');
    else response.writeHead(404).end();
  });
  return new Promise((resolve, reject) => server.once('error', reject).listen(port, () => resolve(server)));
}

let api: Server;
beforeAll(async () => (api = await startApi(8080)));
afterAll(() => new Promise((resolve) => api.close(resolve)));

describe('the manifest', () => {
  it('declares connecting to 443 and 8080 and name resolution, nothing else', () => {
    expect(readManifest(BUNDLE)).toMatchObject({ grants: ['dns', 'net.connect'], declaration: { net: { connect: [443, 8080] }, dns: true } });
  });
});

describe.each(nodeVersions())('on Node $major', ({ path: node }) => {
  const fetchJson = (...args: string[]) => runExample(BUNDLE, args, { cwd: EXAMPLE, node });

  it('prints a string field as it is', async () => {
    expect(await fetchJson('http://127.0.0.1:8080/data.json', 'name')).toEqual({ code: 0, signal: null, stdout: 'syscage\n', stderr: '' });
  });

  it('resolves a host name (dns) and prints other values as JSON', async () => {
    expect(await fetchJson('http://localhost:8080/data.json', 'nested.list.1')).toEqual({ code: 0, signal: null, stdout: 'b\n', stderr: '' });
    expect(await fetchJson('http://localhost:8080/data.json', 'nested')).toEqual({ code: 0, signal: null, stdout: `${JSON.stringify(DOCUMENT.nested, null, 2)}\n`, stderr: '' });
  });

  it('prints the whole document without a field', async () => {
    const run = await fetchJson('http://127.0.0.1:8080/data.json');
    expect([run.code, JSON.parse(run.stdout)]).toEqual([0, DOCUMENT]);
  });

  it('fails with one line for a missing field, a page that is not JSON, and a 404', async () => {
    const runs = await Promise.all([
      fetchJson('http://127.0.0.1:8080/data.json', 'nested.nope'),
      fetchJson('http://127.0.0.1:8080/page.html', 'name'),
      fetchJson('http://127.0.0.1:8080/missing.json'),
    ]);
    expect(runs.map((r) => [r.code, r.signal, r.stdout, r.stderr])).toEqual([
      [1, null, '', 'fetch-json: http://127.0.0.1:8080/data.json has no field "nested.nope"\n'],
      [1, null, '', 'fetch-json: http://127.0.0.1:8080/page.html did not answer JSON (text/html)\n'],
      [1, null, '', 'fetch-json: http://127.0.0.1:8080/missing.json answered 404 Not Found\n'],
    ]);
  });
});

describe('port scoping (Landlock)', () => {
  it.skipIf(!landlockEnforced(BUNDLE))('cannot connect to a port it did not declare', async () => {
    const other = await startApi(0);
    try {
      const run = await runExample(BUNDLE, [`http://127.0.0.1:${(other.address() as AddressInfo).port}/data.json`, 'name'], { cwd: EXAMPLE });
      expect([run.code, run.signal, run.stdout]).toEqual([1, null, '']);
      expect(run.stderr).toMatch(/^fetch-json: fetch failed: .*EACCES/);
    } finally {
      other.close();
    }
  });
});
