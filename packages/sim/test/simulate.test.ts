import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Event } from '@liuhen/core'
import { validateEvent } from '@liuhen/schema'
import { simulate, type SimOptions, type Simulation } from '../src/index.js'

const TYPES = [
  'org.registered',
  'role.assigned',
  'role.revoked',
  'task.registered',
  'catalogue.registered',
  'catalogue.updated',
  'catalogue.withdrawn',
  'resource.updated',
  'request.submitted',
  'request.replied',
  'agreement.signed',
  'agreement.terminated',
  'escalation.requested',
  'escalation.decided',
  'binding.declared',
  'binding.confirmed',
  'grant.issued',
  'grant.revoked',
  'access.performed',
  'copy.destroyed',
  'quality.raised',
  'quality.resolved',
  'incident.reported',
  'accountability.determined',
]
const CODES = [
  'ACCESS_NO_GRANT',
  'ACCESS_GRANT_EXPIRED',
  'ACCESS_GRANT_REVOKED',
  'ACCESS_OUT_OF_SCOPE',
  'ACCESS_STORED',
  'GRANT_NO_BASIS',
  'GRANT_MANY_BASES',
  'GRANT_BASIS_INVALID',
  'GRANT_OUTLIVES_BASIS',
  'GRANT_NOT_SHARED_DATA',
  'REPLY_LATE',
  'REQUEST_UNANSWERED',
  'QUALITY_OVERDUE',
  'DATA_STALE',
]
/** Raised rates so every code and type shows up in one 30-day run. */
const RAISED: SimOptions = {
  seed: 'raised',
  accessScale: 0.01,
  anomalies: { grantBasis: 0.3, notSharedGrantsPerYear: 400, unanswered: 0.1, unconditionalLate: 0.1, accessExpiredOrRevoked: 0.01, staleEpisodesPerMonth: 6 },
  workload: {
    agreementsPerMonth: 20,
    agreementTerminatedRate: 0.3,
    revocationsPerMonth: 0.2,
    minorIncidentsPerMonth: 10,
    shortLivedGrants: 0.8,
    mechanism: { platform: 0.7, exchange: 0.08, escalation: 0.07, bundling: 0.15 },
  },
}

function run(o: SimOptions): { events: Event[]; digest: string; sim: Simulation } {
  const sim = simulate(o)
  const events = [...sim]
  const h = createHash('sha256')
  for (const e of events) h.update(JSON.stringify(e)).update('\n')
  return { events, digest: h.digest('hex'), sim }
}

const base = run({ seed: 7, accessScale: 0.01 })
const raised = run(RAISED)

