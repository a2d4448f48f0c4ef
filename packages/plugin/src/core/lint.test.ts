/**
 * The graph lint on hand-made graphs: chains are shortest, each builtin is reported once, `node:` or
 * not, dynamic imports only when their chunks lie outside the program's directory.
 */
import { resolveCapabilities } from '@syscage/core';
import { describe, expect, it } from 'vitest';
import { builtinName, lintGraph, mayFind, type GraphImport } from './lint.ts';

const graph = (edges: Record<string, GraphImport[]>) => (id: string) => edges[id] ?? [];
const name = (id: string) => id.replace('/app/', '');
const inside = { chunksOutside: [] };
const outside = { chunksOutside: ['../chunks/lazy.js'] };

describe('lintGraph', () => {
  const edges = {
    '/app/main.js': [{ id: '/app/a.js', dynamic: false }, { id: 'fs', dynamic: false }],
    '/app/a.js': [{ id: '/app/b.js', dynamic: false }, { id: 'node:child_process', dynamic: false }],
    '/app/b.js': [{ id: 'child_process', dynamic: false }, { id: '/app/a.js', dynamic: false }, { id: '/app/lazy.js', dynamic: true }],
  };

  it('reports each undeclared builtin once, with the shortest importer chain', () => {
    const findings = lintGraph('/app/main.js', graph(edges), resolveCapabilities({ fs: { read: true } }), name, outside);
    expect(findings.map((f) => [f.kind, f.chain])).toEqual([
      ['undeclared-builtin', ['main.js', 'a.js', 'node:child_process']],
    ]);
  });

  it('reports a dynamic import whose chunk is outside the program directory, unless any path may be read', () => {
    const caps = resolveCapabilities({ spawn: true, fs: { read: ['./data'] } });
    expect(lintGraph('/app/main.js', graph(edges), caps, name, outside).map((f) => f.message)).toEqual([
      "main.js → a.js → b.js → lazy.js: a dynamic import loads a chunk from disk after the sandbox starts. Chunks in the program's own directory are readable, but `../chunks/lazy.js` is outside it. Emit chunks beside the entry or below it, add their directory to `fs.read`, or import the module statically.",
    ]);
    expect(lintGraph('/app/main.js', graph(edges), caps, name, inside)).toEqual([]);
    expect(lintGraph('/app/main.js', graph(edges), resolveCapabilities({ spawn: true, fs: true }), name, outside)).toEqual([]);
  });

  it('says from the externals and chunks alone when there is nothing to find', () => {
    const caps = resolveCapabilities({ fs: { read: ['./data'] } });
    expect(mayFind(['node:path', 'fs', 'lodash'], inside, caps)).toBe(false);
    expect(mayFind(['node:path', 'node:net'], inside, caps)).toBe(true);
    expect(mayFind(['node:path'], outside, caps)).toBe(true);
    expect(mayFind(['node:path'], outside, resolveCapabilities({ fs: { read: true } }))).toBe(false);
    expect(mayFind(undefined, inside, caps)).toBe(true);
  });

  it('knows builtins with and without the node: prefix, and nothing else', () => {
    expect([builtinName('node:fs/promises'), builtinName('dgram'), builtinName('node:path'), builtinName('lodash')]).toEqual(['fs/promises', 'dgram', undefined, undefined]);
  });
});
