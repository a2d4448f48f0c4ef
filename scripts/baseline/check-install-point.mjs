/**
 * Step 1 of the filter check: from a strace of a `console` or `empty-cjs` run, whether the
 * preload's sandbox is installed right after the marker (or before the entry, with `--at import`)
 * and before the workload's first output, once per process image, and whether the re-execution
 * kept `--import`. Reading a trace only; check.mjs makes the run.
 */
import { PRELOAD_URL } from './check-run.mjs';
import { decodeString, parseTrace } from './parse-strace.mjs';
import { MARKER_PATH } from './workloads.mjs';

/**
 * Step 1: the install point, from a trace of execve, seccomp, access and write.
 *
 * @param {string} text  the strace output.
 * @param {{ major: number, at: string, output: boolean }} expect  `output`: the workload writes
 *   to stdout/stderr, and its first write must come after the install.
 * @returns {{ problems: string[], facts: string[] }}
 */
export function checkInstallPoint(text, { major, at, output }) {
  const trace = parseTrace(text, MARKER_PATH);
  const main = trace.mainPid;
  const mine = trace.events.filter((e) => e.tid === main);
  const problems = [];
  const execs = mine.filter((e) => e.name === 'execve' && e.ret === '0');
  // Node 22/24/26 restart once to drop their io_uring rings; Node 20 restarts when the runtime's
  // Landlock domain covers only the calling thread (ABI < 8), which this trace shows as a
  // successful landlock_restrict_self before the last execve.
  const landlockRestart = mine.some((e) => e.name === 'landlock_restrict_self' && e.ret === '0' && e.seq < (execs.at(-1)?.seq ?? -1));
  const wantExecs = major >= 22 || landlockRestart ? 2 : 1;
  if (execs.length !== wantExecs) problems.push(`${execs.length} successful execve of node, expected ${wantExecs}`);
  for (const [i, e] of execs.entries()) {
    if (!e.args[1]?.includes(`"--import", "${PRELOAD_URL}"`)) problems.push(`execve #${i + 1} lost --import: ${e.args[1]}`);
  }
  const last = execs.at(-1)?.seq ?? -1;
  const image = trace.events.filter((e) => e.seq > last && (trace.tgidOf.get(e.tid) ?? e.tid) === main);
  const markers = image.filter((e) => e.name === 'access' && decodeString(e.args[0]) === MARKER_PATH);
  const installs = image.filter((e) => e.name === 'seccomp' && e.args[0] === 'SECCOMP_SET_MODE_FILTER' && e.ret === '0');
  const firstWrite = image.find((e) => e.name === 'write' && (e.args[0] === '1' || e.args[0] === '2'));
  if (markers.length !== 1) problems.push(`${markers.length} marker accesses in the final image, expected 1`);
  if (installs.length !== 1) problems.push(`${installs.length} filters installed in the final image, expected 1`);
  const marker = markers[0];
  const install = installs[0];
  if (marker && install) {
    if (at === 'marker' && install.seq < marker.seq) problems.push('the filter was installed before the marker, not at it');
    if (at === 'import' && install.seq > marker.seq) problems.push('the filter was installed after the marker');
    if (!/SECCOMP_FILTER_FLAG_TSYNC/.test(install.args[1] ?? '')) problems.push(`installed without TSYNC: ${install.args[1]}`);
    const between = image.filter((e) => e.seq > marker.seq && e.seq < install.seq && e.tid === main && e.name === 'write' && (e.args[0] === '1' || e.args[0] === '2'));
    if (between.length > 0) problems.push('the workload wrote to stdio between the marker and the install');
  }
  if (output) {
    if (firstWrite === undefined) problems.push('no write to stdout/stderr seen');
    else if (install && firstWrite.seq < install.seq) problems.push('the workload wrote to stdio before the filter was installed');
  }
  const facts = [
    `${execs.length} exec${execs.length === 1 ? '' : 's'}${landlockRestart ? ' (Landlock restart)' : ''}, --import kept in each`,
    `${trace.events.filter((e) => e.name === 'seccomp' && e.ret === '0').length} seccomp() in all (${major >= 22 ? 'io_uring stage 1 + ' : ''}sandbox)`,
    at === 'marker' ? 'installed right after the marker' : 'installed before the entry loaded',
    ...(output ? ['first stdio write after it'] : []),
  ];
  return { problems, facts };
}
