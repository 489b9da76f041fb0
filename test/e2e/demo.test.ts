/**
 * The main job, shortened: `liuhen demo` simulates, appends, audits and questions a district
 * ledger, and its findings must match the planted anomalies exactly.
 */
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, liuhen, tempDir } from './helpers.js'

beforeAll(() => ensureBuilt(), 120_000)

describe('liuhen demo', { timeout: 180_000 }, () => {
  it('builds a verified district ledger whose findings match the planted anomalies', () => {
    const dir = join(tempDir(), 'demo')
    const r = liuhen(['demo', '--dir', dir, '--days', '12', '--access-scale', '0.002', '--no-progress'])
    expect(r.code, r.stderr).toBe(0)
    // Colours are on where the environment asks for them (CI does): read the text without them.
    const out = stripVTControlCharacters(r.stdout)
    expect(out).toMatch(/Audit: VALID/)
    expect(out).toMatch(/recall 1\.00, precision 1\.00/)
    expect(out).toMatch(/every link verified against the checkpoint/)
    // A second run replaces its own previous ledger; a foreign directory is refused.
    expect(liuhen(['demo', '--dir', dir, '--days', '2', '--access-scale', '0.001', '--no-progress']).code).toBe(0)
    const foreign = tempDir()
    expect(liuhen(['init', join(foreign, 'x')]).code).toBe(0)
    const refused = liuhen(['demo', '--dir', foreign, '--no-progress'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/not a demo ledger/)
  })
})
