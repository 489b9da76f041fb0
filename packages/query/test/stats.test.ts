import { describe, expect, it } from 'vitest'
import { StatsEngine } from '../src/index.js'
import { buildLedger, readEvents } from './support/ledger.js'

const events = readEvents(new URL('./fixtures/scenario.jsonl', import.meta.url))

describe('StatsEngine (question 9)', () => {
  it('tallies grants, accesses and rows by mechanism, direction and sensitivity', async () => {
    const { entries } = await buildLedger(events)
    const s = new StatsEngine()
    for (const e of entries) s.add(e)
    const r = s.result()
    expect(r.byMechanism).toEqual({
      'platform-auto': { grants: 3, accesses: 3, rows: 22 }, // grant-1, -13, -14
      'platform-reply': { grants: 3, accesses: 6, rows: 7 }, // grant-2, -3, -10
      exchange: { grants: 2, accesses: 2, rows: 2 }, // grant-4, -7
      escalation: { grants: 2, accesses: 1, rows: 1 }, // grant-5, -6
      bundling: { grants: 2, accesses: 1, rows: 1 }, // grant-8, -9
      unknown: { grants: 2, accesses: 2, rows: 2 }, // grant-11 (no basis), -12 (two); accesses without a grant
    })
    // Direction from org.registered levels, owner → grantee: district → street and city → district
    // are down; street → district is up.
    expect(r.byDirection).toEqual({
      down: { grants: 5, accesses: 5, rows: 5 },
      up: { grants: 1, accesses: 1, rows: 20 },
      peer: { grants: 8, accesses: 7, rows: 8 },
      unknown: { grants: 0, accesses: 2, rows: 2 },
    })
    expect(r.bySensitivity).toEqual({
      general: { grants: 2, accesses: 3, rows: 22 },
      'general+pi': { grants: 1, accesses: 2, rows: 2 },
      important: { grants: 1, accesses: 0, rows: 0 },
      'important+pi': { grants: 10, accesses: 8, rows: 9 },
      unknown: { grants: 0, accesses: 2, rows: 2 },
    })
    expect(r.cells.find((c) => c.mechanism === 'platform-auto' && c.direction === 'up')).toEqual({
      mechanism: 'platform-auto',
      direction: 'up',
      grade: 'general',
      pi: false,
      grants: 1,
      accesses: 1,
      rows: 20,
    })
  })
})
