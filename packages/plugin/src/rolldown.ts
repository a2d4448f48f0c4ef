/**
 * The syscage plugin for Rolldown: compiles each entry's `sandbox()` declaration (or `entries` option)
 * at build time and injects the loader that applies it first.
 * @example
 * import syscage from '@syscage/plugin/rolldown';
 * export default { input: 'src/main.ts', platform: 'node', output: { dir: 'dist' }, plugins: [syscage()] };
 */
import syscage from './index.ts';

export default syscage.rolldown;
