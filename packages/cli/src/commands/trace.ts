/**
 * `syscage trace [--] COMMAND [ARGS...]`: runs the command unsandboxed under `strace -f`, keeps what
 * happens after its first line, and suggests the smallest declaration that allows it (code to
 * paste, and the equivalent `syscage exec` line), with the calls no capability explains.
 *
 * Where counting starts: for a Node command, the marker syscall the preloaded `trace/marker.cjs`
 * makes at the program's sandbox point, if it sandboxes itself (a built program's loader, or
 * `sandbox()`, which the marker module replaces for the trace: the program runs unsandboxed), else
 * at its first line (`access("/__syscage_marker__")`, the baseline scripts' marker); everything
 * before it (Node's start-up, loading the module graph) happens before a sandbox is applied too. For any other command, right after its execve: the suggestion is
 * then for `syscage exec`, whose exec start-up set explains the loader's work. clone3 and
 * io_uring_setup are answered ENOSYS in the trace, as under the sandbox, so the program takes the
 * same paths it will take sandboxed.
 *
 * SIGINT or SIGTERM sent to `syscage trace` goes on to the traced program (trace/run-strace.ts);
 * the report then covers what it did until it ended. `--write FILE` writes the suggestion into the
 * program's entry or its bundler config (write/write.ts, the one user of ts-morph).
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_MAJORS, type NodeMajor } from '@syscage/core';
import { readInterpreter } from '@syscage/runtime';
import { Command, Option } from 'commander';
import { findExecutable, resolveCommand } from '../exec/command.ts';
import { failure, usageError } from '../exit-codes.ts';
import { nativeArch, nodeMajor, nodeOption } from '../native-arch.ts';
import { out, printJson } from '../output.ts';
import { gatherFacts } from '../trace/facts.ts';
import { implicitPaths, inferDeclaration, type Inference } from '../trace/infer.ts';
import { runStrace, FORWARDED_SIGNALS, type StraceRun } from '../trace/run-strace.ts';
import { decodeString, parseTrace, type SyscallEvent } from '../trace/strace.ts';
import { formatExecLine, formatSandboxCall } from '../trace/suggest.ts';
import { checkWriteTarget, writeDeclaration, type WriteResult } from '../write/write.ts';

const MARKER = '/__syscage_marker__';
const SANDBOX_MARKER = '/__syscage_marker__/sandbox';
const MARKER_CALLS: Readonly<Record<string, number>> = { access: 0, faccessat: 1, faccessat2: 1 };
const MARKER_MODULE = fileURLToPath(new URL('../trace/marker.cjs', import.meta.url));

interface TraceOptions {
  readonly node?: string;
  readonly nodeVersion?: string;
  readonly json?: boolean;
  readonly keepTrace?: string;
  readonly write?: string;
}

/** The `trace` command. */
export function traceCommand(): Command {
  return new Command('trace')
    .description('run COMMAND under strace and suggest the smallest declaration that lets it run')
    .argument('<command...>', 'the command and its arguments (after -- if they start with -)')
    .addOption(nodeOption('the Node major the program will run sandboxed on (default: the traced node\'s)'))
    .addOption(new Option('--node-version <major>', 'same as --node').choices(NODE_MAJORS.map(String)).hideHelp())
    .option('--keep-trace <file>', 'also keep the raw strace output in this file')
    .option('--json', 'print the result as JSON (the program\'s stdout then goes to stderr)')
    .option('--write <file>', 'write the declaration into the program\'s entry (TypeScript or JavaScript) or into the `entries` option of the bundler config that builds it')
    .passThroughOptions()
    .addHelpText('after', '\nExamples:\n  syscage trace -- node app.js\n  syscage trace --write src/cli.ts -- node dist/cli.js\n\nSIGINT or SIGTERM (Ctrl-C) is passed on to the program; the report covers what it did until it ended.\nNeeds strace (apt-get install strace). Counting starts where the program applies its own sandbox (its sandbox() or a built program\'s loader, which do nothing under trace), else at its first line (Node), or right after its execve (anything else).')
    .action((words: string[], options: TraceOptions) => runTrace(words, options));
}

