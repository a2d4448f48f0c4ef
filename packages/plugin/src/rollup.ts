/**
 * The syscage plugin for Rollup: compiles each entry's `sandbox()` declaration (or `entries` option)
 * at build time and injects the loader that applies it first.
 * @example
 * import syscage from '@syscage/plugin/rollup';
 * export default { input: 'src/main.js', output: { dir: 'dist', format: 'esm' }, external: [/^node:/, /^@syscage\/runtime/], plugins: [syscage()] };
 */
import syscage from './index.ts';

export default syscage.rollup;
