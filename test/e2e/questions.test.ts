/**
 * DOMAIN.md's ten auditor questions, each answered by one `liuhen` invocation on a simulated
 * district ledger (the same table is in packages/cli/README.md, "What auditors ask, and how").
 * Expected answers come from the simulation's own events and ground truth.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Event } from '@liuhen/core'
import { simulate } from '@liuhen/sim'
import { ensureBuilt, liuhen, tempDir, type Run } from './helpers.js'

const SIM = { seed: 3, days: 30, accessScale: 0.003 }

let ledger: string
let held: string
let events: Event[]
const byId = new Map<string, Event>()
const truth = simulate(SIM).truth
const key = (x: { code: string; event: string }): string => `${x.code} ${x.event}`
const planted = (codes: string[]): Set<string> => new Set(truth.filter((l) => codes.includes(l.code)).map(key))

beforeAll(() => {
  ensureBuilt()
  const dir = tempDir()
  ledger = join(dir, 'district')
  const r = liuhen(['simulate', ledger, '--seed', String(SIM.seed), '--days', String(SIM.days), '--access-scale', String(SIM.accessScale), '--no-progress'])
  expect(r.code, r.stderr).toBe(0)
  held = join(dir, 'held.checkpoint')
  writeFileSync(held, liuhen(['checkpoint', ledger]).stdout)
  events = [...simulate(SIM)]
  for (const e of events) byId.set(e.id, e)
}, 180_000)

/** Runs `liuhen` and parses its JSON output. */
function json(args: string[], exit: number): any {
  const r: Run = liuhen(args)
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(exit)
  return JSON.parse(r.stdout)
}

/** The findings of `codes`, which must be exactly the planted ones (exit 1 when any). */
function findingsMatchTruth(codes: string[]): any[] {
  const want = planted(codes)
  const { findings } = json(['findings', ledger, '--code', ...codes, '--json'], want.size > 0 ? 1 : 0)
  expect(new Set(findings.map(key))).toEqual(want)
  return findings
}

