import { defineConfig } from 'vitest/config'

// Long fuzzing and large-ledger runs: `pnpm test:slow`, not part of the CI suite. A config of its
// own rather than a merge: mergeConfig concatenates arrays, so the base's exclusion of
// *.slow.test.ts would survive it.
export default defineConfig({
  resolve: { conditions: ['@liuhen/source'] },
  ssr: { resolve: { conditions: ['@liuhen/source'] } },
  test: {
    include: ['packages/*/test/**/*.slow.test.ts', 'test/**/*.slow.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 3_600_000,
  },
})
