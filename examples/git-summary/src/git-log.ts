/**
 * Runs `git log` and reads its output one commit per line, as it streams. Git gets an environment
 * that ignores the user's and the system's configuration, so the output depends only on the
 * repository (no pager, no colour, no signature checks that would start gpg).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One commit. */
export interface Commit {
  readonly author: string;
  readonly email: string;
  /** Author date, strict ISO 8601 with the author's offset. */
  readonly date: string;
}

const GIT = '/usr/bin/git';
// %x1f (unit separator) cannot appear in names or e-mail addresses.
const FORMAT = '--format=%an%x1f%ae%x1f%aI';

/** The commits reachable from HEAD in `cwd`, newest first. */
export async function readCommits(cwd: string): Promise<Commit[]> {
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_PAGER: 'cat', LC_ALL: 'C' };
  const git = spawn(GIT, ['log', '--no-color', FORMAT], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  git.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve, reject) => git.on('error', reject).on('close', resolve));
  const commits: Commit[] = [];
  for await (const line of createInterface({ input: git.stdout, crlfDelay: Infinity })) {
    const [author = '', email = '', date = ''] = line.split('\x1f');
    commits.push({ author, email, date });
  }
  const code = await exited;
  if (code !== 0) throw new Error(stderr.trim() || `git log exited with status ${code}`);
  return commits;
}
