/**
 * Summarises matrix verdicts: counts per Node version, the summary table, and the list of
 * findings (every failing verdict, grouped by kind, with its detail). Formatting only.
 */

/**
 * @typedef {import('./harness.mjs').VersionResult} VersionResult
 * @typedef {import('./verdicts.mjs').Verdict} Verdict
 */

/**
 * @typedef {object} VersionCounts
 * @property {string} node
 * @property {number} ops  operations that exist on this version.
 * @property {number} skipped  of those, failing unsandboxed (skipped with a reason).
 * @property {number} allowedOk
 * @property {number} falseKills
 * @property {number} allowedOther  other allowed failures (blocked, changed value, unclean exit).
 * @property {number} scopedOk  allowed with path and port lists (Landlock).
 * @property {number} scopedCases
 * @property {number} killOk
 * @property {number} killCases
 * @property {number} errnoOk
 * @property {number} errnoCases
 * @property {number} escapes  denied cases (kill or errno) where the operation succeeded.
 * @property {number} complementEscapes  informational.
 * @property {number} children
 * @property {number} ms
 */

/**
 * @param {VersionResult} version
 * @returns {VersionCounts}
 */
export function countVersion(version) {
  const present = version.ops.filter((op) => !op.allowed.detail.startsWith('needs Node'));
  const verdicts = (/** @type {'deniedKill' | 'deniedErrno' | 'complement'} */ key) => present.flatMap((op) => Object.values(op[key]));
  const ran = (/** @type {Verdict[]} */ list) => list.filter((v) => v.status !== 'skip');
  const kill = ran(verdicts('deniedKill'));
  const errno = ran(verdicts('deniedErrno'));
  return {
    node: version.node.version,
    ops: present.length,
    skipped: present.filter((op) => op.allowed.status === 'skip').length,
    allowedOk: present.filter((op) => op.allowed.status === 'pass').length,
    falseKills: present.filter((op) => op.allowed.kind === 'false-kill').length,
    allowedOther: present.filter((op) => op.allowed.status === 'fail' && op.allowed.kind !== 'false-kill').length,
    scopedOk: present.filter((op) => op.scoped?.status === 'pass').length,
    scopedCases: present.filter((op) => op.scoped !== undefined && op.scoped.status !== 'skip').length,
    killOk: kill.filter((v) => v.status === 'pass').length,
    killCases: kill.length,
    errnoOk: errno.filter((v) => v.status === 'pass').length,
    errnoCases: errno.length,
    escapes: [...kill, ...errno].filter((v) => v.kind === 'escape').length,
    complementEscapes: ran(verdicts('complement')).filter((v) => v.kind === 'escape').length,
    children: version.children,
    ms: version.ms,
  };
}

/**
 * The summary table, one row per Node version.
 *
 * @param {readonly VersionResult[]} versions
 * @returns {string}
 */
export function formatSummary(versions) {
  const header = ['node', 'ops', 'skipped', 'allowed ok', 'false kills', 'other allowed fails', 'scoped ok', 'denied-kill ok', 'denied-errno ok', 'escapes', 'complement escapes*', 'children', 'seconds'];
  const rows = versions.map(countVersion).map((c) => [c.node, c.ops, c.skipped, c.allowedOk, c.falseKills, c.allowedOther, `${c.scopedOk}/${c.scopedCases}`, `${c.killOk}/${c.killCases}`, `${c.errnoOk}/${c.errnoCases}`, c.escapes, c.complementEscapes, c.children, (c.ms / 1000).toFixed(1)].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (/** @type {string[]} */ cells) => `| ${cells.map((cell, i) => cell.padEnd(/** @type {number} */ (widths[i]))).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '* informational: errno mode with every other capability declared; an escape there shows overlapping capabilities.'].join('\n');
}

/**
 * Every failing verdict (and, separately, complement escapes and skips), one line each:
 * `node  case  operation  [capability]  kind: detail`.
 *
 * @param {readonly VersionResult[]} versions
 * @param {{ complement?: boolean, skips?: boolean }} [options]
 * @returns {string[]}
 */
export function listFindings(versions, { complement = false, skips = false } = {}) {
  const lines = [];
  for (const version of versions) {
    const node = version.node.version;
    for (const op of version.ops) {
      if (op.scoped?.status === 'fail') lines.push(`${node}  scoped        ${op.name}  [${op.needs.join('+')}, as lists]  ${op.scoped.kind}: ${op.scoped.detail}`);
      if (op.allowed.status === 'fail' || (skips && op.allowed.status === 'skip' && !op.allowed.detail.startsWith('needs Node'))) lines.push(`${node}  allowed       ${op.name}  [${op.needs.join('+') || 'baseline'}]  ${op.allowed.kind}: ${op.allowed.detail}`);
      for (const [label, key] of /** @type {const} */ ([['denied-kill ', 'deniedKill'], ['denied-errno', 'deniedErrno']])) {
        for (const [cap, verdict] of Object.entries(op[key])) if (verdict?.status === 'fail') lines.push(`${node}  ${label}  ${op.name}  [-${cap}]  ${verdict.kind}: ${verdict.detail}`);
      }
      if (complement) for (const [cap, verdict] of Object.entries(op.complement)) if (verdict?.kind === 'escape') lines.push(`${node}  complement    ${op.name}  [all but ${cap}]  escape: ${verdict.detail}`);
    }
  }
  return lines;
}
