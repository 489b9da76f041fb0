import { describe, expect, it } from 'vitest'
import { auditIncremental, consistencyProofFromStore, inclusionProofFromStore, readNodes, rootFromStore } from '../src/index.js'
import { CompactRange, hashLeaf, planRoot, verifyConsistency, verifyInclusion } from '@liuhen/core'
import { OpenStore, buildLog } from './support/log.js'

describe('readNodes and proofs from tiles', () => {
  it('derives every node level and proofs that verify, for sizes across tile edges', async () => {
    const log = await buildLog(700, { batch: 50 })
    for (const size of [1, 2, 255, 256, 257, 511, 512, 513, 650, 700]) {
      const range = CompactRange.empty()
      for (const leaf of log.leaves.slice(0, size)) range.append(leaf)
      expect(await rootFromStore(log.store, size)).toEqual(range.root())
      for (const index of [0, size >> 1, size - 1]) {
        verifyInclusion(index, size, log.leaves[index]!, await inclusionProofFromStore(log.store, index, size), range.root())
      }
      for (const size1 of [1, size >> 1, size - 1].filter((s) => s > 0)) {
        const r1 = CompactRange.empty()
        for (const leaf of log.leaves.slice(0, size1)) r1.append(leaf)
        verifyConsistency(size1, size, await consistencyProofFromStore(log.store, size1, size), r1.root(), range.root())
      }
    }
    const [node] = await readNodes(log.store, [{ level: 9, index: 0 }])
    const r = CompactRange.empty()
    for (const leaf of log.leaves.slice(0, 512)) r.append(leaf)
    expect(node).toEqual(r.root())
    expect(hashLeaf(log.entries[0]!)).toEqual(log.leaves[0])
  })

  it('a missing tile is STORE_CORRUPT', async () => {
    const log = await buildLog(300)
    const s = await OpenStore.from(log.store)
    s.tiles.delete('0/1')
    await expect(readNodes(s, planRoot(300).ids)).rejects.toMatchObject({ code: 'STORE_CORRUPT' })
  })
})

describe('auditIncremental', () => {
  it('accepts held checkpoints the log extends', async () => {
    const log = await buildLog(600)
    const r = await auditIncremental(log.store, { key: log.vkey, checkpoints: [log.notes.get(7)!, log.notes.get(259)!, log.notes.get(600)!] })
    expect(r.failures).toEqual([])
    expect(r).toMatchObject({ ok: true, mode: 'incremental', size: 600, checkpoints: { checked: 4, consistent: 4 } })
  })

  it('names a rollback, a fork with the same key, and a truncation', async () => {
    const log = await buildLog(600)
    const back = await buildLog(400)
    expect((await auditIncremental(back.store, { key: log.vkey, checkpoints: [log.notes.get(600)!] })).failures).toMatchObject([{ code: 'AUDIT_INCONSISTENT', kind: 'rollback' }])
    const fork = await buildLog(600, { refOf: () => undefined })
    const f = await auditIncremental(fork.store, { key: log.vkey, checkpoints: [log.notes.get(301)!, log.notes.get(600)!] })
    expect(f.failures.map((x) => [x.code, x.kind, x.size])).toEqual([
      ['AUDIT_INCONSISTENT', 'fork', 301],
      ['AUDIT_INCONSISTENT', 'fork', 600],
    ])
    const cut = await OpenStore.from(log.store)
    cut.tiles.delete('0/0')
    cut.checkpoints.delete(600)
    cut.head = { ...cut.head!, size: 600 }
    const t = await auditIncremental(cut, { key: log.vkey, checkpoints: [log.notes.get(600)!, log.notes.get(14)!] })
    expect(t.failures.map((x) => x.kind ?? x.code).sort()).toEqual(['AUDIT_HEAD_MISMATCH', 'truncation', 'truncation'])
  })

  it('reports a forged latest checkpoint', async () => {
    const log = await buildLog(30)
    const s = await OpenStore.from(log.store)
    s.checkpoints.set(30, s.checkpoints.get(30)!.replace('\n30\n', '\n31\n'))
    const r = await auditIncremental(s, { key: log.vkey, checkpoints: [] })
    expect(r.failures).toMatchObject([{ code: 'AUDIT_CHECKPOINT_SIGNATURE' }])
  })
})
