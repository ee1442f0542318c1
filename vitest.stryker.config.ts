import { defineConfig } from 'vitest/config'

// Mutation runs (stryker.config.json): in-process tests only. Tests that run the server or the client in
// a child process cannot see Stryker's active mutant, so they would only add time.
export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'server:sqlite',
          include: ['test/server/**/*.test.ts'],
          exclude: ['test/server/concurrency.test.ts', 'test/server/api-surface.test.ts'],
          env: { ORG_TEST_DB: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'main',
          include: ['test/main/**/*.test.ts'],
          exclude: ['test/main/refresh-crash.test.ts', 'test/main/backend.test.ts', 'test/main/harness.test.ts'],
          env: { ORG_TEST_DB: 'sqlite' },
        },
      },
    ],
  },
})
