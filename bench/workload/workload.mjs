// A syscall-heavy workload, sandboxed when SYSCAGE_BENCH_SANDBOX=1: a sync fs loop, an http
// request loop over loopback, and a GC-heavy loop. Prints the milliseconds each part took,
// measured inside the process after the sandbox is in place.
import { sandbox } from '@syscage/runtime';
if (process.env.SYSCAGE_BENCH_SANDBOX === '1') sandbox({ fs: { read: true }, net: { connect: true, listen: true } });

import { readFileSync, statSync } from 'node:fs';
import http from 'node:http';

const file = new URL(import.meta.url);
const timed = async (fn) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

const fsLoop = () => {
  for (let i = 0; i < 20_000; i++) {
    statSync(file);
    readFileSync(file);
  }
};

const httpLoop = async () => {
  const server = http.createServer((_, res) => res.end('ok'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const agent = new http.Agent({ keepAlive: false });
  for (let i = 0; i < 400; i++) {
    await new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, agent }, (res) => res.resume().on('end', resolve)).on('error', reject);
    });
  }
  server.close();
};

const gcLoop = () => {
  let keep = [];
  for (let i = 0; i < 3_000_000; i++) {
    keep.push({ i, s: `v${i}` });
    if (keep.length > 100_000) keep = [];
  }
};

console.log(JSON.stringify({ fs: await timed(fsLoop), http: await timed(httpLoop), gc: await timed(gcLoop) }));
