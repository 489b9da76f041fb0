/**
 * End-to-end tests of the auditors' commands (`simulate`, `findings`, `chain`, `query`, `stats`,
 * `--as`) on a small simulated district ledger. Expected answers come from @liuhen/sim itself
 * (the same seed regenerates the same events), never from the commands under test.
 */
import { cpSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Event } from '@liuhen/core'
import { simulate } from '@liuhen/sim'
import { ensureBuilt, jsonLines, liuhen, tempDir } from './helpers.js'
import { flipEntryByte } from './log-files.js'

// Small enough for a short run (about 16k events), large enough for every kind of chain.
const SIM = { seed: 7, days: 30, accessScale: 0.003 }
const simArgs = ['--seed', String(SIM.seed), '--days', String(SIM.days), '--access-scale', String(SIM.accessScale), '--no-progress']

let ledger: string
let events: Event[]
const byId = new Map<string, Event>()

/** An access under a grant whose basis is an endorsement, with that grant and endorsement. */
function endorsedAccess(): { access: Event; grant: Event; endorsement: Event } {
  for (const access of events) {
    const grant = access.type === 'access.performed' ? byId.get(String(access.refs?.['grant'])) : undefined
    const endorsement = grant?.type === 'grant.issued' ? byId.get(String(grant.refs?.['endorsement'])) : undefined
    if (grant && endorsement?.type === 'escalation.decided' && endorsement.data['decision'] === 'endorsed') return { access, grant, endorsement }
  }
  throw new Error('the simulation holds no access under an endorsed grant')
}

const ledgerSize = (): number => Number(liuhen(['checkpoint', ledger]).stdout.split('\n')[1])

beforeAll(() => {
  ensureBuilt()
  ledger = join(tempDir(), 'district')
  const r = liuhen(['simulate', ledger, ...simArgs])
  expect(r.code, r.stderr).toBe(0)
  events = [...simulate(SIM)]
  for (const e of events) byId.set(e.id, e)
}, 180_000)

