/**
 * Answers one request with a file under a root directory: GET and HEAD only, `index.html` for a
 * directory, 404 for anything missing or outside the root. Paths are normalised as absolute URL
 * paths before they are joined to the root, so `..` cannot climb out of it; the sandbox's path
 * list is the second wall, not the first.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file a URL path names under `root`, or undefined for a path that cannot name one. */
export function fileFor(root: string, urlPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(new URL(urlPath, 'http://localhost').pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  // posix.normalize of an absolute path never climbs above '/'.
  return join(root, posix.normalize(`/${path}`));
}

async function findFile(file: string): Promise<{ file: string; size: number } | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) return findFile(join(file, 'index.html'));
  return info?.isFile() ? { file, size: info.size } : undefined;
}

/** What to answer: a status, headers, and for a 200 to GET the file to stream. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number>>;
  readonly file?: string;
}

/** Decides the answer to `method url` from the files under `root`. */
export async function answerRequest(root: string, method: string | undefined, url: string | undefined): Promise<Answer> {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, headers: { allow: 'GET, HEAD' } };
  const path = fileFor(root, url ?? '/');
  const found = path === undefined ? undefined : await findFile(path);
  if (!found) return { status: 404, headers: {} };
  const headers = { 'content-type': TYPES[extname(found.file)] ?? 'application/octet-stream', 'content-length': found.size };
  return method === 'GET' ? { status: 200, headers, file: found.file } : { status: 200, headers };
}

/** Sends an answer: the headers, then the file's bytes if it has one. */
export async function sendAnswer(response: ServerResponse, answer: Answer): Promise<void> {
  response.writeHead(answer.status, answer.headers);
  if (answer.file === undefined) response.end();
  else await pipeline(createReadStream(answer.file), response);
}
