/** The graph lint on hand-made graphs: chains are shortest, each builtin is reported once, `node:` or not. */
import { resolveCapabilities } from '@syscage/core';
import { describe, expect, it } from 'vitest';
import { builtinName, lintGraph, type GraphImport } from './lint.ts';

const graph = (edges: Record<string, GraphImport[]>) => (id: string) => edges[id] ?? [];
const name = (id: string) => id.replace('/app/', '');

describe('lintGraph', () => {
  const edges = {
    '/app/main.js': [{ id: '/app/a.js', dynamic: false }, { id: 'fs', dynamic: false }],
    '/app/a.js': [{ id: '/app/b.js', dynamic: false }, { id: 'node:child_process', dynamic: false }],
    '/app/b.js': [{ id: 'child_process', dynamic: false }, { id: '/app/a.js', dynamic: false }, { id: '/app/lazy.js', dynamic: true }],
  };

  it('reports each undeclared builtin once, with the shortest importer chain', () => {
    const findings = lintGraph('/app/main.js', graph(edges), resolveCapabilities({ fs: { read: true } }), name);
    expect(findings.map((f) => [f.kind, f.chain])).toEqual([
      ['undeclared-builtin', ['main.js', 'a.js', 'node:child_process']],
    ]);
  });

  it('reports a dynamic import unless any path may be read', () => {
    expect(lintGraph('/app/main.js', graph(edges), resolveCapabilities({ spawn: true, fs: { read: ['./data'] } }), name).map((f) => f.chain)).toEqual([['main.js', 'a.js', 'b.js', 'lazy.js']]);
    expect(lintGraph('/app/main.js', graph(edges), resolveCapabilities({ spawn: true, fs: true }), name)).toEqual([]);
  });

  it('knows builtins with and without the node: prefix, and nothing else', () => {
    expect([builtinName('node:fs/promises'), builtinName('dgram'), builtinName('node:path'), builtinName('lodash')]).toEqual(['fs/promises', 'dgram', undefined, undefined]);
  });
});
