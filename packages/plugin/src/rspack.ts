/**
 * The syscage plugin for Rspack: compiles each entry's `sandbox()` declaration (or `entries` option)
 * at build time and injects the loader that applies it first.
 * @example
 * import syscage from '@syscage/plugin/rspack';
 * export default { target: 'node', entry: './src/main.ts', plugins: [syscage()] };
 */
import syscage from './index.ts';

export default syscage.rspack;
