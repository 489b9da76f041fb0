import { defineConfig, mergeConfig } from 'vitest/config'
import base from './vitest.config.js'

// Long fuzzing and large-ledger runs: `pnpm test:slow`, not part of the CI suite.
export default mergeConfig(base, defineConfig({
  test: { include: ['packages/*/test/**/*.slow.test.ts', 'test/**/*.slow.test.ts'], exclude: ['**/node_modules/**'], testTimeout: 3_600_000 },
}))