describe('simulate', () => {
  it('is deterministic: same seed and options give byte-identical events', () => {
    expect(run({ seed: 7, accessScale: 0.01 }).digest).toBe(base.digest)
    expect(run({ seed: 8, days: 5, accessScale: 0.01 }).digest).not.toBe(run({ seed: 7, days: 5, accessScale: 0.01 }).digest)
  })

  it('emits events in non-decreasing time with +08:00 offsets and unique ids', () => {
    const ids = new Set<string>()
    let last = ''
    for (const e of base.events) {
      expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/)
      expect(e.at >= last).toBe(true)
      last = e.at
      expect(ids.has(e.id)).toBe(false)
      ids.add(e.id)
    }
    expect(base.events.length).toBeGreaterThan(20_000)
    expect(base.events.length).toBeLessThan(40_000)
  })

  it('emits registries first and ends on the last simulated day', () => {
    expect(base.events[0]?.type).toBe('org.registered')
    const firstOther = base.events.findIndex((e) => !/^(org\.registered|role\.assigned|task\.registered|catalogue\.registered)$/.test(e.type))
    const lastRegistry = base.events.findLastIndex((e) => /^(org\.registered|role\.assigned|task\.registered|catalogue\.registered)$/.test(e.type))
    expect(lastRegistry).toBeLessThan(firstOther)
    expect(base.events.at(-1)?.at.slice(0, 10)).toBe('2026-03-10')
  })

  it('refs point to earlier events, except the planted unknown grants', () => {
    for (const { events } of [base, raised]) {
      const seen = new Set<string>()
      for (const e of events) {
        for (const v of Object.values(e.refs ?? {})) {
          for (const id of Array.isArray(v) ? v : [v]) {
            if (!id.startsWith('grant-ext-')) expect(seen.has(id), `${e.id} → ${id}`).toBe(true)
          }
        }
        seen.add(e.id)
      }
    }
  })

  it('emits every type of the contract in a 30-day run', () => {
    const types = new Set(raised.events.map((e) => e.type))
    expect([...types].sort()).toEqual([...TYPES].sort())
    const common = new Set(base.events.map((e) => e.type))
    expect(TYPES.filter((t) => !common.has(t)).length).toBeLessThanOrEqual(3)
  })

  it('plants every finding code, each label naming an emitted event of the right type', () => {
    const sim = raised.sim
    const byId = new Map(raised.events.map((e) => [e.id, e]))
    const codes = new Set(sim.truth.map((l) => l.code))
    expect([...codes].sort()).toEqual([...CODES].sort())
    for (const l of sim.truth) {
      const e = byId.get(l.event)
      expect(e, l.event).toBeDefined()
      const want =
        l.code.startsWith('ACCESS_') || l.code === 'DATA_STALE'
          ? 'access.performed'
          : l.code.startsWith('GRANT_')
            ? 'grant.issued'
            : l.code === 'QUALITY_OVERDUE'
              ? 'quality.raised'
              : 'request.submitted'
      expect(e?.type).toBe(want)
    }
  })

  it('plants access, deadline and quality anomalies at the default rates', () => {
    const codes = new Set(base.sim.truth.map((l) => l.code))
    for (const c of ['ACCESS_NO_GRANT', 'ACCESS_OUT_OF_SCOPE', 'ACCESS_GRANT_REVOKED', 'ACCESS_STORED', 'REPLY_LATE', 'QUALITY_OVERDUE', 'DATA_STALE']) expect(codes).toContain(c)
  })

  it('computes the truth up front when read before iterating, and the same after', () => {
    const a = simulate({ seed: 3, days: 20, accessScale: 0.005 })
    const before = a.truth
    const b = simulate({ seed: 3, days: 20, accessScale: 0.005 })
    for (const _ of b);
    expect(b.truth).toEqual(before)
  })

  it('validates every event against the schema of @liuhen/schema', () => {
    for (const e of raised.events) expect(validateEvent(e), `${e.id} ${e.type}`).toBeUndefined()
  })

  it('keeps raw record ids out of events; known records are found by keyed digest', () => {
    const sim = simulate({ seed: 7, accessScale: 0.01 })
    const text = base.events.map((e) => JSON.stringify(e)).join('\n')
    expect(text).not.toMatch(/"\d{17}[\dX]"/)
    for (const id of sim.knownRecords) expect(text.includes(id)).toBe(false)
    const known = sim.knownRecords[0] as string
    const hits = base.events.filter((e) => {
      if (e.type !== 'access.performed') return false
      const digests = e.data['recordDigests'] as string[]
      return digests.includes(sim.recordDigest(e.data['resource'] as string, known))
    })
    expect(hits.length).toBeGreaterThan(0)
    const key = sim.resourceKey('res.police.x')
    expect(key).toHaveLength(32)
    expect(createHash('sha256').update(key).digest('hex')).toBe(
      createHash('sha256')
        .update(simulate({ seed: 7 }).resourceKey('res.police.x'))
        .digest('hex'),
    )
  })

  it('refuses a start outside the 2026 calendar and bad options', () => {
    expect(() => simulate({ start: '2025-12-01' })).toThrow(RangeError)
    expect(() => simulate({ start: '2026-12-20', days: 30 })).toThrow(RangeError)
    expect(() => simulate({ accessScale: 0 })).toThrow(RangeError)
  })
})
