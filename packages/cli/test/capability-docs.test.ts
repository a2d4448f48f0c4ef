/**
 * docs/capabilities.md is generated from core's catalog by scripts/gen-capability-docs.mjs: this
 * fails when the catalog (as built: `pnpm build` first) has changed and the document was not
 * regenerated (`pnpm gen:docs`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

it('docs/capabilities.md is up to date with the catalog (pnpm gen:docs)', () => {
  const check = spawnSync(process.execPath, ['scripts/gen-capability-docs.mjs', '--check'], { cwd: REPO, encoding: 'utf8' });
  expect([check.status, check.stderr]).toEqual([0, '']);
});
