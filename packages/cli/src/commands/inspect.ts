/**
 * `syscage inspect BUNDLE`: what a built program will apply, and whether it is what its declaration
 * compiles to. For each embedded sandbox: the declaration (from the manifest beside the bundle; the
 * payload itself carries only the grants), the per-architecture sha256 of the filters, the Landlock
 * plan, and a verification that the embedded bytes equal a fresh compile by this syscage's core of
 * the same grants and violation mode, with the baseline the plugin compiled against (the union of
 * every Node version). A difference exits with
 * `EXIT.tampered`: the bundle was edited, or built by another syscage version (stale).
 */

import { fillPlaceholders, prepareDeclaration, isSyscageError, type ArchName, type LandlockPlaceholders, type LandlockPlan, type PreparedDeclaration, type ResolvedCapabilities } from '@syscage/core';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { readInterpreter } from '@syscage/runtime';
import type { PrecompiledSandbox } from '@syscage/runtime/loader';
import { Command } from 'commander';
import { findPayloads, looksLikeBundle, readBundle, readManifest, type BundleText, type ManifestSummary } from '../bundle.ts';
import { EXIT, failure } from '../exit-codes.ts';
import { limitsOf } from '../limits.ts';
import { out, printJson, toJson } from '../output.ts';
import { declarationFromGrants } from '../grants.ts';
import { describePlan, type PlanWords } from '../landlock-words.ts';
import { loaderDirs, programFacts, realPath } from '../placeholders.ts';
import { sha256 } from '../sha256.ts';

interface Check {
  readonly what: string;
  readonly ok: boolean;
  readonly detail: string;
}

interface Report {
  readonly declaration: unknown;
  readonly declarationSource: 'manifest' | 'grants';
  readonly grants: readonly string[];
  readonly onViolation: string;
  readonly unsupported: string;
  readonly filters: Record<string, { sha256: string; instructions: number; stage1Sha256: string }>;
  readonly landlock: unknown;
  readonly landlockSource: 'embedded' | 'computed' | 'none';
  /** The plan in words, its placeholders filled for the program's location. */
  readonly landlockWords: PlanWords | undefined;
  /** What the kernel cannot scope for this sandbox, in words (see limits.ts). */
  readonly limits: readonly string[];
  readonly checks: readonly Check[];
}

/** The `inspect` command. */
export function inspectCommand(): Command {
  return new Command('inspect')
    .description("show a bundle's embedded sandbox and verify it against a fresh compile (exit 3 if tampered or stale)")
    .argument('<bundle>', 'a JavaScript bundle built with @syscage/plugin')
    .option('--json', 'print the report as JSON')
    .action((bundle: string, options: { json?: boolean }) => {
      const { text, gate, launcher } = readBundle(bundle);
      if (!looksLikeBundle(text)) throw failure(`${bundle} has no syscage loader: it was not built with @syscage/plugin, or its entry declares no sandbox.`);
      const manifest = readManifest(bundle);
      const payloads = findPayloads(text);
      const placeholders = placeholdersFor(bundle);
      const reports = payloads.map((payload) => inspectPayload(payload, payloads.length === 1 ? manifest : undefined, gate, placeholders, launcher));
      if (options.json) printJson({ bundle, program: launcher?.program ?? null, gate: gate ?? null, manifest: manifest === undefined ? null : `${bundle}.syscage.json`, sandboxes: reports });
      else process.stdout.write(reports.map((report, i) => formatReport(bundle, report, payloads.length > 1 ? i + 1 : undefined, manifest !== undefined)).join('\n'));
      if (reports.some((report) => report.checks.some((check) => !check.ok))) process.exitCode = EXIT.tampered;
    });
}

const decode = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, 'base64'));

