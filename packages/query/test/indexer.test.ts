import { describe, expect, it } from 'vitest'
import { indexEntry, timeKey, timeRange } from '../src/index.js'
import { buildLedger, readEvents } from './support/ledger.js'

const events = readEvents(new URL('./fixtures/scenario.jsonl', import.meta.url))

describe('indexEntry', () => {
  it('writes 3 + d postings for an access (no type or ref posting: accesses are found by resource, record, person or dept)', async () => {
    const { entries, indexOf } = await buildLedger(events)
    const acc = entries[indexOf('acc-3')]!
    expect(indexEntry(acc)).toEqual([
      { name: 'dept', key: 'district.civil-affairs|2026-03-05T01:00:00.000Z' },
      { name: 'person', key: 'p-ca2|2026-03-05T01:00:00.000Z' },
      { name: 'resource', key: 'res.police.household|2026-03-05T01:00:00.000Z' },
      { name: 'record', key: '367d7fbf694aab7e6943527d15e81be9596e2c2f2f707fa0b27cc71da371e4cd|2026-03-05T01:00:00.000Z' },
      { name: 'record', key: 'b099603899b01ef0e143aa1986da0e6f1f6fb606905a4ba2d8081103d739bb19|2026-03-05T01:00:00.000Z' },
    ])
  })

  it('indexes grantees, agreement parties and every governance ref', async () => {
    const { entries, indexOf } = await buildLedger(events)
    const grant = indexEntry(entries[indexOf('grant-8')]!)
    expect(grant).toContainEqual({ name: 'dept', key: 'street.east|2026-03-13T02:00:00.000Z' })
    expect(grant.filter((p) => p.name === 'ref').map((p) => p.key)).toEqual(['req-8', 'bind-1'])
    const agr = indexEntry(entries[indexOf('agr-1')]!)
    expect(agr).toContainEqual({ name: 'dept', key: 'district.civil-affairs|2026-03-05T02:00:00.000Z' })
    expect(agr).toContainEqual({ name: 'resource', key: 'res.city.health|2026-03-05T02:00:00.000Z' })
    // an access's refs are not indexed: a busy grant's revocations stay one short scan away
    expect(indexEntry(entries[indexOf('acc-1')]!).filter((p) => p.name === 'ref')).toEqual([])
  })

  it('skips NUL and tolerates malformed times', () => {
    const entry = { v: 1, index: 0, time: 0, refs: [], event: { id: 'x', type: 'access.performed', at: 'yesterday', actor: { dept: 'a\0b' }, data: { resource: 'r' } } }
    expect(indexEntry(entry)).toEqual([{ name: 'resource', key: 'r|' }])
    expect(indexEntry({ ...entry, event: { ...entry.event, type: 'grant.issued' } })).toContainEqual({ name: 'type', key: 'grant.issued|' })
  })

  it('builds time keys and ranges in UTC', () => {
    expect(timeKey('r', '2026-03-02T09:15:04+08:00')).toBe('r|2026-03-02T01:15:04.000Z')
    expect(timeRange('r')).toEqual({ gte: 'r|', lt: 'r}' })
    expect(timeRange('r', '2026-03-01T00:00:00+08:00', '2026-03-02T00:00:00+08:00')).toEqual({ gte: 'r|2026-02-28T16:00:00.000Z', lt: 'r|2026-03-01T16:00:00.001Z' })
  })
})
