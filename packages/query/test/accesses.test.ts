import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { queryAccesses, recordDigest } from '../src/index.js'
import { buildLedger, readEvents } from './support/ledger.js'

const events = readEvents(new URL('./fixtures/scenario.jsonl', import.meta.url))
const HOUSEHOLD_KEY = '6b65792d686f757365686f6c642d30313233343536373839616263646566'
const LICENCE_KEY = '6b65792d6c6963656e63652d303132333435363738396162636465663031'
const HOUSEHOLD = 'res.police.household'

describe('recordDigest', () => {
  it('is lowercase hex HMAC-SHA-256 of the UTF-8 record id', () => {
    // Digests in the fixture were computed independently with Python's hmac module.
    expect(recordDigest(HOUSEHOLD_KEY, 'ID-X')).toBe('367d7fbf694aab7e6943527d15e81be9596e2c2f2f707fa0b27cc71da371e4cd')
    expect(recordDigest(LICENCE_KEY, 'LIC-1')).toBe('4b932440fc621d30b2ad7736bf9b13a03ae0cf60bbc2d93b8467c797835fc34d')
    // RFC 4231 test case 2
    expect(recordDigest(Buffer.from('Jefe').toString('hex'), 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')
    expect(recordDigest('00', '身份证')).toBe(
      createHmac('sha256', Buffer.from([0]))
        .update('身份证')
        .digest('hex'),
    )
    expect(() => recordDigest('xyz', 'a')).toThrow(TypeError)
  })
})

describe('queryAccesses (question 1)', () => {
  it('finds who accessed record X in a window, with grant, basis and approver', async () => {
    const { store } = await buildLedger(events)
    const rows = await queryAccesses(store, { resource: HOUSEHOLD, recordDigest: recordDigest(HOUSEHOLD_KEY, 'ID-X'), from: '2026-03-01T00:00:00+08:00', to: '2026-03-31T23:59:59+08:00' })
    expect(rows.map((r) => r.id)).toEqual(['acc-2', 'acc-3', 'acc-deptscope', 'acc-bind'])
    expect(rows[0]).toMatchObject({
      at: '2026-03-02T09:15:04+08:00',
      dept: 'district.civil-affairs',
      person: 'p-ca1',
      items: ['name', 'address'],
      case: 'DB-2026-0311',
      grant: { id: 'grant-2', grantee: 'district.civil-affairs', validFrom: '2026-03-01', validUntil: '2026-06-30' },
      basis: { name: 'reply', id: 'reply-2', type: 'request.replied' },
      approvers: [{ dept: 'district.police', person: 'p-pol1', role: 'owner', rule: 'R1' }],
    })
    expect(rows[3]!.approvers).toEqual([
      { dept: 'street.east', person: 'p-st1', role: 'binding', rule: 'R5' },
      { dept: 'district.gov', person: 'p-gov1', role: 'binding', rule: 'R5' },
    ])
  })

  it('bounds the window on both sides, inclusively', async () => {
    const { store } = await buildLedger(events)
    const dx = recordDigest(HOUSEHOLD_KEY, 'ID-X')
    expect((await queryAccesses(store, { resource: HOUSEHOLD, recordDigest: dx, to: '2026-03-02T09:15:04+08:00' })).map((r) => r.id)).toEqual(['acc-2'])
    expect((await queryAccesses(store, { resource: HOUSEHOLD, recordDigest: dx, from: '2026-07-01' })).map((r) => r.id)).toEqual(['acc-expired'])
    expect(await queryAccesses(store, { resource: 'res.market.licence', recordDigest: dx })).toEqual([])
    await expect(queryAccesses(store, { resource: HOUSEHOLD, from: 'last week' })).rejects.toThrow(RangeError)
  })

  it('shows accesses that kept serving a reported record (question 7)', async () => {
    const { store } = await buildLedger(events)
    const rows = await queryAccesses(store, { resource: 'res.market.licence', recordDigest: recordDigest(LICENCE_KEY, 'LIC-1'), from: '2026-03-04T10:00:00+08:00' })
    expect(rows.map((r) => [r.id, r.basis?.type, r.approvers])).toEqual([['acc-stale', 'catalogue.registered', [{ dept: 'district.data-bureau', person: 'p-bur1', role: 'data-bureau', rule: 'R6' }]]])
  })

  it('queries by person, dept and resource, with grants that do not resolve', async () => {
    const { store } = await buildLedger(events)
    expect((await queryAccesses(store, { resource: HOUSEHOLD, person: 'p-st1' })).map((r) => r.id)).toEqual(['acc-deptscope', 'acc-bind'])
    const byDept = await queryAccesses(store, { resource: HOUSEHOLD, dept: 'district.civil-affairs', from: '2026-03-06T10:30:00+08:00', to: '2026-03-06T12:00:00+08:00' })
    expect(byDept.map((r) => [r.id, r.grantRef, r.grant?.id, r.outcome])).toEqual([
      ['acc-nogrant', 'grant-999', undefined, 'success'],
      ['acc-wrongtype', 'req-2', undefined, 'success'],
      ['acc-denied', undefined, undefined, 'denied'],
    ])
    const all = await queryAccesses(store, { resource: 'res.city.health' })
    expect(all.map((r) => [r.id, r.storage, r.basis?.name])).toEqual([
      ['acc-copy', 'copy', 'agreement'],
      ['acc-copy2', 'copy', 'agreement'],
    ])
    expect(all[0]!.approvers.map((p) => p.rule)).toEqual(['R4', 'R4'])
  })
})
