/**
 * The index store conformance suite: every index backend must pass it. Run it with a factory
 * that makes a new, empty index and hands out unopened handles to it (memory-log-store.test.ts).
 */
import { describe, expect, it } from 'vitest'
import type { IndexBatch, IndexStore, Posting } from '@liuhen/core'

/** One index under test. */
export interface IndexFixture {
  /** A new, unopened handle on the index. */
  store(): IndexStore
}

const hash = (n: number): Uint8Array => new Uint8Array(32).fill(n)

/** The batch that indexes entries `from` … `to − 1`: ids `ev-<i>`, a posting by parity. */
function batchOf(from: number, to: number): IndexBatch {
  const ids = []
  const postings: Posting[] = []
  for (let i = from; i < to; i++) {
    ids.push({ id: `ev-${i}`, index: i, hash: hash(i), time: 1000 + i })
    postings.push({ name: 'resource', key: i % 2 ? 'odd' : 'even', entry: i })
  }
  return { size: to, ids, postings }
}

async function collect(it: AsyncIterable<Posting>): Promise<string[]> {
  const out: string[] = []
  for await (const p of it) out.push(`${p.key}:${p.entry}`)
  return out
}

/** Runs the suite against indexes made by `make`. */
export function indexStoreConformance(name: string, make: () => Promise<IndexFixture>): void {
  async function opened(): Promise<{ index: IndexFixture; store: IndexStore }> {
    const index = await make()
    const store = index.store()
    await store.open()
    return { index, store }
  }

  describe(`${name} index conformance`, () => {
    it('starts empty at mark 0', async () => {
      const { store } = await opened()
      expect(await store.readIndexedSize()).toBe(0)
      expect(await store.readIdRecord('ev-0')).toBeUndefined()
      expect(await store.readIdRecords(['a', 'b'])).toEqual([undefined, undefined])
      expect(await collect(store.readPostings('resource', undefined))).toEqual([])
      await store.close()
    })

    it('reads back id records with their receipt data, and the mark', async () => {
      const { store } = await opened()
      await store.writeBatch(batchOf(0, 3))
      await store.writeBatch(batchOf(3, 12))
      expect(await store.readIndexedSize()).toBe(12)
      expect(await store.readIdRecord('ev-3')).toEqual({ index: 3, hash: hash(3), time: 1003 })
      expect(await store.readIdRecords(['ev-1', 'nope', 'ev-11'])).toEqual([{ index: 1, hash: hash(1), time: 1001 }, undefined, { index: 11, hash: hash(11), time: 1011 }])
      expect(await store.readIdRecords([])).toEqual([])
      const ids: string[] = []
      for await (const r of store.readIdRecordsAll()) ids.push(r.id)
      // Sorted as bytes: 'ev-10' before 'ev-2'.
      expect(ids).toEqual(['ev-0', 'ev-1', 'ev-10', 'ev-11', 'ev-2', 'ev-3', 'ev-4', 'ev-5', 'ev-6', 'ev-7', 'ev-8', 'ev-9'])
      await store.close()
    })

    it('keeps everything when reopened', async () => {
      const { index, store } = await opened()
      await store.writeBatch(batchOf(0, 5))
      await store.close()
      const again = index.store()
      await again.open()
      expect(await again.readIndexedSize()).toBe(5)
      expect(await again.readIdRecord('ev-4')).toEqual({ index: 4, hash: hash(4), time: 1004 })
      expect(await collect(again.readPostings('resource', 'odd'))).toEqual(['odd:1', 'odd:3'])
      await again.close()
    })

    it('refuses a batch below the mark and applies none of it; a repeated batch changes nothing', async () => {
      const { store } = await opened()
      await store.writeBatch(batchOf(0, 5))
      await expect(store.writeBatch({ size: 4, ids: [{ id: 'late', index: 9, hash: hash(9), time: 9 }], postings: [{ name: 'resource', key: 'late', entry: 9 }] })).rejects.toThrow(RangeError)
      expect(await store.readIdRecord('late')).toBeUndefined()
      expect(await collect(store.readPostings('resource', 'late'))).toEqual([])
      expect(await store.readIndexedSize()).toBe(5)
      // Catching up again from an older mark writes the same records: puts are idempotent.
      await store.writeBatch(batchOf(2, 5))
      expect(await collect(store.readPostings('resource', 'even'))).toEqual(['even:0', 'even:2', 'even:4'])
      await store.close()
    })

    it('scans postings by key, by range, in reverse and with a limit', async () => {
      const { store } = await opened()
      await store.writeBatch(batchOf(0, 5))
      expect(await collect(store.readPostings('resource', 'odd'))).toEqual(['odd:1', 'odd:3'])
      expect(await collect(store.readPostings('resource', undefined, { gte: 'e', lt: 'f' }))).toEqual(['even:0', 'even:2', 'even:4'])
      expect(await collect(store.readPostings('resource', 'even', { reverse: true, limit: 2 }))).toEqual(['even:4', 'even:2'])
      expect(await collect(store.readPostings('other', undefined))).toEqual([])
      await store.close()
    })

    it('orders non-ASCII keys by their UTF-8 bytes, as LevelDB does', async () => {
      const { store } = await opened()
      // UTF-16 order would put U+1F600 (a surrogate pair, 0xD83D…) before U+FFFD; UTF-8 puts it after.
      const keys = ['😀', '\uFFFD', '中', 'é', 'z', 'a', 'ea', 'e\u0301']
      await store.writeBatch({ size: keys.length, ids: [], postings: keys.map((key, entry) => ({ name: 'dept', key, entry })) })
      const sorted = ['a', 'ea', 'e\u0301', 'z', 'é', '中', '\uFFFD', '😀']
      expect((await collect(store.readPostings('dept', undefined))).map((p) => p.split(':')[0])).toEqual(sorted)
      expect((await collect(store.readPostings('dept', undefined, { reverse: true }))).map((p) => p.split(':')[0])).toEqual([...sorted].reverse())
      expect(await collect(store.readPostings('dept', undefined, { gte: 'é', lt: '\uFFFD' }))).toEqual(['é:3', '中:2'])
      expect(await collect(store.readPostings('dept', '😀'))).toEqual(['😀:0'])
      await store.close()
    })

    it('refuses reads and writes before open and after close', async () => {
      const { index, store } = await opened()
      await store.close()
      for (const s of [store, index.store()]) {
        await expect(s.readIndexedSize()).rejects.toMatchObject({ code: 'STORE_NOT_OPEN' })
        await expect(s.readIdRecord('ev-0')).rejects.toMatchObject({ code: 'STORE_NOT_OPEN' })
        await expect(s.writeBatch(batchOf(0, 1))).rejects.toMatchObject({ code: 'STORE_NOT_OPEN' })
      }
    })

    it('refuses a second writer while the first holds the index', async () => {
      const { index, store } = await opened()
      const second = index.store()
      await expect(second.open()).rejects.toMatchObject({ code: 'STORE_LOCKED' })
      await store.close()
      await second.open()
      await second.close()
    })
  })
}
