import { defineConfig } from 'vitest/config'

// Server tests run twice when DATABASE_URL is set (CI): on embedded SQLite and on PostgreSQL.
const serverOn = (db: 'sqlite' | 'postgres') => ({
  extends: true as const,
  test: { name: `server:${db}`, include: ['test/server/**/*.test.ts'], env: { ORG_TEST_DB: db } },
})

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    // Each file starts its own server and embedded database; two cores, so keep it modest.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      serverOn('sqlite'),
      ...(process.env.DATABASE_URL ? [serverOn('postgres')] : []),
      {
        extends: true,
        test: { name: 'main', include: ['test/main/**/*.test.ts'], env: { ORG_TEST_DB: 'sqlite' } },
      },
    ],
  },
})
