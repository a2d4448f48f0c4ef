/**
 * syslog-parse: summarises a syslog file (RFC 3164 or RFC 5424 lines): records per host, per
 * program and per severity, and the time range. The seed program of syscage, rewritten for Node:
 * it may read the log directory and write to its standard output, nothing else.
 *
 * Usage: node dist/syslog-parse.js [--json] [--try write|connect|spawn] [FILE]   (FILE defaults to
 * logs/sample.log; run it from this directory, since `./logs` is resolved against the working
 * directory).
 */
import { sandbox } from '@syscage/runtime';
import { createReadStream } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ATTEMPTS, describeAttempt, runAttempt, type Attempt } from './attempt.ts';
import { parseLine } from './parse.ts';
import { Summary } from './summary.ts';

// Everything else (writing files, sockets, running programs) is refused by the kernel from here on.
sandbox({ fs: { read: ['./logs'] } });

const USAGE = 'usage: syslog-parse [--json] [--try write|connect|spawn] [FILE]';

function readOptions(): { file: string; json: boolean; attempt: Attempt | undefined } {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, try: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const attempt = values.try;
  if (attempt !== undefined && !(ATTEMPTS as readonly string[]).includes(attempt)) throw new Error(`--try takes one of ${ATTEMPTS.join(', ')}; got "${attempt}".`);
  if (positionals.length > 1) throw new Error(USAGE);
  return { file: positionals[0] ?? 'logs/sample.log', json: values.json, attempt: attempt as Attempt | undefined };
}

async function main(): Promise<void> {
  const { file, json, attempt } = readOptions();
  const summary = new Summary(file);
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() !== '') summary.add(parseLine(line));
  }
  const text = json ? JSON.stringify(summary.toJSON(), null, 2) : summary.toText();
  console.log(text);
  if (attempt === undefined) return;
  console.log(`now ${describeAttempt(attempt, dirname(file))} …`);
  const outcome = await runAttempt(attempt, dirname(file), text);
  console.log(`${outcome}: the sandbox did NOT stop it`);
  process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`syslog-parse: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
