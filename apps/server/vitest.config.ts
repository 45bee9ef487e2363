import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['../../packages/policy-core/test/setup/fast-check.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Files share one PostgreSQL server and two cores; run them one after another.
    fileParallelism: false,
  },
})