describe('liuhen simulate', { timeout: 120_000 }, () => {
  it('appends every simulated event and writes truth.json and resource-keys.json', () => {
    expect(ledgerSize()).toBe(events.length)
    const truth = JSON.parse(readFileSync(join(ledger, 'truth.json'), 'utf8'))
    expect(truth).toMatchObject({ format: 'liuhen-truth/1', options: { seed: 7, days: 30, accessScale: 0.003 }, events: events.length, asOf: events.at(-1)?.at })
    expect(truth.labels).toEqual(simulate(SIM).truth)
    const keys = JSON.parse(readFileSync(join(ledger, 'resource-keys.json'), 'utf8'))
    const sim = simulate(SIM)
    const resource = String(events.find((e) => e.type === 'access.performed')?.data['resource'])
    expect(keys[resource]).toBe(Buffer.from(sim.resourceKey(resource)).toString('hex'))
  })

  it('--score alone scores the findings: recall and precision 1 for every code', () => {
    const r = liuhen(['simulate', ledger, '--score', '--json', '--no-progress'])
    expect(r.code, r.stderr).toBe(0)
    const { score } = JSON.parse(r.stdout)
    expect(score.overall).toMatchObject({ recall: 1, precision: 1 })
    expect(score.overall.labels).toBeGreaterThan(20)
    for (const line of Object.values(score.byCode) as { recall: number; precision: number }[]) expect(line).toMatchObject({ recall: 1, precision: 1 })
    expect(liuhen(['simulate', ledger, '--score']).stdout).toMatch(/Result: recall and precision 1\.0 for every code\./)
  })

  it('refuses a ledger that already holds entries, and --score without a truth.json', () => {
    expect(liuhen(['simulate', ledger, ...simArgs]).code).toBe(2)
    const plain = join(tempDir(), 'plain')
    expect(liuhen(['init', plain]).code).toBe(0)
    const r = liuhen(['simulate', plain, '--score'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/no truth\.json/)
  })
})

describe('liuhen findings, chain, query, stats', { timeout: 120_000 }, () => {
  it('findings --json: exactly the planted anomalies, each with evidence and parties; exit 1', () => {
    const r = liuhen(['findings', ledger, '--json', '--no-progress'])
    expect(r.code).toBe(1)
    const { findings } = JSON.parse(r.stdout)
    const key = (x: { code: string; event: string }): string => `${x.code} ${x.event}`
    expect(new Set(findings.map(key))).toEqual(new Set(simulate(SIM).truth.map(key)))
    for (const f of findings) {
      expect(Array.isArray(f.evidence)).toBe(true)
      expect(f.parties.length, key(f)).toBeGreaterThan(0)
      for (const p of f.parties) expect(p.rule).toMatch(/^R[1-6]$/)
    }
    const human = liuhen(['findings', ledger, '--code', 'REPLY_LATE'])
    expect(human.code).toBe(1)
    const late = findings.filter((f: { code: string }) => f.code === 'REPLY_LATE').length
    expect(human.stdout).toContain(`REPLY_LATE (${late})`)
  })

  it('findings filters by code and time; none found is exit 0', () => {
    const r = liuhen(['findings', ledger, '--code', 'GRANT_NOT_SHARED_DATA', 'GRANT_MANY_BASES', '--to', '2026-02-08', '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).findings).toEqual([])
    expect(liuhen(['findings', ledger, '--code', 'NOT_A_CODE']).code).toBe(2)
    expect(liuhen(['findings', ledger, '--from', 'yesterday']).code).toBe(2)
  })

  it('chain --json of an access under an endorsed grant names the endorser (R3) and the user (R2), every link included', () => {
    const { access, grant, endorsement } = endorsedAccess()
    const r = liuhen(['chain', ledger, access.id, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const c = JSON.parse(r.stdout)
    expect(c).toMatchObject({ ok: true, event: { id: access.id }, broken: [] })
    expect(c.checkpoint.size).toBe(events.length)
    const ids = c.chain.map((l: { id: string }) => l.id)
    expect(ids.slice(0, 1)).toEqual([access.id])
    expect(ids).toEqual(expect.arrayContaining([grant.id, endorsement.id, String(grant.refs?.['request'])]))
    for (const l of c.chain) {
      expect(l.hash).toMatch(/^[0-9a-f]{64}$/)
      expect(l.included).toBe(true)
    }
    expect(c.parties).toContainEqual({ dept: endorsement.actor.dept, person: endorsement.actor.person, role: 'endorser', rule: 'R3' })
    expect(c.parties).toContainEqual({ dept: access.actor.dept, person: access.actor.person, role: 'user', rule: 'R2' })
    const human = liuhen(['chain', ledger, access.id])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(new RegExp(`└─ endorsement: ${endorsement.id}  escalation\\.decided`))
    expect(human.stdout).toMatch(new RegExp(`R3  endorser +${endorsement.actor.dept} ${endorsement.actor.person}`))
    expect(human.stdout).toMatch(/Result: VERIFIED/)
  })

  it('chain of an unknown id is exit 2', () => {
    const r = liuhen(['chain', ledger, 'no-such-event'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/no event no-such-event/)
  })

  it('query --record --record-key returns exactly the accesses the simulation made to that record', () => {
    const sim = simulate(SIM)
    const seen = new Map<string, string[]>() // resource + record -> access ids
    for (const e of events) {
      if (e.type !== 'access.performed') continue
      const resource = String(e.data['resource'])
      const digests = e.data['recordDigests'] as string[]
      for (const record of sim.knownRecords) if (digests.includes(sim.recordDigest(resource, record))) seen.set(`${resource} ${record}`, [...(seen.get(`${resource} ${record}`) ?? []), e.id])
    }
    const [pair, expected] = [...seen].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []]
    const [resource, record] = pair.split(' ') as [string, string]
    expect(expected.length).toBeGreaterThan(1)
    const key = JSON.parse(readFileSync(join(ledger, 'resource-keys.json'), 'utf8'))[resource]
    const r = liuhen(['query', ledger, '--resource', resource, '--record', record, '--record-key', key, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const { accesses } = JSON.parse(r.stdout)
    expect(accesses.map((a: { id: string }) => a.id).sort()).toEqual([...expected].sort())
    for (const a of accesses) expect(a.grant?.id).toBe(byId.get(a.id)?.refs?.['grant'])
    // The key file works as --record-key too; a window narrows the answer.
    const first = byId.get(expected[0] as string) as Event
    const windowed = liuhen(['query', ledger, '--resource', resource, '--record', record, '--record-key', join(ledger, 'resource-keys.json'), '--to', first.at, '--json'])
    expect(JSON.parse(windowed.stdout).accesses.map((a: { id: string }) => a.id)).toEqual([first.id])
    const table = liuhen(['query', ledger, '--resource', resource, '--record', record, '--record-key', key])
    expect(table.stdout).toMatch(/^at +access +by +grant +basis +approved by +outcome +status\n/)
    expect(table.stdout).toContain(`${expected.length} accesses`)
    expect(liuhen(['query', ledger, '--resource', resource, '--record', record]).code).toBe(2)
  })

  it('stats --json: totals of grants, accesses and rows, split three ways', () => {
    const r = liuhen(['stats', ledger, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const s = JSON.parse(r.stdout)
    const served = events.filter((e) => e.type === 'access.performed' && e.data['outcome'] !== 'denied')
    const totals = { grants: events.filter((e) => e.type === 'grant.issued').length, accesses: served.length, rows: served.reduce((n, e) => n + Number(e.data['rows']), 0) }
    expect(s.totals).toEqual(totals)
    for (const split of [s.byMechanism, s.byDirection, s.bySensitivity]) {
      const sum = (k: 'grants' | 'accesses' | 'rows'): number => Object.values(split as Record<string, typeof totals>).reduce((n, t) => n + t[k], 0)
      expect({ grants: sum('grants'), accesses: sum('accesses'), rows: sum('rows') }).toEqual(totals)
    }
    expect(Object.keys(s.byMechanism)).toEqual(expect.arrayContaining(['platform-auto', 'platform-reply', 'escalation']))
    expect(liuhen(['stats', ledger]).stdout).toMatch(/By mechanism[\s\S]*By direction[\s\S]*By sensitivity/)
  })
})

describe('auditing the auditors, and a tampered link', { timeout: 120_000 }, () => {
  it('--as appends an audit.queried event naming the auditor, the command and digests only', () => {
    const before = ledgerSize()
    const { access } = endorsedAccess()
    expect(liuhen(['chain', ledger, access.id, '--as', 'p-audit-01', '--as-dept', 'district.audit']).code).toBe(0)
    const sim = simulate(SIM)
    const resource = String(access.data['resource'])
    const record = sim.knownRecords[0] as string
    const key = join(ledger, 'resource-keys.json')
    expect(liuhen(['query', ledger, '--resource', resource, '--record', record, '--record-key', key, '--as', 'p-audit-02', '--as-dept', 'district.audit']).code).toBe(0)
    expect(liuhen(['findings', ledger, '--code', 'DATA_STALE', '--as', 'p-audit-01']).code).toBe(1)
    const tail = liuhen(['tail', ledger, '--from', String(before)])
    expect(tail.code).toBe(0)
    const added = jsonLines(tail.stdout).map((l) => l.event)
    expect(added.map((e) => e.type)).toEqual(['audit.queried', 'audit.queried', 'audit.queried'])
    expect(added[0]).toMatchObject({ actor: { dept: 'district.audit', person: 'p-audit-01' }, data: { command: 'chain', params: { event: access.id } } })
    expect(added[0].data.results).toBeGreaterThan(2)
    expect(added[1]).toMatchObject({ actor: { person: 'p-audit-02' }, data: { command: 'query', params: { resource, recordDigest: sim.recordDigest(resource, record) } } })
    expect(added[2]).toMatchObject({ actor: { dept: 'audit', person: 'p-audit-01' }, data: { command: 'findings', params: { codes: ['DATA_STALE'] } } })
    expect(tail.stdout).not.toContain(record) // never the raw record id
    // The auditors' trail is on the record but no platform activity: the score is unchanged.
    expect(liuhen(['simulate', ledger, '--score', '--no-progress']).code).toBe(0)
  })

  it('chain exits 1 when a linked entry was changed in the log (a bit flipped in its entry bundle)', () => {
    const { access, grant } = endorsedAccess()
    const copy = join(tempDir(), 'tampered')
    cpSync(ledger, copy, { recursive: true })
    const index = JSON.parse(liuhen(['chain', copy, grant.id, '--json']).stdout).chain[0].index as number
    flipEntryByte(copy, index)
    const r = liuhen(['chain', copy, access.id, '--json'])
    expect(r.code).toBe(1)
    const c = JSON.parse(r.stdout)
    expect(c.ok).toBe(false)
    expect(c.broken.map((b: { id: string }) => b.id)).toContain(grant.id)
    expect(r.stderr).toMatch(/^liuhen: chain of .* failed/)
    expect(liuhen(['chain', copy, access.id]).stdout).toMatch(/Result: FAILED/)
    expect(liuhen(['chain', ledger, access.id]).code).toBe(0)
  })
})
