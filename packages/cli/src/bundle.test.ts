/** Reading what a bundle embeds without evaluating it: the payload literal, as JSON or as a bundler reprinted it. */

import { describe, expect, it } from 'vitest';
import { findPayloads, looksLikeBundle, parseLiteral } from './bundle.ts';
import { CliError } from './exit-codes.ts';

const PAYLOAD = { grants: ['fs.read'], onViolation: 'kill', unsupported: 'error', filters: { x86_64: 'AAAA' }, stage1: { x86_64: 'BBBB' } };

describe('parseLiteral', () => {
  it('reads JSON and the JS literals bundlers print', () => {
    const text = `x({ grants: ['fs.read',], "on": 'a\\'b\\n\\u0041\\x42', n: -1.5e3, t: true, f: false, z: null, list: [1, [2]], })`;
    expect(parseLiteral(text, 2)).toEqual({ grants: ['fs.read'], on: "a'b\nAB", n: -1500, t: true, f: false, z: null, list: [1, [2]] });
  });

  it('says where it stopped', () => {
    expect(() => parseLiteral('{ a: 1 b: 2 }', 0)).toThrowError(new CliError(1, 'Cannot read the embedded sandbox at offset 7: a comma or }.', 'The bundle is corrupt or was not produced by @syscage/plugin.'));
    expect(() => parseLiteral("{ a: 'open", 0)).toThrowError('Cannot read the embedded sandbox at offset 10: an unterminated string.');
  });
});

describe('findPayloads', () => {
  it('finds every applyPrecompiled call, renamed or reprinted', () => {
    const text = `applyPrecompiled(${JSON.stringify(PAYLOAD)});\n(0, applyPrecompiled$1)({ grants: [], onViolation: 'errno', unsupported: 'warn', filters: {}, stage1: {} });`;
    expect(looksLikeBundle(text)).toBe(true);
    expect(findPayloads(text)).toEqual([PAYLOAD, { grants: [], onViolation: 'errno', unsupported: 'warn', filters: {}, stage1: {} }]);
  });

  it('refuses a call that carries no filters', () => {
    expect(() => findPayloads('applyPrecompiled({ grants: [] })')).toThrowError('A syscage loader call in the bundle does not carry filters (grants, filters, stage1).');
  });

  it('does not take an ordinary program for a bundle', () => {
    expect(looksLikeBundle("import { sandbox } from '@syscage/runtime'; sandbox({});")).toBe(false);
  });
});
