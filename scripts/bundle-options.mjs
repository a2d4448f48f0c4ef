// The esbuild options every package bundle shares (scripts/bundle.mjs, scripts/bundle-plugin.mjs):
// one ES module per entry for Node 20 and later, with a source map.
export const PACKAGE_BUNDLE = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
};
