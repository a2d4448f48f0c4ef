/**
 * fetch-json: fetches a JSON document and prints one field of it. It may connect to TCP ports 443
 * (https APIs) and 8080 (a local development API, such as the static-server example) and resolve
 * host names; it cannot read or write files, listen, or run programs.
 *
 * Usage: node dist/fetch-json.js URL [FIELD]   FIELD is a dot path (`examples.0`, `a.b.c`); without
 * it the whole document is printed. Exit status 0 when the field was printed, 1 otherwise.
 */
import { sandbox } from '@syscage/runtime';
import { pickField } from './field.ts';

sandbox({ net: { connect: [443, 8080] }, dns: true });

async function main(url: string | undefined, field: string | undefined): Promise<void> {
  if (url === undefined) throw new Error('usage: fetch-json URL [FIELD]');
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status} ${response.statusText}`);
  const text = await response.text();
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new Error(`${url} did not answer JSON (${response.headers.get('content-type') ?? 'no content-type'})`);
  }
  const value = field === undefined ? document : pickField(document, field);
  if (value === undefined) throw new Error(`${url} has no field "${field}"`);
  console.log(typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  console.error(`fetch-json: ${error instanceof Error ? error.message : String(error)}${cause}`);
  process.exitCode = 1;
});
