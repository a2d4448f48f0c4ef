/**
 * The demonstration hook (`--try write|connect|spawn`): after printing its summary, the program
 * attempts one thing its declaration does not allow, so you can watch the kernel stop it. Each
 * attempt is ordinary Node code, what a careless or compromised dependency might do. If an attempt
 * returns at all (succeeds or fails with an ordinary error), the sandbox did not stop it: the
 * program says so and exits 1. The build's lint warns that `node:net` and `node:child_process` are
 * imported without their capabilities; for this module that warning is exactly right.
 */

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export const ATTEMPTS = ['write', 'connect', 'spawn'] as const;
export type Attempt = (typeof ATTEMPTS)[number];

/** The TCP syslog port: forwarding the summary to a collector there is the connect attempt. */
const COLLECTOR = { host: '127.0.0.1', port: 514 };

/** What each attempt does, as printed before it runs. */
export function describeAttempt(kind: Attempt, logDir: string): string {
  switch (kind) {
    case 'write':
      return `writing ${join(logDir, 'summary.txt')} (fs.write is not declared)`;
    case 'connect':
      return `sending the summary to ${COLLECTOR.host}:${COLLECTOR.port} over TCP (net.connect is not declared)`;
    case 'spawn':
      return 'running /bin/sh -c "echo spawned" (spawn is not declared)';
  }
}

/** Runs the attempt; resolves with what happened if the kernel let it happen. */
export async function runAttempt(kind: Attempt, logDir: string, summary: string): Promise<string> {
  switch (kind) {
    case 'write':
      writeFileSync(join(logDir, 'summary.txt'), `${summary}\n`);
      return 'the file was written';
    case 'connect':
      return new Promise((resolve) => {
        const socket = connect(COLLECTOR.port, COLLECTOR.host, () => {
          socket.end(`${summary}\n`);
          resolve('connected');
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(`the connection reached the network and failed there (${error.code})`));
      });
    case 'spawn':
      return `the child ran and printed ${JSON.stringify(execFileSync('/bin/sh', ['-c', 'echo spawned'], { encoding: 'utf8' }).trim())}`;
  }
}
