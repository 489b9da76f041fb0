/**
 * Keeps the benchmark harness from rotting: `benchmarks/run.mjs --smoke` (tiny sizes, no
 * third-party peers, nothing written) must finish and print every scenario, and
 * `benchmarks/cli-e2e.mjs --smoke` must time `liuhen append` and `liuhen verify` of both formats.
 * Runs the built packages, like the CLI end-to-end tests.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

it('runs the benchmark harness at smoke sizes and prints every scenario', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['benchmarks/run.mjs', '--smoke', '--no-write', '--no-peers'], { cwd: root, timeout: 55_000 })
  for (const row of [
    'append, batches of 1 ',
    'append, batches of 100 ',
    'append, batches of 1000 ',
    '256 concurrent single appends',
    'sequential read-verify of 1000 entries',
    'full audit (auditLog) of 1000 entries',
    'inclusion proof generation',
    'inclusion proof verification (Merkle path)',
    'inclusion proof verification (path + signed root)',
  ]) {
    expect(stdout).toContain(`| ${row}`)
  }
  expect(stdout).toMatch(/^\| 1,000 \| [\d,]+ \|/m)
}, 60_000)

it('runs the end-to-end harness (liuhen append, then verify, as whole processes) at a smoke size', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['benchmarks/cli-e2e.mjs', '--smoke', '--no-peers', '--events', '500'], { cwd: root, timeout: 55_000 })
  expect(stdout).toMatch(/^\| liuhen append FILE \/ hypercore append, 500 events \| [\d,]+ \| [\d,]+ \|/m)
  expect(stdout).toMatch(/^\| liuhen verify \/ hypercore read back, whole process \| [\d,]+ \| [\d,]+ \|/m)
}, 60_000)

it('runs the service load harness (liuhen serve at 1, 16 and 256 clients against the embedded engine) at a smoke size', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['benchmarks/serve.mjs', '--smoke'], { cwd: root, timeout: 55_000 })
  for (const clients of [1, 16, 256]) expect(stdout).toMatch(new RegExp(`^\\| ${clients} \\| [\\d,]+ \\| [\\d,]+ \\| [\\d,]+ \\| [\\d.]+× \\|`, 'm'))
}, 60_000)
