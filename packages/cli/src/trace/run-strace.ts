/**
 * Runs strace over the traced command and waits for it, passing SIGINT and SIGTERM sent to
 * `syscage trace` on to the traced program (strace's child), so the trace ends the way the program
 * ends and the report can still be printed. It does not read or parse the trace beyond the
 * signal notices it needs.
 *
 * strace itself blocks fatal signals while it runs a command with `-o FILE` (its `-I 3` default),
 * so it survives them and exits once its child has; syscage must not die either, hence a listener
 * for as long as strace runs. A terminal's Ctrl-C reaches the whole foreground process group,
 * the program included: before forwarding, the trace is checked for a notice that the program
 * received the same signal since the last one accounted for, and then it is not sent a second time
 * (a program that shuts down gracefully on the first SIGINT may take a second as "quit now").
 */

import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';

/** The signals passed on to the traced program. */
export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** How strace ended, and the first signal `syscage trace` was sent while it ran. */
export interface StraceRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly interrupted: NodeJS.Signals | undefined;
}

/** How long a signal notice from the program's own terminal may take to reach the trace file. */
const NOTICE_DELAY_MS = 100;

/**
 * Runs `strace args` (whose `-o` is `traceFile` and whose `-e signal=` includes the forwarded
 * signals) with `stdout` as the program's standard output, forwarding signals as above.
 */
export function runStrace(strace: string, args: readonly string[], traceFile: string, options: { env: NodeJS.ProcessEnv; argv0: string; stdout: 1 | 2 }): Promise<StraceRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(strace, [...args], { stdio: [0, options.stdout, 2], env: options.env, argv0: options.argv0 });
    let interrupted: NodeJS.Signals | undefined;
    let exited = false;
    const notices = new SignalNotices(traceFile);
    const forward = (signal: NodeJS.Signals): void => {
      if (exited || child.pid === undefined) return;
      const program = tracedProgram(child.pid);
      // Signalled before strace started the program: try again once it has.
      if (program === undefined) setTimeout(forward, NOTICE_DELAY_MS, signal);
      else if (!notices.receivedSinceLast(program, signal)) {
        try {
          process.kill(program, signal);
          notices.account(signal);
        } catch {
          // The program ended in between: nothing left to stop.
        }
      }
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      interrupted ??= signal;
      setTimeout(forward, NOTICE_DELAY_MS, signal);
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, onSignal);
    const done = (): void => {
      exited = true;
      for (const signal of FORWARDED_SIGNALS) process.off(signal, onSignal);
    };
    child.once('error', (error) => {
      done();
      reject(error);
    });
    child.once('exit', (status, signal) => {
      done();
      resolve({ status, signal, interrupted });
    });
  });
}

/** strace's child: the traced program (strace forks it, then traces it and its descendants). */
function tracedProgram(stracePid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${stracePid}/task/${stracePid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    if (children.length > 0) return Number(children[0]);
  } catch {
    // No /proc/PID/task/PID/children (CONFIG_PROC_CHILDREN off): look through every process.
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent; field 2 (the name, in parentheses) may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === stracePid) return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

/**
 * Counts strace's `PID --- SIGxxx {...} ---` notices for the traced program, reading the trace
 * file incrementally, against the signals syscage itself forwarded.
 */
class SignalNotices {
  readonly #file: string;
  #offset = 0;
  #rest = '';
  readonly #seen = new Map<string, number>();
  readonly #accounted = new Map<string, number>();

  constructor(file: string) {
    this.#file = file;
  }

  /** Whether `pid` received `signal` more often than syscage has accounted for (sent or seen). */
  receivedSinceLast(pid: number, signal: NodeJS.Signals): boolean {
    this.#read(pid);
    const seen = this.#seen.get(signal) ?? 0;
    const accounted = this.#accounted.get(signal) ?? 0;
    this.#accounted.set(signal, Math.max(seen, accounted));
    return seen > accounted;
  }

  /** Notes one forwarded `signal`, whose notice will show up in the trace later. */
  account(signal: NodeJS.Signals): void {
    this.#accounted.set(signal, (this.#accounted.get(signal) ?? 0) + 1);
  }

  #read(pid: number): void {
    let fd: number;
    try {
      fd = openSync(this.#file, 'r');
    } catch {
      return;
    }
    try {
      const buffer = Buffer.alloc(1 << 16);
      for (let n = readSync(fd, buffer, 0, buffer.length, this.#offset); n > 0; n = readSync(fd, buffer, 0, buffer.length, this.#offset)) {
        this.#offset += n;
        const lines = (this.#rest + buffer.toString('latin1', 0, n)).split('\n');
        this.#rest = lines.pop() ?? '';
        for (const line of lines) {
          const notice = /^(\d+) +--- (SIG[A-Z0-9]+) \{/.exec(line);
          if (notice !== null && Number(notice[1]) === pid) this.#seen.set(notice[2] as string, (this.#seen.get(notice[2] as string) ?? 0) + 1);
        }
      }
    } finally {
      closeSync(fd);
    }
  }
}
