import { describe, expect, it } from 'vitest'
import type { Entry } from '@liuhen/core'
import { FindingsEngine, filterFindings, WorkCalendar, type Finding } from '../src/index.js'
import { buildLedger, readEvents } from './support/ledger.js'

const events = readEvents(new URL('./fixtures/scenario.jsonl', import.meta.url))

function run(config = {}, asOf?: string): Promise<Finding[]> {
  return buildLedger(events).then(({ entries }) => {
    const engine = new FindingsEngine(config)
    for (const e of entries) engine.add(e)
    return engine.finish(asOf)
  })
}

const byCode = (fs: Finding[]): Record<string, string[]> => {
  const out: Record<string, string[]> = {}
  for (const f of fs) (out[f.code] ??= []).push(f.event)
  for (const k of Object.keys(out)) out[k]!.sort()
  return out
}

const EXPECTED = {
  ACCESS_NO_GRANT: ['acc-nogrant', 'acc-wrongtype'],
  ACCESS_GRANT_EXPIRED: ['acc-expired'],
  ACCESS_GRANT_REVOKED: ['acc-revoked'],
  ACCESS_OUT_OF_SCOPE: ['acc-deptscope', 'acc-scope'],
  ACCESS_STORED: ['acc-copy', 'acc-stored'],
  GRANT_NO_BASIS: ['grant-11'],
  GRANT_MANY_BASES: ['grant-12'],
  GRANT_BASIS_INVALID: ['grant-14', 'grant-3', 'grant-6', 'grant-7', 'grant-9'],
  GRANT_OUTLIVES_BASIS: ['grant-4', 'grant-8'],
  GRANT_NOT_SHARED_DATA: ['grant-10'],
  REPLY_LATE: ['req-3'],
  REQUEST_UNANSWERED: ['req-4'],
  QUALITY_OVERDUE: ['qr-1'],
  DATA_STALE: ['acc-stale'],
}

