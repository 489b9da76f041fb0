import { createHash } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  cosignCheckpoint,
  cosignerFromKey,
  formatNote,
  fromHex,
  generateCosignerKey,
  generateSignerKey,
  MemoryStore,
  openCheckpoint,
  parseNote,
  signCheckpoint,
  signerFromKey,
  verifierFromKey,
  verifyConsistency,
  verifyCosignatures,
  verifyInclusion,
  type Event,
} from '@liuhen/core'
import { Ledger } from '@liuhen/ledger'

const ORIGIN = 'ledger.test.example/district'

const digest = (i: number, salt: string): string => createHash('sha256').update(`${salt}${i}`).digest('hex')

/** A valid `access.performed` event of the contract (DOMAIN.md), deterministic in `i`. */
export function sampleEvent(i: number, refs?: Record<string, string>): Event {
  return {
    id: `ev-${i}`,
    type: 'access.performed',
    at: '2026-03-02T09:15:04+08:00',
    actor: { dept: 'district.civil-affairs', person: `p-${i % 7}` },
    ...(refs ? { refs } : {}),
    data: {
      resource: 'res.police.household',
      items: ['address'],
      rows: i % 5,
      purpose: 'dibao-check',
      recordDigests: [digest(i, 'r')],
      resultDigest: digest(i, 'q'),
      storage: 'none',
      outcome: 'success',
    },
  }
}

const open: Ledger[] = []
afterEach(async () => {
  for (const l of open.splice(0)) await l.close()
})

async function memoryLedger(): Promise<Ledger> {
  const ledger = await Ledger.create(new MemoryStore(), { origin: ORIGIN })
  open.push(ledger)
  return ledger
}