function inspectPayload(payload: PrecompiledSandbox, manifest: ManifestSummary | undefined, gate: string | undefined, placeholders: LandlockPlaceholders, launcher: BundleText['launcher']): Report {
  const checks: Check[] = [];
  if (launcher !== undefined) {
    const same = JSON.stringify(launcher.payload) === JSON.stringify(payload);
    checks.push({ what: 'launcher', ok: same, detail: same ? `the output applies the sandbox before reading ${launcher.program}, then starts it as the main module` : `the output launches ${launcher.program} with another sandbox than the program's gate applies` });
  }
  if (gate !== undefined) checks.push({ what: 'gate', ok: true, detail: `the ${launcher === undefined ? 'output' : 'program'} loads ${gate} as its first statement, before any other module` });
  const fromGrants = prepareFromGrants(payload);
  const filters: Report['filters'] = {};
  for (const [name, base64] of Object.entries(payload.filters)) {
    // As the bundle names it: an architecture this syscage does not know fails the fresh compile.
    const arch = name as ArchName;
    const embedded = decode(base64);
    const fresh = fromGrants.filter(arch).bytes;
    const stage1 = decode(payload.stage1[arch] ?? '');
    const freshStage1 = fromGrants.stage1(arch).bytes;
    filters[arch] = { sha256: sha256(embedded), instructions: embedded.length / 8, stage1Sha256: sha256(stage1) };
    checks.push({ what: `${arch} filter`, ok: sha256(embedded) === sha256(fresh), detail: sha256(embedded) === sha256(fresh) ? 'equals a fresh compile' : `differs from a fresh compile (embedded ${sha256(embedded).slice(0, 16)}…, fresh ${sha256(fresh).slice(0, 16)}…)` });
    checks.push({ what: `${arch} first-stage filter`, ok: sha256(stage1) === sha256(freshStage1), detail: sha256(stage1) === sha256(freshStage1) ? 'equals a fresh compile' : 'differs from a fresh compile' });
    const listed = manifest?.arches?.[arch]?.filterSha256;
    if (listed !== undefined) checks.push({ what: `${arch} manifest hash`, ok: listed === sha256(embedded), detail: listed === sha256(embedded) ? 'matches the embedded filter' : `the manifest says ${listed.slice(0, 16)}…` });
  }
  let declaration: unknown = declarationFromGrants(payload.grants, payload.onViolation);
  let declarationSource: Report['declarationSource'] = 'grants';
  let prepared = fromGrants;
  if (manifest?.declaration !== undefined) {
    declaration = manifest.declaration;
    declarationSource = 'manifest';
    prepared = prepareManifestDeclaration(manifest, checks) ?? fromGrants;
    const { resolved } = prepared;
    const same = sameGrants(resolved, payload);
    checks.push({ what: 'grants', ok: same, detail: same ? "the manifest's declaration grants what the bundle embeds" : `the manifest's declaration grants ${[...resolved.grants].sort().join(', ') || 'nothing'} (${resolved.onViolation}), the bundle ${[...payload.grants].sort().join(', ') || 'nothing'} (${payload.onViolation})` });
  }
  let landlock: unknown = payload.landlock;
  let landlockSource: Report['landlockSource'] = 'embedded';
  if (payload.landlock !== undefined && declarationSource === 'manifest') {
    const fresh = prepared.landlock;
    const same = toJson(fresh) === toJson(payload.landlock);
    checks.push({ what: 'Landlock plan', ok: same, detail: same ? "equals the plan of the manifest's declaration" : "differs from the plan of the manifest's declaration" });
  } else if (payload.landlock === undefined) {
    landlock = declarationSource === 'manifest' ? prepared.landlock : undefined;
    landlockSource = declarationSource === 'manifest' ? 'computed' : 'none';
  }
  const landlockWords = landlock === undefined ? undefined : describePlan(landlock as LandlockPlan, placeholders, isFile);
  return { declaration, declarationSource, grants: payload.grants, onViolation: payload.onViolation, unsupported: payload.unsupported, filters, landlock, landlockSource, landlockWords, limits: limitsOf(payload.grants), checks };
}

