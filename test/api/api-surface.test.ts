/**
 * The public API snapshot (STYLE.md): each package's exported names, kinds and types, as
 * scripts/api-surface.mjs prints them, must equal its committed packages/<name>/api.txt, so a
 * change of surface is a reviewed diff. `node scripts/api-surface.mjs --write` rewrites them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a JavaScript module without declarations
import { apiSurfaces } from '../../scripts/api-surface.mjs';

const surfaces = apiSurfaces() as Record<string, string>;

describe('public API', () => {
  it.each(Object.keys(surfaces))('%s matches its committed api.txt (node scripts/api-surface.mjs --write to update)', (name) => {
    expect(surfaces[name]).toBe(readFileSync(new URL(`../../packages/${name}/api.txt`, import.meta.url), 'utf8'));
  });
});