async function runTrace(words: readonly string[], options: TraceOptions): Promise<void> {
  const [name, ...args] = words as [string, ...string[]];
  const write = options.write === undefined ? undefined : resolve(options.write);
  let strace: string;
  try {
    strace = findExecutable('strace');
  } catch {
    throw failure('strace not found; install it: apt-get install strace');
  }
  const command = resolveCommand(name, nodeMajor(options.node ?? options.nodeVersion) as NodeMajor | undefined);
  if (write !== undefined) {
    if (!command.isNode) throw usageError(`--write writes a sandbox() declaration for a Node program; ${name} is not node.`, 'Use the `syscage exec` line trace prints instead.');
    checkWriteTarget(write, process.cwd());
  }
  const dir = mkdtempSync(join(tmpdir(), 'syscage-trace-'));
  const traceFile = options.keepTrace === undefined ? join(dir, 'trace') : resolve(options.keepTrace);
  try {
    const env = command.isNode ? { ...process.env, NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --require ${JSON.stringify(MARKER_MODULE)}`.trim() } : process.env;
    // The forwarded signals' notices tell run-strace whether the program already got one.
    const straceArgs = ['-f', '-qq', '-X', 'verbose', '-e', 'trace=all', '-e', `signal=${FORWARDED_SIGNALS.join(',')}`, '-e', 'inject=clone3,io_uring_setup:error=ENOSYS', '-s', '4096', '-o', traceFile, '--', command.file, ...args];
    const run = await runStrace(strace, straceArgs, traceFile, { stdout: options.json ? 2 : 1, env, argv0: name }).catch((error: Error) => {
      throw failure(`cannot run strace: ${error.message}`);
    });
    const trace = parseTrace(readFileSync(traceFile, 'utf8'));
    if (trace.events.length === 0) throw failure(`strace recorded nothing for ${name}${run.status === 1 ? ' (strace failed: is ptrace allowed here?)' : ''}.`);
    await report(words, command.isNode, command.nodeMajor, trace, run, options.json === true, command.file, write);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Cut = 'sandbox point' | 'first line' | 'execve';

function cutPoint(events: readonly SyscallEvent[], mainPid: number, isNode: boolean): { seq: number; how: Cut } {
  if (isNode) {
    const marked = (path: string): SyscallEvent | undefined => events.find((e) => e.tid === mainPid && MARKER_CALLS[e.name] !== undefined && decodeString(e.args[MARKER_CALLS[e.name] as number]) === path);
    const sandboxPoint = marked(SANDBOX_MARKER);
    if (sandboxPoint !== undefined) return { seq: sandboxPoint.seq, how: 'sandbox point' };
    const firstLine = marked(MARKER);
    if (firstLine !== undefined) return { seq: firstLine.seq, how: 'first line' };
  }
  const exec = events.find((e) => e.tid === mainPid && e.name === 'execve' && e.ret?.startsWith('0'));
  return { seq: exec?.seq ?? -1, how: 'execve' };
}

async function report(words: readonly string[], isNode: boolean, major: NodeMajor | undefined, trace: ReturnType<typeof parseTrace>, run: StraceRun, json: boolean, file: string, write: string | undefined): Promise<void> {
  const cut = cutPoint(trace.events, trace.mainPid, isNode);
  const kind = isNode && cut.how !== 'execve' ? 'node' : 'exec';
  const counted = trace.events.filter((e) => e.seq > cut.seq);
  const cwd = process.cwd();
  const facts = gatherFacts(counted, cwd, trace.tgidOf, trace.mainPid);
  const dns = [...facts.socketOf.values()].some((record) => record.use === 'dns');
  const script = words.slice(1).find((word) => !word.startsWith('-'));
  const implicit = implicitPaths(kind === 'node', file, script === undefined ? undefined : resolve(script), readInterpreter(file), dns);
  const inference = inferDeclaration(counted, facts, trace.tgidOf, { kind, nodeMajor: major, arch: nativeArch(), cwd, implicit });
  const code = formatSandboxCall(inference.declaration);
  const execLine = formatExecLine(inference.declaration, words);
  const exit = run.signal ?? run.status;
  // A refusal to write (exit 1) comes after the report, so it loses nothing: in JSON, the report
  // carries the refusal too.
  const writeFile = async (): Promise<WriteResult | undefined> => {
    if (write === undefined) return undefined;
    if (kind !== 'node') throw failure(`--write: no first line of the program was seen (the marker module did not run), so there is no declaration for its entry; nothing written.`);
    return writeDeclaration(write, inference.declaration, script === undefined ? undefined : resolve(script), cwd);
  };
  if (json) {
    let written: WriteResult | undefined;
    let refused: unknown;
    try {
      written = await writeFile();
    } catch (error) {
      refused = error;
    }
    printJson({ command: words, exit, interrupted: run.interrupted ?? null, cut: cut.how, node: isNode ? (major ?? 'any') : false, counted: inference.counted, declaration: inference.declaration, code, exec: execLine, because: inference.because, unexplained: inference.unexplained, answered: inference.answered, ...(written === undefined ? {} : { written }), ...(refused instanceof Error ? { writeRefused: refused.message } : {}) });
    if (refused !== undefined) throw refused;
    return;
  }
  process.stdout.write(formatText(words, exit, run.interrupted, cut.how, inference, kind === 'node' ? code : undefined, execLine));
  const written = await writeFile();
  if (written !== undefined) process.stdout.write(formatWritten(written));
}

function formatWritten(written: WriteResult): string {
  const where = written.kind === 'config' ? `the \`entries\` option of ${written.file}` : written.file;
  const head = written.action === 'unchanged' ? `${written.file} already says this; left unchanged.` : `${written.action === 'added' ? 'Added' : 'Updated'} the declaration in ${where}.`;
  return `\n${out('bold', head)}\n${written.notes.map((note) => `${out('yellow', 'note:')} ${note}\n`).join('')}`;
}

/** `code` is the `sandbox()` call for a Node program; any other command gets the exec line only. */
function formatText(words: readonly string[], exit: number | string | null, interrupted: NodeJS.Signals | undefined, cut: string, inference: Inference, code: string | undefined, execLine: string): string {
  const ended = interrupted === undefined ? `exited with ${exit}` : exit === interrupted ? `was stopped by ${exit}` : `exited with ${exit} after ${interrupted}`;
  const lines = ['', out('bold', `syscage trace: ${words.join(' ')} ${ended}; ${inference.counted} syscalls counted from the program's ${cut}.`), ''];
  if (code !== undefined && cut === 'sandbox point') {
    // exec would run the program's own loader inside exec's sandbox, which does not allow it.
    lines.push(out('bold', inference.grants.length === 0 ? 'Nothing beyond the runtime baseline is needed:' : 'Suggested declaration (in place of the one the program applies):'), out('green', code));
  } else if (code !== undefined) {
    lines.push(out('bold', inference.grants.length === 0 ? 'Nothing beyond the runtime baseline is needed:' : "Suggested declaration (the program's first statement):"), out('green', code), '', `or, without changing the program:\n  ${execLine}`);
  } else {
    lines.push(out('bold', 'Suggested command line:'), out('green', `  ${execLine}`));
  }
  if (inference.grants.length > 0) {
    lines.push('', out('bold', 'Why:'));
    for (const [name, reasons] of Object.entries(inference.because)) lines.push(`  ${name.padEnd(12)} ${(reasons ?? []).join('; ')}`);
  }
  if (inference.answered.length > 0) {
    lines.push('', out('bold', 'Answered with an error under the sandbox (the program falls back):'));
    for (const call of inference.answered) lines.push(`  ${call.syscall} ×${call.count}  e.g. ${call.example}`);
  }
  lines.push('', out('bold', inference.unexplained.length === 0 ? 'Every counted syscall is explained.' : 'Not explained by any capability (the sandbox would stop these):'));
  for (const call of inference.unexplained) lines.push(out('red', `  ${call.syscall} ×${call.count}  e.g. ${call.example}`));
  return `${lines.join('\n')}\n`;
}