function prepareFromGrants(payload: PrecompiledSandbox): PreparedDeclaration {
  try {
    return prepareDeclaration(declarationFromGrants(payload.grants, payload.onViolation));
  } catch (error) {
    if (isSyscageError(error)) throw failure(`The bundle embeds grants this syscage does not know: ${error.reason}`, 'Inspect it with the syscage version that built it, or rebuild.');
    throw error;
  }
}

function prepareManifestDeclaration(manifest: ManifestSummary, checks: Check[]): PreparedDeclaration | undefined {
  const declaration = manifest.declaration;
  const withMode = typeof declaration === 'object' && declaration !== null && !('onViolation' in declaration) && manifest.onViolation ? { ...declaration, onViolation: manifest.onViolation } : declaration;
  try {
    return prepareDeclaration(withMode);
  } catch (error) {
    checks.push({ what: 'manifest declaration', ok: false, detail: `does not resolve: ${(error as Error).message}` });
    return undefined;
  }
}

function sameGrants(resolved: ResolvedCapabilities, payload: PrecompiledSandbox): boolean {
  return [...resolved.grants].sort().join() === [...payload.grants].sort().join() && resolved.onViolation === payload.onViolation;
}

function formatReport(bundle: string, report: Report, index: number | undefined, hasManifest: boolean): string {
  const lines: string[] = [];
  lines.push(out('bold', `${bundle}${index === undefined ? '' : ` (sandbox #${index})`}`));
  lines.push(`  declaration (${report.declarationSource === 'manifest' ? 'from the manifest' : hasManifest ? 'from the grants' : 'from the grants; no manifest beside the bundle'}): ${JSON.stringify(report.declaration)}`);
  lines.push(`  grants: ${report.grants.length === 0 ? 'none (the Node runtime only)' : [...report.grants].sort().join(', ')}; on violation: ${report.onViolation}; unsupported: ${report.unsupported}`);
  lines.push('  filters:');
  for (const [arch, filter] of Object.entries(report.filters)) lines.push(`    ${arch.padEnd(8)} sha256 ${filter.sha256}  ${filter.instructions} instructions (first stage ${filter.stage1Sha256.slice(0, 16)}…)`);
  lines.push(`  landlock${report.landlockSource === 'computed' ? " (computed from the manifest's declaration; the bundle embeds no plan)" : ''}:`);
  lines.push(...(report.landlockWords === undefined ? ['(none embedded; no manifest to compute it from)'] : [report.landlockWords.denies, ...report.landlockWords.rules.map((rule) => rule.says)]).map((line) => `    ${line}`));
  lines.push('  not scoped by the kernel (README, "Security model and limits"):');
  lines.push(...report.limits.map((limit) => `    ${limit}`));
  lines.push('  verification:');
  for (const check of report.checks) lines.push(`    ${check.ok ? out('green', 'ok      ') : out('red', 'MISMATCH')} ${check.what}: ${check.detail}`);
  const bad = report.checks.filter((check) => !check.ok).length;
  lines.push(bad === 0 ? out('green', '  verified: the embedded sandbox is what its declaration compiles to.') : out('red', `  ${bad} mismatch(es): this bundle was tampered with or built by another syscage version. Rebuild it.`));
  return `${lines.join('\n')}\n`;
}

const isFile = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;

/**
 * The placeholders' values for the built program `bundle`: its directory is the output's (a gate
 * beside it is loaded from there too); `{node}` and `{interpreter}` are the Node running syscage,
 * as the program's Node is not known before it runs.
 */
function placeholdersFor(bundle: string): LandlockPlaceholders {
  const dir = dirname(realPath(bundle));
  const node = realPath(process.execPath);
  return fillPlaceholders({ program: programFacts(dir), loader: loaderDirs(dir), node, interpreter: readInterpreter(node), extraCaCerts: process.env['NODE_EXTRA_CA_CERTS'] });
}
