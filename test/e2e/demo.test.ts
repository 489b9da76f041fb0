/**
 * The main job, shortened: `liuhen demo` simulates, appends, audits and questions a district
 * ledger, and its findings must match the planted anomalies exactly.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, liuhen, ROOT, tempDir } from './helpers.js'

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
    // It leaves what is needed to ask again, and every command it prints works as printed.
    expect(readFileSync(join(dir, 'ledger.vkey'), 'utf8')).toMatch(/^demo\.liuhen\.example\/district\+[0-9a-f]{8}\+\S+\n$/)
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'resource-keys.json'), 'utf8'))).length).toBeGreaterThan(0)
    // Run from the checkout, the commands name its launcher, bin/liuhen (not a liuhen on PATH).
    const hints = out
      .slice(out.indexOf('Ask again'))
      .split('\n')
      .filter((l) => l.trimStart().startsWith('bin/liuhen '))
    expect(hints.map((h) => h.trim().split(' ')[1])).toEqual(['verify', 'findings', 'stats', 'chain', 'query'])
    for (const hint of hints) {
      const [command = '', note = ''] = hint.trim().split(/\s+#\s+/)
      const documented = /^exit (\d)\b/.exec(note)?.[1] ?? '0'
      // As a person would: pasted into a shell in the folder the demo ran in.
      const again = spawnSync('sh', ['-c', command], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 })
      expect(again.status, `${command}\n${again.stderr}`).toBe(Number(documented))
      expect(again.stderr).toBe('')
    }
    // A second run replaces its own previous ledger; a foreign directory is refused.
    expect(liuhen(['demo', '--dir', dir, '--days', '2', '--access-scale', '0.001', '--no-progress']).code).toBe(0)
    const foreign = tempDir()
    expect(liuhen(['init', join(foreign, 'x')]).code).toBe(0)
    const refused = liuhen(['demo', '--dir', foreign, '--no-progress'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/not a demo ledger/)
  })
})
