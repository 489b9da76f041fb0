import { describe, expect, it } from 'vitest'
import type { Event } from '@liuhen/core'
import { buildChain, FindingsEngine, queryAccesses } from '../src/index.js'
import { buildLedger, readEvents } from './support/ledger.js'

const scenario = readEvents(new URL('./fixtures/scenario.jsonl', import.meta.url))
const acc2 = scenario.find((e) => e.id === 'acc-2')!

// A revocation of grant-2 back-dated before acc-2 but appended after it, then an access after it.
const revLate: Event = { id: 'rev-late', type: 'grant.revoked', at: '2026-03-02T08:00:00+08:00', actor: { dept: 'district.police' }, refs: { grant: 'grant-2' }, data: { reason: 'back-dated' } }
const accLate: Event = { ...acc2, id: 'acc-late', at: '2026-03-03T09:00:00+08:00' }

describe('an access status and the grant state at its time', () => {
  it('does not apply a revocation appended after the access, lists it as later, and applies it to accesses appended after it', async () => {
    const led = await buildLedger([...scenario, revLate, accLate])
    const engine = new FindingsEngine()
    for (const e of led.entries) engine.add(e)
    const revoked = engine.finish().filter((f) => f.code === 'ACCESS_GRANT_REVOKED')
    expect(revoked.map((f) => f.event).sort()).toEqual(['acc-late', 'acc-revoked'])
    const rows = await queryAccesses(led.store, { resource: 'res.police.household', person: 'p-ca1' })
    const before = rows.find((r) => r.id === 'acc-2')!
    const after = rows.find((r) => r.id === 'acc-late')!
    expect(before.status.findings).toEqual([])
    expect(before.status.events).toContainEqual(expect.objectContaining({ id: 'rev-late', index: led.indexOf('rev-late'), ref: 'grant', target: 'grant-2', later: true }))
    expect(after.status.findings).toEqual([{ code: 'ACCESS_GRANT_REVOKED', evidence: ['grant-2', 'rev-late'], message: 'grant grant-2 was revoked by rev-late' }])
    expect(after.status.events).toContainEqual(expect.objectContaining({ id: 'rev-late', later: false }))
    const chain = await buildChain(led.store, 'acc-2')
    expect(chain.chain.find((l) => l.id === 'rev-late')).toMatchObject({ later: true, from: 'grant-2', refName: 'grant' })
    expect(chain.chain[0]!.status!.findings).toEqual([])
  })
})

describe('a grant revoked again and again', () => {
  it('lists with each access the revocation in force and the first after it, not every revocation', async () => {
    // A department revokes its grant 300 times, around 200 accesses under it: listing every
    // revocation with every access made a query's output grow with their product.
    const accesses = Array.from({ length: 200 }, (_, i): Event => ({ ...acc2, id: `acc-many-${i}` }))
    const revocations = Array.from({ length: 300 }, (_, i): Event => ({ ...revLate, id: `rev-many-${i}`, at: `2026-03-0${2 + (i % 2)}T08:00:00+08:00` }))
    const led = await buildLedger([...scenario, ...accesses.slice(0, 100), ...revocations, ...accesses.slice(100)])
    const rows = await queryAccesses(led.store, { resource: 'res.police.household', person: 'p-ca1' })
    const events = (id: string): string[] => rows.find((r) => r.id === id)!.status.events.map((e) => e.id)
    // Before them all: the first one appended after (the earliest by time, then by index).
    expect(events('acc-many-0')).toEqual(['rev-many-0'])
    // After them all: the one in force, and it is what the finding names.
    expect(events('acc-many-150')).toEqual(['rev-many-0'])
    expect(rows.find((r) => r.id === 'acc-many-150')!.status.findings.map((f) => f.evidence)).toContainEqual(['grant-2', 'rev-many-0'])
    expect(Math.max(...rows.map((r) => r.status.events.length))).toBeLessThanOrEqual(2)
  })
})
