/**
 * Best effort: follows the kernel log (`dmesg -w`) while the matrix runs and collects seccomp's
 * audit records (type=1326: pid, arch, syscall number), so that a kill can be reported with the
 * syscall that caused it. Without a readable kernel log (no dmesg, no permission) it collects
 * nothing and says so; verdicts never depend on it.
 */
import { spawn } from 'node:child_process';
import { syscallName } from '@syscage/core';

/** `arch=` values in audit records, by syscage's arch names. */
const AUDIT_ARCHES = { c000003e: 'x86_64', c00000b7: 'aarch64' };

/**
 * Starts following the kernel log.
 *
 * @returns {{ syscallsOf: (pid: number) => string[], stop: () => void, available: () => boolean }}
 */
export function followKernelLog() {
  /** @type {Map<number, string[]>} */
  const byPid = new Map();
  let ok = true;
  let pending = '';
  const child = spawn('dmesg', ['-w'], { stdio: ['ignore', 'pipe', 'ignore'] });
  child.on('error', () => { ok = false; });
  child.on('exit', (code) => { if (code !== 0 && code !== null) ok = false; });
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const match = /type=1326 .*\bpid=(\d+)\b.*\barch=([0-9a-f]+)\b.*\bsyscall=(\d+)\b/.exec(line);
      if (!match) continue;
      const arch = AUDIT_ARCHES[/** @type {keyof typeof AUDIT_ARCHES} */ (match[2])];
      const nr = Number(match[3]);
      const name = (arch && syscallName(/** @type {'x86_64' | 'aarch64'} */ (arch), nr)) ?? `#${nr} (arch ${match[2]})`;
      const pid = Number(match[1]);
      byPid.set(pid, [...(byPid.get(pid) ?? []), name]);
    }
  });
  return {
    syscallsOf: (pid) => byPid.get(pid) ?? [],
    stop: () => child.kill(),
    available: () => ok,
  };
}
