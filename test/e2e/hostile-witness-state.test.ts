/**
 * A witness state file handed over or edited: each bad field is refused (exit 2) with a message
 * that shows the field as it is, so "113" (a string) does not read as the size 113, and a state
 * of another origin under the same key names that origin.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ensureBuilt, extra, liuhen, tempDir } from './helpers.js'

describe('witness cosign with a crafted state file', { timeout: 120_000 }, () => {
  it('names the field as it is in the file', () => {
    ensureBuilt()
    const dir = join(tempDir(), 'ledger')
    expect(liuhen(['init', dir]).code).toBe(0)
    expect(liuhen(['append', dir], extra(2)).code).toBe(0)
    const signer = join(dir, 'witness.key')
    const state = join(dir, 'witness-state.json')
    expect(liuhen(['witness', 'keygen', '--name', 'witness.example/w1', '--out', signer]).code).toBe(0)
    const cosign = (): { code: number | null; stderr: string } => liuhen(['witness', 'cosign', dir, '--signer', signer, '--key', join(dir, 'ledger.vkey'), '--state', state])
    expect(cosign().code).toBe(0)
    const good = JSON.parse(readFileSync(state, 'utf8')) as Record<string, unknown>
    writeFileSync(state, JSON.stringify({ ...good, size: String(good['size']) }))
    const size = cosign()
    expect(size.code).toBe(2)
    expect(size.stderr).toContain(`size "${String(good['size'])}" is not the size of its last checkpoint (${String(good['size'])})`)
    writeFileSync(state, JSON.stringify({ ...good, origin: 'other.example/log' }))
    const origin = cosign()
    expect(origin.code).toBe(2)
    expect(origin.stderr).toContain('it is the state of another log (origin "other.example/log", key ')
  })
})
