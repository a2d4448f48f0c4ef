/**
 * From a declaration (as read from source or options) to what the loader embeds: the grants, the
 * violation mode, per architecture the filter bytes and the first-stage (io_uring) filter bytes,
 * and the Landlock plan, computed by core's `prepareDeclaration` exactly as the runtime would,
 * minus the Node version (a build does not know it, so it takes the union baseline), together with
 * the payload the gate embeds. Results are cached per declaration for the life of the compiler, so
 * watch rebuilds and several entries with the same declaration compile once.
 */

import { createHash } from 'node:crypto';
import type { PrecompiledSandbox } from '@syscage/runtime/loader';
import { prepareDeclaration, type ArchName, type DeclarationPlace, type LandlockPlan, type Policy, type ResolvedCapabilities, type ViolationMode } from '@syscage/core';

/** One architecture's compiled filter. */
export interface ArchFilter {
  readonly bytes: Uint8Array;
  readonly base64: string;
  readonly sha256: string;
  readonly instructions: number;
}

/** Filters by architecture. */
export type ArchFilters = Readonly<Partial<Record<ArchName, ArchFilter>>>;

/** A compiled declaration. */
export interface CompiledDeclaration {
  readonly resolved: ResolvedCapabilities;
  readonly policy: Policy;
  readonly filters: ArchFilters;
  readonly stage1: ArchFilters;
  /** What Landlock enforces: `planLandlock(resolved)`. */
  readonly landlock: LandlockPlan;
  /** What the gate passes to `applyPrecompiled()`. */
  readonly payload: PrecompiledPayload;
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

/**
 * A caching compiler for the given architectures.
 * @example
 * const { filters } = createCompiler(['x86_64'], 'kill').compile({ fs: { read: true } }, undefined);
 */
export function createCompiler(arches: readonly ArchName[], defaultOnViolation: ViolationMode): DeclarationCompiler {
  const cache = new Map<string, CompiledDeclaration>();
  return {
    compile(declaration, where) {
      const effective = withDefault(declaration, defaultOnViolation);
      const prepared = prepareDeclaration(effective, { where });
      const key = JSON.stringify(effective);
      const cached = cache.get(key);
      if (cached) return cached;
      const filters: Partial<Record<ArchName, ArchFilter>> = {};
      const stage1: Partial<Record<ArchName, ArchFilter>> = {};
      for (const arch of arches) {
        filters[arch] = toFilter(prepared.filter(arch).bytes);
        let first = stage1Cache.get(arch);
        if (!first) stage1Cache.set(arch, (first = toFilter(prepared.stage1(arch).bytes)));
        stage1[arch] = first;
      }
      const { resolved, policy, landlock } = prepared;
      const compiled = Object.freeze({ resolved, policy, filters, stage1, landlock, payload: toPayload(resolved, filters, stage1, landlock) });
      cache.set(key, compiled);
      return compiled;
    },
  };
}

function withDefault(declaration: unknown, onViolation: ViolationMode): unknown {
  if (typeof declaration !== 'object' || declaration === null || Array.isArray(declaration) || 'onViolation' in declaration) return declaration;
  return { ...declaration, onViolation };
}

function toPayload(resolved: ResolvedCapabilities, filters: ArchFilters, stage1: ArchFilters, landlock: LandlockPlan): PrecompiledPayload {
  const pick = (record: ArchFilters): Partial<Record<ArchName, string>> => Object.fromEntries(Object.entries(record).map(([arch, filter]) => [arch, filter.base64]));
  return {
    grants: [...resolved.grants],
    onViolation: resolved.onViolation,
    unsupported: resolved.unsupported,
    filters: pick(filters),
    stage1: pick(stage1),
    landlock,
  };
}
