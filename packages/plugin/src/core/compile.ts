/**
 * From a declaration (as read from source or options) to what the loader embeds: the grants, the
 * violation mode, per architecture the filter bytes and the first-stage (io_uring) filter bytes,
 * and the Landlock plan, computed by `@syscage/core` exactly as the runtime would, minus the Node
 * version (a build does not know it, so it takes the union baseline). Results are cached per
 * declaration for the life of the compiler, so watch rebuilds and several entries with the same
 * declaration compile once.
 */

import { createHash } from 'node:crypto';
import type { PrecompiledSandbox } from '@syscage/runtime/loader';
import {
  buildPolicy,
  buildStage1Policy,
  compilePolicy,
  planLandlock,
  resolveCapabilities,
  type ArchName,
  type DeclarationPlace,
  type LandlockPlan,
  type Policy,
  type ResolvedCapabilities,
} from '@syscage/core';

/** One architecture's compiled filter. */
export interface ArchFilter {
  readonly bytes: Uint8Array;
  readonly base64: string;
  readonly sha256: string;
  readonly instructions: number;
}

/** A compiled declaration. */
export interface CompiledDeclaration {
  readonly resolved: ResolvedCapabilities;
  readonly policy: Policy;
  readonly filters: Readonly<Partial<Record<ArchName, ArchFilter>>>;
  readonly stage1: Readonly<Partial<Record<ArchName, ArchFilter>>>;
  /** What Landlock enforces: `planLandlock(resolved)`. */
  readonly landlock: LandlockPlan;
}

/** The argument of `applyPrecompiled()` (`@syscage/runtime/loader`), as the gate module embeds it. */
export type PrecompiledPayload = PrecompiledSandbox;

function toFilter(bytes: Uint8Array): ArchFilter {
  return { bytes, base64: Buffer.from(bytes).toString('base64'), sha256: createHash('sha256').update(bytes).digest('hex'), instructions: bytes.length / 8 };
}

const stage1Cache = new Map<ArchName, ArchFilter>();

/** Compiles declarations, remembering each result for the life of the compiler (one build or watch session). */
export interface DeclarationCompiler {
  /**
   * Validates and compiles `declaration`; `defaultOnViolation` applies when it does not say.
   * @throws {SyscageError} `UNKNOWN_CAPABILITY` / `INVALID_CAPABILITY` located at `where` (at the offending key when `where` knows it).
   */
  compile(declaration: unknown, where: DeclarationPlace | undefined): CompiledDeclaration;
}

let compiles = 0;

/** How many declarations all compilers of this process have compiled (cache misses): a debug hook for tests. */
export function compileCount(): number {
  return compiles;
}

/**
 * A caching compiler for the given architectures.
 * @example
 * const { filters } = createCompiler(['x86_64'], 'kill').compile({ fs: { read: true } }, undefined);
 */
export function createCompiler(arches: readonly ArchName[], defaultOnViolation: 'kill' | 'errno'): DeclarationCompiler {
  const cache = new Map<string, CompiledDeclaration>();
  return {
    compile(declaration, where) {
      const effective = withDefault(declaration, defaultOnViolation);
      const resolved = resolveCapabilities(effective, where);
      const key = JSON.stringify(effective);
      const cached = cache.get(key);
      if (cached) return cached;
      compiles++;
      const policy = buildPolicy(resolved);
      const filters: Partial<Record<ArchName, ArchFilter>> = {};
      const stage1: Partial<Record<ArchName, ArchFilter>> = {};
      for (const arch of arches) {
        filters[arch] = toFilter(compilePolicy(policy, arch).bytes);
        let first = stage1Cache.get(arch);
        if (!first) stage1Cache.set(arch, (first = toFilter(compilePolicy(buildStage1Policy(), arch).bytes)));
        stage1[arch] = first;
      }
      const compiled = Object.freeze({ resolved, policy, filters, stage1, landlock: planLandlock(resolved) });
      cache.set(key, compiled);
      return compiled;
    },
  };
}

function withDefault(declaration: unknown, onViolation: 'kill' | 'errno'): unknown {
  if (typeof declaration !== 'object' || declaration === null || Array.isArray(declaration) || 'onViolation' in declaration) return declaration;
  return { ...declaration, onViolation };
}

/** The payload `applyPrecompiled()` takes for `compiled`. */
export function toPayload(compiled: CompiledDeclaration): PrecompiledPayload {
  const pick = (record: Readonly<Partial<Record<ArchName, ArchFilter>>>): Partial<Record<ArchName, string>> =>
    Object.fromEntries(Object.entries(record).map(([arch, filter]) => [arch, filter.base64]));
  return {
    grants: [...compiled.resolved.grants],
    onViolation: compiled.resolved.onViolation,
    unsupported: compiled.resolved.unsupported,
    filters: pick(compiled.filters),
    stage1: pick(compiled.stage1),
    landlock: compiled.landlock,
  };
}
