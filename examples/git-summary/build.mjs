// Builds src/main.ts into dist/git-summary.js with Rspack's JavaScript API (its CLI is a separate
// package). TypeScript goes through Rspack's built-in SWC loader; @syscage/runtime stays external:
// it loads its native ffi-rs binding from node_modules. The syscage plugin compiles the entry's
// sandbox() declaration and writes dist/git-summary.js.syscage.json.
import { rspack } from '@rspack/core';
import syscage from '@syscage/plugin/rspack';

const compiler = rspack({
  mode: 'production',
  target: 'node20',
  entry: './src/main.ts',
  devtool: false,
  output: { path: new URL('dist', import.meta.url).pathname, filename: 'git-summary.js', module: true, chunkFormat: 'module', library: { type: 'module' } },
  experiments: { outputModule: true },
  resolve: { extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } },
  module: { rules: [{ test: /\.ts$/, loader: 'builtin:swc-loader', options: { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' } }, type: 'javascript/esm' }] },
  externalsPresets: { node: true },
  externals: [/^@syscage\/runtime(\/|$)/],
  externalsType: 'module',
  optimization: { minimize: false },
  plugins: [syscage()],
});

const stats = await new Promise((resolve, reject) => compiler.run((error, result) => (error ? reject(error) : resolve(result))));
await new Promise((resolve) => compiler.close(resolve));
const { errors = [], warnings = [] } = stats.toJson({ all: false, errors: true, warnings: true });
for (const warning of warnings) console.warn(`warning: ${warning.message}`);
for (const error of errors) console.error(`error: ${error.message}`);
if (stats.hasErrors()) process.exitCode = 1;
