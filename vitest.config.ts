import { defineConfig } from 'vitest/config';

/**
 * One vitest project per package plus the cross-package tests in `test/`. Packages resolve each
 * other through the `source` export condition, so tests run against the TypeScript sources; tests
 * that run programs in child processes use the built `dist/` output (`pnpm build` first).
 */
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'core', root: 'packages/core', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'runtime',
          root: 'packages/runtime',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: { name: 'plugin', root: 'packages/plugin', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        extends: true,
        test: { name: 'cli', root: 'packages/cli', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          root: 'test',
          include: ['**/*.test.ts'],
          globalSetup: ['../packages/runtime/test/global-setup.ts'],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'examples',
          root: 'examples',
          include: ['*/test/**/*.test.ts'],
          globalSetup: ['global-setup.ts'],
          testTimeout: 60_000,
          // static-server and fetch-json's loopback server both listen on 8080, the port they declare.
          fileParallelism: false,
        },
      },
    ],
  },
});