describe('Ledger', () => {
  it('appends, signs a checkpoint per commit, and proves inclusion and consistency', async () => {
    const ledger = await memoryLedger()
    const verifier = verifierFromKey(ledger.vkey)
    for (let i = 0; i < 300; i += 30) await ledger.appendBatch(Array.from({ length: 30 }, (_, j) => sampleEvent(i + j)))
    expect(ledger.size).toBe(300)
    const { checkpoint } = openCheckpoint(ledger.checkpoint(), verifier, { origin: ORIGIN })
    expect(checkpoint.size).toBe(300)
    for (const index of [0, 1, 17, 255, 256, 299]) {
      const p = await ledger.proveInclusion(index)
      verifyInclusion(p.index, p.size, fromHex(p.leafHash), p.proof.map(fromHex), checkpoint.root)
      const small = await ledger.proveInclusion(index, 299 > index ? 299 : 300)
      verifyInclusion(small.index, small.size, fromHex(small.leafHash), small.proof.map(fromHex), fromHex(small.root))
    }
    for (const size1 of [1, 30, 256, 257, 299]) {
      const c = await ledger.proveConsistency(size1)
      verifyConsistency(c.size1, c.size2, c.proof.map(fromHex), fromHex(c.root1), fromHex(c.root2))
    }
  })

  it('coalesces concurrent appends into one commit (group commit)', async () => {
    const store = new MemoryStore()
    let commits = 0
    const write = store.writeCommit.bind(store)
    store.writeCommit = async (c) => {
      commits++
      await new Promise((r) => setTimeout(r, 5))
      return write(c)
    }
    const ledger = await Ledger.create(store, { origin: ORIGIN })
    open.push(ledger)
    const receipts = await Promise.all(Array.from({ length: 50 }, (_, i) => ledger.append(sampleEvent(i))))
    expect(receipts.map((r) => r.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(commits).toBeLessThanOrEqual(3)
  })

  it('resolves references by id, within a batch and across commits, and keeps unknown ones', async () => {
    const ledger = await memoryLedger()
    await ledger.append(sampleEvent(0))
    await ledger.appendBatch([sampleEvent(1, { grant: 'ev-0' }), sampleEvent(2, { grant: 'ev-1', version: 'missing' })])
    const e2 = await ledger.getById('ev-2')
    const e1 = await ledger.getById('ev-1')
    expect(e2?.entry.refs).toEqual([
      { name: 'grant', id: 'ev-1', index: 1, hash: e1?.leafHash },
      { name: 'version', id: 'missing' },
    ])
  })

  it('sees ids committed while a later batch waited: repeats, conflicts and references stay right', async () => {
    // Each batch's ids are looked up when it is submitted; a commit landing between that lookup
    // and the batch's own commit must not be missed.
    const store = new MemoryStore()
    const write = store.writeCommit.bind(store)
    store.writeCommit = async (c) => {
      await new Promise((r) => setTimeout(r, 5))
      return write(c)
    }
    const ledger = await Ledger.create(store, { origin: ORIGIN })
    open.push(ledger)
    const changed = { ...sampleEvent(0), data: { ...sampleEvent(0).data, rows: 99 } }
    const first = ledger.append(sampleEvent(0))
    await new Promise((r) => setTimeout(r, 1)) // the first commit is being written
    const [again, conflict, referring] = await Promise.allSettled([ledger.append(sampleEvent(0)), ledger.append(changed), ledger.append(sampleEvent(1, { grant: 'ev-0' }))])
    const receipt = await first
    expect(again).toEqual({ status: 'fulfilled', value: receipt })
    expect(conflict).toMatchObject({ status: 'rejected', reason: { code: 'INPUT_ID_CONFLICT' } })
    expect(referring).toMatchObject({ status: 'fulfilled', value: { index: 1 } })
    expect((await ledger.getById('ev-1'))?.entry.refs).toEqual([{ name: 'grant', id: 'ev-0', index: 0, hash: fromHex(receipt.leafHash) }])
    expect(ledger.size).toBe(2)
  })

  it('returns the first receipt for a repeated id with the same content, and refuses other content', async () => {
    const ledger = await memoryLedger()
    const first = await ledger.append(sampleEvent(0))
    expect(await ledger.append(sampleEvent(0))).toEqual(first)
    const changed = { ...sampleEvent(0), data: { ...sampleEvent(0).data, resource: 'other' } }
    await expect(ledger.append(changed)).rejects.toMatchObject({ code: 'INPUT_ID_CONFLICT' })
    await expect(ledger.appendBatch([sampleEvent(5), changed])).rejects.toMatchObject({ code: 'INPUT_ID_CONFLICT', details: { position: 1 } })
    expect(ledger.size).toBe(1)
  })

  it('refuses a batch with a bad event whole, naming its position and field', async () => {
    const ledger = await memoryLedger()
    const bad = { ...sampleEvent(1), at: '2026-03-02 09:15' }
    await expect(ledger.appendBatch([sampleEvent(0), bad])).rejects.toMatchObject({ code: 'INPUT_INVALID', details: { position: 1, path: 'at' } })
    const noDept = { ...sampleEvent(2), actor: { person: 'x' } }
    await expect(ledger.appendBatch([noDept])).rejects.toMatchObject({ details: { path: 'actor.dept' } })
    const huge = { ...sampleEvent(3), data: { blob: 'x'.repeat(70_000) } }
    await expect(ledger.append(huge)).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' })
    const unencodable = { ...sampleEvent(4), data: { when: new Date(0) } }
    await expect(ledger.appendBatch([sampleEvent(5), unencodable])).rejects.toMatchObject({ code: 'INPUT_INVALID', details: { position: 1, path: 'data.when' } })
    expect(ledger.size).toBe(0)
  })

  it('streams new entries to subscribers', async () => {
    const ledger = await memoryLedger()
    await ledger.append(sampleEvent(0))
    const seen: string[] = []
    const done = (async () => {
      for await (const { entry } of ledger.subscribe(0)) {
        seen.push(entry.event.id)
        if (seen.length === 3) break
      }
    })()
    await ledger.appendBatch([sampleEvent(1), sampleEvent(2)])
    await done
    expect(seen).toEqual(['ev-0', 'ev-1', 'ev-2'])
  })

  it('reopens a LevelDB ledger without replay, with the same head and checkpoint', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-ledger-')), 'l')
    const ledger = await Ledger.create(dir, { origin: ORIGIN })
    await ledger.appendBatch(Array.from({ length: 600 }, (_, i) => sampleEvent(i)))
    const cp = ledger.checkpoint()
    await ledger.close()
    const again = await Ledger.open(dir)
    open.push(again)
    expect(again.size).toBe(600)
    expect(again.checkpoint()).toBe(cp)
    await again.appendBatch([sampleEvent(600)])
    const p = await again.proveInclusion(599)
    const { checkpoint } = openCheckpoint(again.checkpoint(), verifierFromKey(again.vkey))
    verifyInclusion(599, 601, fromHex(p.leafHash), p.proof.map(fromHex), checkpoint.root)
    expect((await again.get(600))?.entry.event.id).toBe('ev-600')
    await expect(Ledger.create(dir, { origin: ORIGIN })).rejects.toMatchObject({ code: 'STORE_EXISTS' })
  })

  it('stores a witness-cosigned checkpoint in place of its own, refusing anything else', async () => {
    const { skey } = generateSignerKey(ORIGIN)
    const ledger = await Ledger.create(new MemoryStore(), { origin: ORIGIN, skey })
    open.push(ledger)
    await ledger.appendBatch([sampleEvent(0), sampleEvent(1)])
    const signed = ledger.checkpoint()
    const witness = generateCosignerKey('witness.test.example/bureau')
    const cosigned = cosignCheckpoint(signed, cosignerFromKey(witness.skey), 1_790_000_000)
    await ledger.addCosignatures(cosigned)
    expect(ledger.checkpoint()).toBe(cosigned)
    expect((await ledger.store.readCheckpoint(2))?.text).toBe(cosigned)
    expect(verifyCosignatures(ledger.checkpoint(), [verifierFromKey(witness.vkey)])).toHaveLength(1)
    // A witness may renew its own line; a second witness adds one.
    const renewed = cosignCheckpoint(cosigned, cosignerFromKey(witness.skey), 1_790_000_100)
    await ledger.addCosignatures(renewed)
    const other = generateCosignerKey('witness.test.example/other')
    await ledger.addCosignatures(cosignCheckpoint(renewed, cosignerFromKey(other.skey), 1_790_000_200))
    const both = ledger.checkpoint()
    expect(
      verifyCosignatures(
        both,
        [witness, other].map((w) => verifierFromKey(w.vkey)),
      ),
    ).toHaveLength(2)

    const signer = signerFromKey(skey)
    const { checkpoint: cp } = openCheckpoint(signed, verifierFromKey(ledger.vkey))
    const note = parseNote(both)
    const refusals: [string, string][] = [
      // same size, another root, signed with the log's own key: a fork, not this checkpoint
      ['CHECKPOINT_MISMATCH', cosignCheckpoint(signCheckpoint({ ...cp, root: new Uint8Array(32) }, signer), cosignerFromKey(witness.skey), 1)],
      // another witness's line dropped
      ['CHECKPOINT_MISMATCH', formatNote({ text: note.text, signatures: note.signatures.slice(0, 2) })],
      // an added line that is not a cosignature/v1
      ['CHECKPOINT_MISMATCH', formatNote({ text: note.text, signatures: [...note.signatures, { name: 'x.example/y', keyId: 7, signature: new Uint8Array(64) }] })],
      // no checkpoint stored at that size
      ['CHECKPOINT_MISMATCH', signCheckpoint({ ...cp, size: 1 }, signer)],
      // not signed by the log
      ['NOTE_UNVERIFIED', signCheckpoint(cp, signerFromKey(generateSignerKey(ORIGIN).skey))],
      ['NOTE_MALFORMED', 'not a note'],
    ]
    for (const [code, text] of refusals) await expect(ledger.addCosignatures(text), code).rejects.toMatchObject({ code })
    expect(ledger.checkpoint()).toBe(both)
  })
})
