import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'policy-core',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['./test/setup/fast-check.ts'],
  },
})
