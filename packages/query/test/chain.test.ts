import { describe, expect, it } from 'vitest'
import { EMPTY_ROOT, encodeEntry, hashLeaf, toHex } from '@liuhen/core'
import { buildChain, type Chain, type Party } from '../src/index.js'
import { buildLedger, readEvents } from './support/ledger.js'

const events = readEvents(new URL('./fixtures/scenario.jsonl', import.meta.url))
const ids = (c: Chain): string[] => c.chain.map((l) => l.id)
const sortParties = (ps: Party[]): string[] => ps.map((p) => `${p.rule} ${p.role} ${p.dept} ${p.person ?? '-'}`).sort()

describe('buildChain', () => {
  it('follows a reply-based access to its grant, request, reply and catalogue', async () => {
    const { store, indexOf, bytes } = await buildLedger(events)
    const c = await buildChain(store, 'acc-2')
    expect(c.event.id).toBe('acc-2')
    // qr-2, a quality report on the access, is appended later: it is in the chain, marked as later.
    expect(ids(c)).toEqual(['acc-2', 'grant-2', 'qr-2', 'req-2', 'reply-2', 'cat-household'])
    expect(c.chain[2]).toMatchObject({ id: 'qr-2', type: 'quality.raised', refName: 'access', from: 'acc-2', later: true })
    expect(c.chain.filter((l) => l.later).map((l) => l.id)).toEqual(['qr-2'])
    expect(c.chain[0]!.status).toEqual({ findings: [], events: [expect.objectContaining({ id: 'qr-2', index: indexOf('qr-2'), ref: 'access', target: 'acc-2', later: true })] })
    expect(c.chain[1]).toMatchObject({ id: 'grant-2', type: 'grant.issued', index: indexOf('grant-2'), refName: 'grant', from: 'acc-2', actor: { dept: 'district.police', person: 'p-pol1' } })
    expect(c.chain[0]!.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(c.chain[0]).not.toHaveProperty('refName')
    expect(bytes[indexOf('acc-2')]).toBeDefined()
    expect(c.broken).toEqual([])
    expect(sortParties(c.parties)).toEqual(['R1 owner district.police -', 'R1 owner district.police p-pol1', 'R2 user district.civil-affairs p-ca1'])
  })

  it('names the data bureau for an auto-grant and follows the data version', async () => {
    const { store } = await buildLedger(events)
    const c = await buildChain(store, 'acc-1')
    expect(ids(c).sort()).toEqual(['acc-1', 'cat-licence', 'grant-1', 'qr-1', 'req-1', 'upd-1'])
    expect(sortParties(c.parties)).toEqual(['R1 owner district.market -', 'R2 user street.east p-st1', 'R6 data-bureau district.data-bureau p-bur1'])
  })

  it('names the endorser (R3), agreement signers (R4) and binding parties (R5)', async () => {
    const { store } = await buildLedger(events)
    const esc = await buildChain(store, 'acc-revoked')
    expect(ids(esc).sort()).toEqual(['acc-revoked', 'cat-household', 'dec-1', 'esc-1', 'grant-5', 'req-6', 'rev-5'])
    expect(esc.parties).toContainEqual({ dept: 'district.gov', person: 'p-leader', role: 'endorser', rule: 'R3' })
    const agr = await buildChain(store, 'acc-copy')
    expect(sortParties(agr.parties)).toEqual([
      'R1 owner city.health -',
      'R1 owner city.health p-ch1',
      'R2 user district.civil-affairs p-ca1',
      'R4 agreement-party city.health p-ch1',
      'R4 agreement-party district.civil-affairs p-ca-lead',
    ])
    const bind = await buildChain(store, 'acc-bind')
    expect(ids(bind).sort()).toEqual(['acc-bind', 'bconf-1', 'bind-1', 'cat-household', 'grant-8', 'req-8', 'task-1'])
    expect(bind.chain.find((l) => l.id === 'bconf-1')).toMatchObject({ refName: 'confirmation', from: 'bind-1' })
    expect(sortParties(bind.parties)).toEqual([
      'R1 owner district.police -',
      'R1 owner district.police p-pol1',
      'R2 user street.east p-st1',
      'R5 binding district.gov p-gov1',
      'R5 binding street.east p-st1',
    ])
    expect(bind.broken).toEqual([])
  })

  it('carries the revocation of the grant, and the finding, with the access revoked before it happened', async () => {
    const { store, indexOf, bytes } = await buildLedger(events)
    const c = await buildChain(store, 'acc-revoked')
    const rev = c.chain.find((l) => l.id === 'rev-5')!
    expect(rev).toMatchObject({ type: 'grant.revoked', index: indexOf('rev-5'), refName: 'grant', from: 'grant-5', later: true })
    expect(rev.hash).toBe(toHex(hashLeaf(bytes[indexOf('rev-5')]!)))
    expect(c.chain[0]!.status!.findings).toEqual([{ code: 'ACCESS_GRANT_REVOKED', evidence: ['grant-5', 'rev-5'], message: 'grant grant-5 was revoked by rev-5' }])
    expect(c.chain[0]!.status!.events).toEqual([{ id: 'rev-5', type: 'grant.revoked', index: indexOf('rev-5'), hash: rev.hash, at: rev.at, ref: 'grant', target: 'grant-5', later: false }])
    expect(c.broken).toEqual([])
  })

  it('reports unresolved and wrong-type refs as broken', async () => {
    const { store } = await buildLedger(events)
    expect((await buildChain(store, 'acc-nogrant')).broken).toEqual([{ id: 'grant-999', reason: 'acc-nogrant.grant is unresolved' }])
    const wrong = await buildChain(store, 'acc-wrongtype')
    expect(wrong.broken).toEqual([{ id: 'req-2', reason: 'acc-wrongtype.grant is a request.submitted, not a grant.issued' }])
    expect(ids(wrong)).toEqual(['acc-wrongtype', 'req-2', 'cat-household'])
  })

  it('detects a tampered entry by its leaf hash and stops there', async () => {
    const { store, entries, indexOf } = await buildLedger(events)
    const i = indexOf('reply-2')
    const forged = { ...entries[i]!, event: { ...entries[i]!.event, data: { decision: 'refused' } } }
    await store.writeCommit({ entries: [{ index: i, bytes: encodeEntry(forged) }], ids: [], tiles: [], head: { size: entries.length, root: EMPTY_ROOT, time: 0, frontier: [] } })
    const c = await buildChain(store, 'acc-2')
    expect(c.broken).toEqual([{ id: 'reply-2', reason: `grant-2.reply: hash mismatch at entry ${i}` }])
    expect(ids(c)).not.toContain('reply-2')
  })

  it('calls the inclusion hook for every link', async () => {
    const { store, indexOf } = await buildLedger(events)
    const seen: number[] = []
    const c = await buildChain(store, 'acc-2', {
      verifyLink: (index, leaf) => {
        seen.push(index)
        expect(leaf).toHaveLength(32)
        return index !== indexOf('req-2')
      },
    })
    expect(seen.sort((a, b) => a - b)).toEqual(['acc-2', 'grant-2', 'qr-2', 'req-2', 'reply-2', 'cat-household'].map(indexOf).sort((a, b) => a - b))
    expect(c.broken).toEqual([{ id: 'req-2', reason: `entry ${indexOf('req-2')} is not included under the checkpoint` }])
  })

  it('answers question 8 from an incident: accesses, people and grants', async () => {
    const { store } = await buildLedger(events)
    const c = await buildChain(store, 'acct-1')
    expect(ids(c).sort()).toEqual(['acc-scope', 'acc-stored', 'acct-1', 'cat-household', 'grant-2', 'inc-1', 'reply-2', 'req-2'])
    expect(sortParties(c.parties).filter((p) => p.startsWith('R2'))).toEqual(['R2 user district.civil-affairs p-ca1', 'R2 user district.civil-affairs p-ca2'])
  })

  it('throws QUERY_EVENT_NOT_FOUND for an unknown id', async () => {
    const { store } = await buildLedger(events)
    await expect(buildChain(store, 'nope')).rejects.toMatchObject({ code: 'QUERY_EVENT_NOT_FOUND' })
  })
})
