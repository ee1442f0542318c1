// Mutation testing (issue 7): `npm run mutation`, or MUTATE=a.ts,b.ts to mutate a subset.
// Slow on two cores (minutes per hundred mutants), so it is run by hand, not in CI.
const mutate = process.env.MUTATE ? process.env.MUTATE.split(',') : ['src/server/services/**/*.ts', 'src/main/services/**/*.ts']
const report = process.env.MUTATION_REPORT ?? 'reports/mutation/mutation'

export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate,
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  coverageAnalysis: 'perTest',
  timeoutMS: 30_000,
  reporters: ['clear-text', 'json', 'html', 'progress-append-only'],
  jsonReporter: { fileName: `${report}.json` },
  htmlReporter: { fileName: `${report}.html` },
  ignorePatterns: ['out', 'test-results', 'reports', 'bench', 'test/e2e'],
  disableTypeChecks: true,
  ignoreStatic: true,
}
