/**
 * The store conformance suite: every backend must pass it. Run it with a factory that returns a
 * fresh, unopened store (see memory-store.test.ts and level-store.test.ts beside this file).
 */
import { describe, expect, it } from 'vitest'
import type { Commit, Store } from '@liuhen/core'

const hash = (n: number): Uint8Array => new Uint8Array(32).fill(n)

function commitOf(from: number, count: number): Commit {
  const entries = Array.from({ length: count }, (_, i) => ({ index: from + i, bytes: Uint8Array.of(from + i, 7) }))
  return {
    entries,
    ids: entries.map((e) => ({ id: `ev-${e.index}`, index: e.index, hash: hash(e.index) })),
    tiles: [{ level: 0, index: 0, hashes: new Uint8Array(32 * (from + count)) }],
    head: { size: from + count, root: hash(200 + from + count), time: 1000 + from + count, frontier: [hash(1)] },
    checkpoint: { size: from + count, text: `cp ${from + count}\n` },
    postings: entries.map((e) => ({ name: 'resource', key: e.index % 2 ? 'odd' : 'even', entry: e.index })),
  }
}

/** Runs the suite against stores made by `make`. */
export function storeConformance(name: string, make: () => Promise<Store>): void {
  describe(`${name} conformance`, () => {
    it('starts empty and refuses a second meta record', async () => {
      const store = await make()
      await store.open()
      expect(await store.readHead()).toBeUndefined()
      expect(await store.readMeta()).toBeUndefined()
      expect(await store.readLatestCheckpoint()).toBeUndefined()
      await store.writeMeta({ format: 1, origin: 'o', vkey: 'k' })
      expect(await store.readMeta()).toEqual({ format: 1, origin: 'o', vkey: 'k' })
      await expect(store.writeMeta({ format: 1, origin: 'o', vkey: 'k' })).rejects.toMatchObject({ code: 'STORE_EXISTS' })
      await store.close()
    })

    it('reads back what commits wrote', async () => {
      const store = await make()
      await store.open()
      await store.writeCommit(commitOf(0, 3))
      await store.writeCommit(commitOf(3, 2))
      expect((await store.readHead())?.size).toBe(5)
      expect(await store.readEntry(4)).toEqual(Uint8Array.of(4, 7))
      expect(await store.readEntry(5)).toBeUndefined()
      const ranged = []
      for await (const e of store.readEntries(1, 4)) ranged.push(e.index)
      expect(ranged).toEqual([1, 2, 3])
      expect(await store.readIdIndex('ev-3')).toBe(3)
      expect(await store.readIdRecord('ev-3')).toEqual({ index: 3, hash: hash(3) })
      expect(await store.readIdIndex('nope')).toBeUndefined()
      expect(await store.readIdRecords(['ev-1', 'nope', 'ev-4'])).toEqual([{ index: 1, hash: hash(1) }, undefined, { index: 4, hash: hash(4) }])
      expect(await store.readIdRecords([])).toEqual([])
      const ids = []
      for await (const r of store.readIdIndexAll()) ids.push(r.id)
      expect(ids).toEqual(['ev-0', 'ev-1', 'ev-2', 'ev-3', 'ev-4'])
      expect((await store.readTile(0, 0))?.length).toBe(160)
      expect(await store.readCheckpoint(3)).toEqual({ size: 3, text: 'cp 3\n' })
      expect(await store.readLatestCheckpoint()).toEqual({ size: 5, text: 'cp 5\n' })
      const sizes = []
      for await (const c of store.readCheckpoints()) sizes.push(c.size)
      expect(sizes).toEqual([3, 5])
      await store.close()
    })

    it('scans postings by key, by range, in reverse and with a limit', async () => {
      const store = await make()
      await store.open()
      await store.writeCommit(commitOf(0, 5))
      const collect = async (it: AsyncIterable<{ key: string; entry: number }>) => {
        const out: string[] = []
        for await (const p of it) out.push(`${p.key}:${p.entry}`)
        return out
      }
      expect(await collect(store.readPostings('resource', 'odd'))).toEqual(['odd:1', 'odd:3'])
      expect(await collect(store.readPostings('resource', undefined, { gte: 'e', lt: 'f' }))).toEqual(['even:0', 'even:2', 'even:4'])
      expect(await collect(store.readPostings('resource', 'even', { reverse: true, limit: 2 }))).toEqual(['even:4', 'even:2'])
      expect(await collect(store.readPostings('other', undefined))).toEqual([])
      // A whole index, with no bounds at all.
      expect(await collect(store.readPostings('resource', undefined))).toEqual(['even:0', 'even:2', 'even:4', 'odd:1', 'odd:3'])
      await store.close()
    })

    it('reads tiles in one batch and entries in chunks, as the single reads do', async () => {
      const store = await make()
      await store.open()
      await store.writeCommit(commitOf(0, 3))
      await store.writeCommit({ ...commitOf(3, 2), tiles: [{ level: 1, index: 2, hashes: hash(9) }] })
      // Optional in the interface; both backends here have them, and must agree with readTile.
      expect(store.readTileMany).toBeTypeOf('function')
      expect(store.readEntriesChunk).toBeTypeOf('function')
      const many = await store.readTileMany?.([
        { level: 1, index: 2 },
        { level: 0, index: 1 },
        { level: 0, index: 0 },
      ])
      expect(many).toEqual([hash(9), undefined, await store.readTile(0, 0)])
      expect(await store.readTileMany?.([])).toEqual([])
      const chunk = await store.readEntriesChunk?.(1, 4)
      expect(chunk?.map((e) => e.index)).toEqual([1, 2, 3])
      expect(chunk?.[2]?.bytes).toEqual(Uint8Array.of(3, 7))
      expect((await store.readEntriesChunk?.(3, 100))?.map((e) => e.index)).toEqual([3, 4])
      expect(await store.readEntriesChunk?.(4, 4)).toEqual([])
      expect(await store.readEntriesChunk?.(7, 9)).toEqual([])
      const streamed = []
      for await (const e of store.readEntries(0, 5)) streamed.push(e.index)
      expect(streamed).toEqual([0, 1, 2, 3, 4])
      await store.close()
    })

    it('refuses reads when closed', async () => {
      const store = await make()
      await expect(store.readHead()).rejects.toMatchObject({ code: 'STORE_NOT_OPEN' })
      await expect(store.readTileMany?.([{ level: 0, index: 0 }])).rejects.toMatchObject({ code: 'STORE_NOT_OPEN' })
      await expect(store.readEntriesChunk?.(0, 1)).rejects.toMatchObject({ code: 'STORE_NOT_OPEN' })
    })
  })
}
