/**
 * git-summary: runs `git log` in the current directory and prints how many commits each author
 * made and the range of dates they span. It may run /usr/bin/git (which inherits the sandbox) and
 * read the working directory, the repository; it cannot write, connect, or run anything else.
 *
 * Usage: node path/to/git-summary.js [--json]   (from the repository's top-level directory: git
 * looks for `.git` upward, and only `.` is readable)
 */
import { sandbox } from '@syscage/runtime';
import { parseArgs } from 'node:util';
import { readCommits } from './git-log.ts';
import { formatSummary, summarize } from './summary.ts';

sandbox({ spawn: ['/usr/bin/git'], fs: { read: ['.'] } });

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
try {
  const summary = summarize(await readCommits('.'));
  console.log(values.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
} catch (error) {
  console.error(`git-summary: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
