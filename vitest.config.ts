import { defineConfig } from 'vitest/config'

// Tests import workspace packages through the `@liuhen/source` export condition, so they run
// against `src/` without a build; the CLI end-to-end tests run the built `dist/` through bin/.
export default defineConfig({
  resolve: { conditions: ['@liuhen/source'] },
  ssr: { resolve: { conditions: ['@liuhen/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/*.slow.test.ts', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    benchmark: { include: ['benchmarks/**/*.bench.ts'] },
  },
})
