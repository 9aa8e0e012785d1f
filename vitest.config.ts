import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One copy of graphql: its ESM and CJS entries would otherwise both load ("another realm").
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: [
      'packages/*/src/**/*.spec.ts',
      'subgraphs/*/src/**/*.spec.ts',
      'gateway/src/**/*.spec.ts',
      'test/**/*.spec.ts',
      'scripts/**/*.spec.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['packages/testing/src/global-setup.ts'],
  },
});