describe("DOMAIN.md's ten auditor questions, one command each", { timeout: 120_000 }, () => {
  it('1. who accessed record X of resource R between t1 and t2, under which grant, on what basis, approved by whom', () => {
    const sim = simulate(SIM)
    const hits = new Map<string, string[]>()
    for (const e of events) {
      if (e.type !== 'access.performed' || e.at < '2026-02-16' || e.at > '2026-03-01') continue
      const r = String(e.data['resource'])
      for (const x of sim.knownRecords) if ((e.data['recordDigests'] as string[]).includes(sim.recordDigest(r, x))) hits.set(`${r} ${x}`, [...(hits.get(`${r} ${x}`) ?? []), e.id])
    }
    const [pair, ids] = [...hits].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []]
    const [resource, record] = pair.split(' ') as [string, string]
    const { accesses } = json(
      ['query', ledger, '--resource', resource, '--record', record, '--record-key', join(ledger, 'resource-keys.json'), '--from', '2026-02-16', '--to', '2026-02-28', '--json'],
      0,
    )
    expect(accesses.map((a: { id: string }) => a.id).sort()).toEqual([...ids].sort())
    for (const a of accesses) {
      expect(a.grant.id).toBe(byId.get(a.id)?.refs?.['grant'])
      expect(a.basis).toMatchObject({ name: expect.any(String), id: expect.any(String), type: expect.any(String) })
      expect(a.approvers.length).toBeGreaterThan(0)
    }
  })

  it('2. which accesses had no valid grant, came after expiry or revocation, or exceeded scope', () => {
    const findings = findingsMatchTruth(['ACCESS_NO_GRANT', 'ACCESS_GRANT_EXPIRED', 'ACCESS_GRANT_REVOKED', 'ACCESS_OUT_OF_SCOPE', 'ACCESS_STORED'])
    expect(findings.length).toBeGreaterThan(0)
    for (const f of findings) expect(f.parties).toContainEqual(expect.objectContaining({ rule: 'R2', role: 'user', person: byId.get(f.event)?.actor.person }))
  })

  it('3. which requests missed their deadline, and at which department', () => {
    const findings = findingsMatchTruth(['REPLY_LATE', 'REQUEST_UNANSWERED'])
    expect(findings.length).toBeGreaterThan(0)
    for (const f of findings) expect(f.parties).toContainEqual(expect.objectContaining({ rule: 'R1', role: 'owner', dept: expect.stringMatching(/\./) }))
  })

  it('4. whose endorsement carries the responsibility for this flow of conditional data', () => {
    const grant = events.find((e) => e.type === 'grant.issued' && byId.get(String(e.refs?.['endorsement']))?.data['decision'] === 'endorsed') as Event
    const endorsement = byId.get(String(grant.refs?.['endorsement'])) as Event
    const c = json(['chain', ledger, grant.id, '--json'], 0)
    expect(c.parties.filter((p: { rule: string }) => p.rule === 'R3')).toEqual([{ dept: endorsement.actor.dept, person: endorsement.actor.person, role: 'endorser', rule: 'R3' }])
  })

  it('5. which grants rest on weak or invalid bases', () => {
    const findings = findingsMatchTruth(['GRANT_NO_BASIS', 'GRANT_MANY_BASES', 'GRANT_BASIS_INVALID', 'GRANT_OUTLIVES_BASIS'])
    expect(findings.length).toBeGreaterThan(0)
  })

  it('6. was any not-shared data granted or accessed', () => {
    findingsMatchTruth(['GRANT_NOT_SHARED_DATA'])
  })

  it('7. which quality reports are overdue, and which accesses saw data staler than promised', () => {
    const findings = findingsMatchTruth(['QUALITY_OVERDUE', 'DATA_STALE'])
    expect(new Set(findings.map((f) => f.code))).toEqual(new Set(['QUALITY_OVERDUE', 'DATA_STALE']))
  })

  it('8. after an incident: which accesses, people and grants touched the affected resources', () => {
    const incident = events.find((e) => e.type === 'incident.reported' && e.refs?.['accesses'] !== undefined) as Event
    const cited = ([] as string[]).concat(incident.refs?.['accesses'] ?? [])
    const c = json(['chain', ledger, incident.id, '--json'], 0)
    const ids = c.chain.map((l: { id: string }) => l.id)
    expect(ids).toEqual(expect.arrayContaining([...cited, ...cited.map((a) => String(byId.get(a)?.refs?.['grant']))]))
    for (const a of cited) expect(c.parties).toContainEqual(expect.objectContaining({ rule: 'R2', person: byId.get(a)?.actor.person }))
  })

  it('9. mechanism mix by flow direction and by sensitivity', () => {
    const s = json(['stats', ledger, '--json'], 0)
    expect(Object.keys(s.byMechanism)).toEqual(expect.arrayContaining(['platform-auto', 'platform-reply', 'escalation']))
    expect(Object.keys(s.byDirection)).toEqual(expect.arrayContaining(['peer', 'up', 'down']))
    expect(Object.keys(s.bySensitivity)).toEqual(expect.arrayContaining(['general', 'general+pi']))
  })

  it('10. is the log itself intact, and consistent with every checkpoint the auditor holds', () => {
    // The log grows after the auditor took a checkpoint (an audited query is appended).
    expect(liuhen(['stats', ledger]).code).toBe(0)
    expect(liuhen(['findings', ledger, '--code', 'DATA_STALE', '--as', 'p-audit-07']).code).toBe(1)
    const r = liuhen(['verify', ledger, '--checkpoint', held])
    expect(r.code, r.stdout).toBe(0)
    expect(r.stdout).toMatch(/Result: VALID\./)
    expect(readFileSync(held, 'utf8').split('\n')[1]).toBe(String(events.length))
  })
})