describe('FindingsEngine on the scenario', () => {
  it('finds exactly the expected codes and events', async () => {
    const fs = await run()
    expect(byCode(fs)).toEqual(EXPECTED)
    expect(fs).toHaveLength(22)
    // sorted by log index
    expect(fs.map((f) => f.index)).toEqual([...fs.map((f) => f.index)].sort((a, b) => a - b))
  })

  it('names parties with their rules', async () => {
    const fs = await run()
    const get = (code: string, event: string): Finding => fs.find((f) => f.code === code && f.event === event)!
    expect(get('ACCESS_NO_GRANT', 'acc-nogrant').parties).toEqual([
      { dept: 'district.civil-affairs', person: 'p-ca1', role: 'user', rule: 'R2' },
      { dept: 'district.data-bureau', role: 'data-bureau', rule: 'R6' },
    ])
    expect(get('ACCESS_GRANT_REVOKED', 'acc-revoked').evidence).toEqual(['grant-5', 'rev-5'])
    expect(get('GRANT_BASIS_INVALID', 'grant-6').parties).toContainEqual({ dept: 'district.gov', person: 'p-deputy', role: 'endorser', rule: 'R3' })
    expect(get('GRANT_BASIS_INVALID', 'grant-6').message).toMatch(/not a leader/)
    expect(get('GRANT_BASIS_INVALID', 'grant-14').parties).toEqual([
      { dept: 'district.data-bureau', person: 'p-bur1', role: 'data-bureau', rule: 'R6' },
      { dept: 'district.police', role: 'owner', rule: 'R1' },
    ])
    expect(get('GRANT_BASIS_INVALID', 'grant-9').message).toMatch(/never confirmed/)
    expect(get('GRANT_BASIS_INVALID', 'grant-7').evidence).toEqual(['agr-2', 'agr-2-end'])
    expect(get('GRANT_BASIS_INVALID', 'grant-3').message).toMatch(/refused/)
    expect(get('GRANT_OUTLIVES_BASIS', 'grant-4').parties).toEqual([
      { dept: 'city.health', person: 'p-ch1', role: 'agreement-party', rule: 'R4' },
      { dept: 'district.civil-affairs', person: 'p-ca-lead', role: 'agreement-party', rule: 'R4' },
      { dept: 'city.health', role: 'owner', rule: 'R1' },
    ])
    expect(get('GRANT_OUTLIVES_BASIS', 'grant-8').parties).toEqual([
      { dept: 'street.east', person: 'p-st1', role: 'binding', rule: 'R5' },
      { dept: 'district.gov', person: 'p-gov1', role: 'binding', rule: 'R5' },
      { dept: 'district.police', role: 'owner', rule: 'R1' },
    ])
    expect(get('GRANT_OUTLIVES_BASIS', 'grant-8').evidence).toEqual(['bind-1', 'bconf-1', 'task-1'])
    expect(get('REPLY_LATE', 'req-3')).toMatchObject({ evidence: ['reply-3'], parties: [{ dept: 'district.police', person: 'p-pol1', role: 'owner', rule: 'R1' }] })
    expect(get('REPLY_LATE', 'req-3').message).toContain('deadline 2026-03-16T23:59:59.999+08:00 ') // the ledger's zone, as the calendar counts
    expect(get('REQUEST_UNANSWERED', 'req-4').parties).toEqual([{ dept: 'district.police', role: 'owner', rule: 'R1' }])
    expect(get('QUALITY_OVERDUE', 'qr-1').parties).toEqual([{ dept: 'district.market', role: 'owner', rule: 'R1' }])
    expect(get('DATA_STALE', 'acc-stale').evidence).toEqual(['upd-1', 'cat-licence'])
    expect(get('GRANT_NOT_SHARED_DATA', 'grant-10').evidence).toEqual(['cat-secret', 'req-9'])
  })

  it('counts the reply across the 2026 Spring Festival on time only on the official calendar', async () => {
    expect(byCode(await run())['REPLY_LATE']).toEqual(['req-3'])
    // Plain Monday–Friday arithmetic puts req-2's deadline on Fri 20 Feb and calls reply-2 late.
    const weekdays = new WorkCalendar({ version: 'weekdays-only', holidays: [], workdays: [], years: [2000, 2100] })
    expect(byCode(await run({ calendar: weekdays }))['REPLY_LATE']).toEqual(['req-2', 'req-3'])
  })

  it('settles deadlines as of an earlier time, ignoring later events', async () => {
    // req-3 was due by the end of Mon 16 Mar; its reply (20 Mar) is after this as-of time.
    expect(byCode(await run({}, '2026-03-17T12:00:00+08:00'))).toEqual({
      ACCESS_NO_GRANT: ['acc-nogrant', 'acc-wrongtype'],
      ACCESS_OUT_OF_SCOPE: ['acc-deptscope', 'acc-scope'],
      ACCESS_STORED: ['acc-copy', 'acc-stored'],
      GRANT_NO_BASIS: ['grant-11'],
      GRANT_MANY_BASES: ['grant-12'],
      GRANT_BASIS_INVALID: ['grant-14', 'grant-6', 'grant-9'],
      GRANT_OUTLIVES_BASIS: ['grant-4', 'grant-8'],
      GRANT_NOT_SHARED_DATA: ['grant-10'],
      REQUEST_UNANSWERED: ['req-3'],
      DATA_STALE: ['acc-stale'],
    })
  })

  it('filters by event time and code', async () => {
    const fs = await run()
    const march6 = filterFindings(fs, { from: '2026-03-06T00:00:00+08:00', to: '2026-03-06T23:59:59+08:00' })
    expect(march6.map((f) => f.event).sort()).toEqual(['acc-copy', 'acc-deptscope', 'acc-nogrant', 'acc-scope', 'acc-stored', 'acc-wrongtype'])
    expect(filterFindings(fs, { codes: ['DATA_STALE'] }).map((f) => f.event)).toEqual(['acc-stale'])
  })
})

describe('the auditors own trail', () => {
  it('passes over audit.queried events: the default as-of and the findings do not move', async () => {
    const { entries } = await buildLedger(readEvents(new URL('./fixtures/scenario.jsonl', import.meta.url)))
    const plain = new FindingsEngine()
    for (const e of entries) plain.add(e)
    const withTrail = new FindingsEngine()
    for (const e of entries) withTrail.add(e)
    const last = entries.at(-1) as Entry
    withTrail.add({
      ...last,
      index: last.index + 1,
      event: { id: 'aq-1', type: 'audit.queried', at: '2027-06-01T09:00:00+08:00', actor: { dept: 'audit', person: 'p-aud' }, data: { command: 'findings', params: {}, results: 0 } },
    })
    expect(withTrail.latestAt).toBe(plain.latestAt)
    expect(withTrail.finish().map((f) => `${f.code} ${f.event}`)).toEqual(plain.finish().map((f) => `${f.code} ${f.event}`))
  })
})
