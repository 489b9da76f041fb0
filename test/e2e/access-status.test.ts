/**
 * End-to-end: answers carry what makes them wrong. `query` and `chain` (human and --json) show
 * each access's status: the findings about it and the events that changed its grant. Checked on
 * the district sample (an access after its grant's revocation) and on a simulated month, where
 * every planted access anomaly must show in the query row and the chain of its access.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, liuhen, SAMPLE, tempDir } from './helpers.js'

let sample: string
let simulated: string

beforeAll(() => {
  ensureBuilt()
  sample = join(tempDir(), 'sample')
  expect(liuhen(['init', sample]).code).toBe(0)
  expect(liuhen(['append', sample, SAMPLE]).code).toBe(0)
  simulated = join(tempDir(), 'district')
  const r = liuhen(['simulate', simulated, '--seed', '7', '--days', '30', '--access-scale', '0.003', '--no-progress'])
  expect(r.code, r.stderr).toBe(0)
}, 180_000)

const json = (args: string[]): any => {
  const r = liuhen(args)
  expect(r.stderr).toBe('')
  return JSON.parse(r.stdout)
}

describe('an access made after its grant was revoked (the district sample)', () => {
  // acc-2026-000062 used grant-0003 at 13:58 on 1 Feb; grev-0001 revoked it at 12:09 and was appended first.
  const access = 'acc-2026-000062'

  it('query: the row carries ACCESS_GRANT_REVOKED and the revocation (id, index, leaf hash)', () => {
    const revocation = json(['chain', sample, 'grev-0001', '--json']).chain[0]
    const { accesses } = json(['query', sample, '--resource', 'res.market.license', '--person', 'p-6011', '--json'])
    const row = accesses.find((a: any) => a.id === access)
    expect(row.status.findings.map((f: any) => f.code)).toContain('ACCESS_GRANT_REVOKED')
    expect(row.status.findings.find((f: any) => f.code === 'ACCESS_GRANT_REVOKED').evidence).toEqual(['grant-0003', 'grev-0001'])
    expect(row.status.events).toContainEqual({
      id: 'grev-0001',
      type: 'grant.revoked',
      index: revocation.index,
      hash: revocation.hash,
      at: revocation.at,
      ref: 'grant',
      target: 'grant-0003',
      later: false,
    })
    const human = liuhen(['query', sample, '--resource', 'res.market.license', '--person', 'p-6011']).stdout
    expect(human).toMatch(new RegExp(`${access} .*ACCESS_GRANT_REVOKED`))
    expect(human).toContain(`grant.revoked grev-0001 (grant of grant-0003)  #${revocation.index}`)
    expect(human).toContain(revocation.hash)
  })

  it('chain: the revocation is a later link, the access carries the finding, and the chain is not clean', () => {
    const c = json(['chain', sample, access, '--json'])
    expect(c.ok).toBe(true)
    expect(c.clean).toBe(false)
    expect(c.findings.map((f: any) => `${f.code} ${f.event}`)).toContain(`ACCESS_GRANT_REVOKED ${access}`)
    expect(c.chain[0].status.findings.map((f: any) => f.code)).toContain('ACCESS_GRANT_REVOKED')
    expect(c.chain.find((l: any) => l.id === 'grev-0001')).toMatchObject({ type: 'grant.revoked', later: true, refName: 'grant', from: 'grant-0003', included: true })
    const human = liuhen(['chain', sample, access]).stdout
    expect(human).toMatch(/LATER, citing it by grant: grev-0001 {2}grant\.revoked/)
    expect(human).toMatch(/NOT CLEAN: .*ACCESS_GRANT_REVOKED \(acc-2026-000062\)/)
  })

  it('bundle: holds the revocation with the chain, and verifies offline', () => {
    const file = join(tempDir(), 'bundle.json')
    const w = liuhen(['bundle', sample, access, '-o', file])
    expect(w.code, w.stderr).toBe(0)
    expect(w.stdout).toContain('and 1 later event bearing on its chain')
    const r = liuhen(['verify-bundle', file, '--key', join(sample, 'ledger.vkey'), '--json'])
    expect(r.code, r.stderr).toBe(0)
    const check = JSON.parse(r.stdout)
    expect(check.ok).toBe(true)
    expect(check.chain[0].id).toBe(access)
    expect(check.chain.map((l: any) => l.id)).toContain('grev-0001')
  })

  it('findings reports the same code about the same access', () => {
    const r = liuhen(['findings', sample, '--json', '--code', 'ACCESS_GRANT_REVOKED'])
    expect(JSON.parse(r.stdout).findings.map((f: any) => f.event)).toEqual([access])
  })
})

describe('every planted access anomaly of a simulated month shows in query and chain', () => {
  it('through --json', () => {
    const truth = JSON.parse(readFileSync(join(simulated, 'truth.json'), 'utf8')) as { labels: { code: string; event: string }[] }
    const findings = json(['findings', simulated, '--json']).findings as { code: string; event: string }[]
    const accessCodes = new Set(['ACCESS_NO_GRANT', 'ACCESS_GRANT_EXPIRED', 'ACCESS_GRANT_REVOKED', 'ACCESS_OUT_OF_SCOPE', 'ACCESS_STORED', 'DATA_STALE'])
    const planted = truth.labels.filter((l) => accessCodes.has(l.code))
    expect(planted.length).toBeGreaterThan(10)
    for (const label of planted) {
      // An access without a grant has a broken chain (exit 1), whose --json is printed all the same.
      const c = JSON.parse(liuhen(['chain', simulated, label.event, '--json']).stdout)
      const what = `${label.code} ${label.event}`
      expect(c.chain[0].type, what).toBe('access.performed')
      expect(
        c.chain[0].status.findings.map((f: any) => f.code),
        what,
      ).toContain(label.code)
      expect(c.clean, what).toBe(false)
      // The query of the access's resource and person lists it with the same codes as findings.
      const e = c.event
      const { accesses } = json(['query', simulated, '--resource', e.data.resource, '--person', e.actor.person, '--from', e.at, '--to', e.at, '--json'])
      const row = accesses.find((a: any) => a.id === label.event)
      const codes = findings.filter((f) => f.event === label.event).map((f) => f.code)
      expect(
        row.status.findings.map((f: any) => f.code),
        what,
      ).toEqual(codes)
    }
  }, 300_000)
})
