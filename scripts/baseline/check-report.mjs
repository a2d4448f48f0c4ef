/**
 * The filter check's report: per Node version the install point, the sandboxed runs not stopped
 * per workload, the negative control and each failure with what trap mode named, as text and as
 * JSON-ready results. It adds the negative control's and the diagnosed failures to `failures`.
 * Words only: check.mjs makes the runs.
 */
import { DECLARATIONS, describeCaps, NEGATIVE_CONTROL } from './check-declarations.mjs';

/** @typedef {import('./workloads.mjs').Workload} Workload */
/** @typedef {import('./check-run.mjs').NodeBin} NodeBin */
/** @typedef {import('./check-run.mjs').RunResult} RunResult */
/** @typedef {import('./check-run.mjs').Reference} Reference */
/** @typedef {Awaited<ReturnType<typeof import('./diagnose.mjs').diagnose>>} Diagnosis */

/**
 * @param {{ nodes: NodeBin[], workloads: readonly Workload[], runs: number, at: string, jobs: number,
 *   installFacts: Map<number, string[]>, references: Map<string, Reference>, done: Map<string, number>,
 *   stoppedRuns: Map<string, Array<{ run: number, kind: string, detail: string }>>,
 *   negativeRuns: Map<number, RunResult[]>, negativeDiagnoses: Map<number, Diagnosis>, diagnoses: Map<string, Diagnosis>,
 *   failures: string[], rebuilt: boolean, elapsed: string }} outcome  keys are `<major>/<workload>`.
 */
export function reportCheck({ nodes, workloads, runs, at, jobs, installFacts, references, done, stoppedRuns, negativeRuns, negativeDiagnoses, diagnoses, failures, rebuilt, elapsed }) {
  const failing = [...stoppedRuns.keys()];
  const lines = [];
  lines.push('', `install point (${at === 'marker' ? 'right after the marker' : 'at --import'}):`);
  for (const node of nodes) lines.push(`  node ${node.version}: ${(installFacts.get(node.major) ?? ['not checked']).join('; ')}`);

  lines.push('', `sandboxed runs not stopped, per Node version (${runs} each; KILL mode):`);
  const width = Math.max(...workloads.map((w) => w.name.length), 8);
  const capsWidth = Math.max(...workloads.map((w) => describeCaps(DECLARATIONS[w.name]?.caps ?? {}).length), 11);
  lines.push(`  ${'workload'.padEnd(width)}  ${'declaration'.padEnd(capsWidth)}  ${nodes.map((n) => `node ${n.major}`.padStart(9)).join(' ')}  output`);
  for (const w of workloads) {
    const cells = nodes.map((n) => {
      const key = `${n.major}/${w.name}`;
      const bad = stoppedRuns.get(key)?.length ?? 0;
      const cell = `${(done.get(key) ?? 0) - bad}/${done.get(key) ?? 0}`;
      return (bad > 0 ? `✗ ${cell}` : cell).padStart(9);
    });
    const deterministic = nodes.every((n) => references.get(`${n.major}/${w.name}`)?.output !== undefined);
    lines.push(`  ${w.name.padEnd(width)}  ${describeCaps(DECLARATIONS[w.name]?.caps ?? {}).padEnd(capsWidth)}  ${cells.join(' ')}  ${deterministic ? 'compared' : 'exit code only'}`);
  }

  lines.push('', `negative control: ${NEGATIVE_CONTROL.workload} with ${describeCaps(NEGATIVE_CONTROL.caps)} must be killed by SIGSYS (${NEGATIVE_CONTROL.runs} runs):`);
  for (const node of nodes) {
    const list = negativeRuns.get(node.major) ?? [];
    const killed = list.filter((r) => r.signal === 'SIGSYS').length;
    const named = negativeDiagnoses.get(node.major)?.stopped.map((s) => s.call ?? s.syscall).join(', ') || 'nothing named';
    const ok = killed === list.length && list.length > 0 && negativeDiagnoses.get(node.major)?.stopped.some((s) => s.syscall === NEGATIVE_CONTROL.expect);
    lines.push(`  node ${node.major}: ${killed}/${list.length} killed by SIGSYS; trap mode names ${named} ${ok ? '(ok)' : '(FAILED)'}`);
    if (!ok) failures.push(`node ${node.major} negative control: ${killed}/${list.length} killed, named ${named}`);
  }

  if (failing.length > 0) lines.push('', 'failures, with the stopped syscall (trap mode, same policy):');
  for (const key of failing) {
    const [major, name] = key.split('/');
    const list = /** @type {Array<{ run: number, kind: string, detail: string }>} */ (stoppedRuns.get(key));
    const kinds = [...new Set(list.map((r) => r.kind))].join(', ');
    const d = diagnoses.get(key);
    lines.push(`  node ${major} ${name} ${describeCaps(DECLARATIONS[/** @type {string} */ (name)]?.caps ?? {})}: ${list.length}/${done.get(key)} runs failed (${kinds})`);
    for (const r of list.filter((x) => x.kind !== 'SIGSYS').slice(0, 2)) lines.push(`      run ${r.run}: ${r.kind}: ${r.detail}`);
    if (d === undefined) continue;
    if (d.stopped.length === 0) lines.push(`      no trap in ${d.attempts} trap-mode run(s): not reproduced`);
    for (const s of d.stopped) {
      const how = s.after ? `then, with ${s.after.join(', ')} allowed too` : `${s.times} of ${d.attempts} trap runs`;
      lines.push(`      stopped: ${s.syscall} in ${s.program}, ${how}${s.arch === 'X86_64' || s.arch === 'AARCH64' ? '' : ` (arch ${s.arch})`}`);
      lines.push(`        ${s.call ?? `arguments not caught (under strace -e trace=${s.syscall} it did not happen)`}`);
    }
    if (d.passesWith) lines.push(`      passes in trap mode with ${d.passesWith.join(', ')} allowed as well`);
    for (const note of d.notes.slice(0, 3)) lines.push(`      ${note}`);
    failures.push(`node ${major} ${name}: ${list.length} run(s) failed; stopped: ${d.stopped.map((s) => s.syscall).join(', ') || '?'}`);
  }
  if (rebuilt) lines.push('', 'WARNING: packages/runtime or packages/core was rebuilt while the check ran; runs that failed loading the preload may come from that: run again.');
  lines.push('', `${failures.length === 0 ? 'PASS' : 'FAIL'}: ${nodes.length} Node version(s), ${workloads.length} workloads, ${runs} runs each; ${elapsed} (${jobs} jobs)`);
  for (const f of failures) lines.push(`  ${f}`);
  return {
    ok: failures.length === 0,
    failures,
    report: lines.join('\n'),
    results: Object.fromEntries(nodes.map((n) => [n.major, {
      version: n.version,
      install: installFacts.get(n.major),
      negativeControl: { killed: (negativeRuns.get(n.major) ?? []).filter((r) => r.signal === 'SIGSYS').length, runs: negativeRuns.get(n.major)?.length, named: negativeDiagnoses.get(n.major)?.stopped },
      workloads: Object.fromEntries(workloads.map((w) => {
        const key = `${n.major}/${w.name}`;
        return [w.name, { caps: DECLARATIONS[w.name]?.caps, runs: done.get(key), failed: stoppedRuns.get(key) ?? [], diagnosis: diagnoses.get(key) }];
      })),
    }])),
  };
}
