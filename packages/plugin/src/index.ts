/**
 * @syscage/plugin: compiles a program's sandbox declaration at build time and puts a gate in front
 * of the entry's output that applies it before any of the program is evaluated. The default export is the unplugin instance (`.esbuild`,
 * `.vite`, `.rollup`, `.webpack`, `.rspack`, `.rolldown`); each per-bundler subpath builds the same
 * plugin with its own bundler's unplugin adapter alone. The bundler-agnostic pieces are exported
 * for tools and tests: the transform runs without a bundler.
 */

import { createUnplugin, type UnpluginInstance } from 'unplugin';
import type { Options } from './core/options.ts';
import { createSyscagePlugin } from './factory.ts';

export { resolveOptions } from './core/options.ts';
export type { Options, ResolvedOptions } from './core/options.ts';
export { createTransformContext, mentionsRuntime, transformModule } from './core/transform.ts';
export type { DeclarationSource, SandboxedEntry, TransformContext, TransformOutput } from './core/transform.ts';
export { createManifest, formatManifest, manifestFileName } from './core/manifest.ts';
export type { ArchManifest, Manifest } from './core/manifest.ts';
export { lintGraph } from './core/lint.ts';
export type { GraphImport, LintFinding, ModuleGraph } from './core/lint.ts';
export { createGateModule, gateFileName, gateStatement, insertGate, readGateCode } from './core/gate.ts';
export type { GatedCode, OutputFormat } from './core/gate.ts';
export type { PrecompiledPayload } from './core/compile.ts';

export { DEV_SERVER_NOTE } from './factory.ts';

/**
 * The plugin for every bundler unplugin supports.
 * @example
 * import syscage from '@syscage/plugin';
 * await esbuild.build({ entryPoints: ['src/main.ts'], bundle: true, platform: 'node', plugins: [syscage.esbuild()] });
 */
const syscage: UnpluginInstance<Options | undefined, false> = createUnplugin<Options | undefined, false>(createSyscagePlugin);

export default syscage;
