/**
 * A careless operator: folder names with spaces and non-ASCII characters, damaged key files,
 * a missing temporary folder. Each gets a clear one-line error with the right exit code, or works.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, liuhen, tempDir } from './helpers.js'

beforeAll(() => ensureBuilt())

describe('a ledger folder whose name holds spaces and non-ASCII characters', () => {
  it('init and simulate give it a valid default origin and it verifies', () => {
    const base = join(tempDir(), '审计 台账+1')
    mkdirSync(base)
    const ledger = join(base, '留痕 台账')
    const init = liuhen(['init', ledger])
    expect(init.code, init.stderr).toBe(0)
    expect(init.stdout).toMatch(/^liuhen\.local\/留痕-台账\+[0-9a-f]{8}\+/)
    const sim = liuhen(['simulate', join(base, 'sim ledger+x'), '--days', '1', '--access-scale', '0.002', '--no-progress'])
    expect(sim.code, sim.stderr).toBe(0)
    expect(readFileSync(join(base, 'sim ledger+x', 'ledger.vkey'), 'utf8')).toMatch(/^liuhen\.local\/sim-ledger-x\+/)
    expect(liuhen(['verify', join(base, 'sim ledger+x')]).code).toBe(0)
  })
})
