import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { CompactRange, hashLeaf, MemoryStore, planConsistency, planInclusion, planRoot, readNodesFromTiles, TILE_WIDTH, toHex, verifyConsistency, verifyInclusion, type StoredTile } from '@liuhen/core'
import { Ledger } from '@liuhen/ledger'
import { CACHED_TILE_BYTES, TileCache } from '../src/internal/tile-cache.js'

/** Every tile of a tree over `leaves`, as a log of that size stores them. */
function tilesOf(leaves: readonly Uint8Array[]): StoredTile[] {
  const range = CompactRange.empty()
  const rows = new Map<string, { level: number; index: number; hashes: Uint8Array[] }>()
  for (const leaf of leaves) {
    range.append(leaf, (level, index, hash) => {
      if (level % 8 !== 0) return
      const t = { level: level / 8, index: Math.floor(index / TILE_WIDTH) }
      const key = `${t.level}/${t.index}`
      const row = rows.get(key) ?? { ...t, hashes: [] }
      row.hashes.push(hash)
      rows.set(key, row)
    })
  }
  return [...rows.values()].map((r) => ({ level: r.level, index: r.index, hashes: new Uint8Array(Buffer.concat(r.hashes)) }))
}

const leavesOf = (n: number, salt = 0): Uint8Array[] => Array.from({ length: n }, (_, i) => hashLeaf(Uint8Array.of(i & 255, (i >> 8) & 255, i >> 16, salt)))

async function storeOf(leaves: readonly Uint8Array[], tiles = tilesOf(leaves)): Promise<MemoryStore> {
  const store = new MemoryStore()
  await store.open()
  await store.writeCommit({ entries: [], ids: [], tiles, head: { size: leaves.length, root: new Uint8Array(32), time: 0, frontier: [] } })
  return store
}

/** The tiles of the first `size` leaves, cut from the tiles of a bigger tree. */
function tilesAt(all: readonly StoredTile[], size: number): StoredTile[] {
  return all
    .map((t) => ({ ...t, hashes: t.hashes.subarray(0, 32 * Math.max(0, Math.min(TILE_WIDTH, Math.floor(size / 2 ** (8 * t.level)) - t.index * TILE_WIDTH))) }))
    .filter((t) => t.hashes.length > 0)
}

const uncached = (store: MemoryStore, ids: readonly { level: number; index: number }[]) => readNodesFromTiles((l, i) => store.readTile(l, i), ids)

describe('TileCache', () => {
  // A tree past 2·65,536 leaves: three tile levels, partial tiles at each, the cache filled at a
  // smaller committed size and then extended as the tree grows.
  const big = leavesOf(140_000)
  const bigTiles = tilesOf(big)
  const stages = [1, 255, 256, 257, 4_097, 65_535, 65_536, 70_001, 140_000]

  it('gives the nodes the store gives, for random proofs while the tree grows (property)', async () => {
    for (const capacity of [1, 1 << 20]) {
      const cache = new TileCache(capacity * CACHED_TILE_BYTES)
      for (const committed of stages) {
        const store = await storeOf(big.slice(0, committed), tilesAt(bigTiles, committed))
        const cases = fc.integer({ min: 1, max: committed }).chain((size) => fc.tuple(fc.nat(size - 1), fc.constant(size), fc.integer({ min: 1, max: size })))
        await fc.assert(
          fc.asyncProperty(cases, async ([index, size, size1]) => {
            for (const plan of [planInclusion(index, size), planConsistency(size1, size), planRoot(size)]) {
              const ids = [{ level: 0, index }, ...plan.ids]
              const want = await uncached(store, ids)
              expect(await cache.nodes(store, ids, committed)).toEqual(want)
              const views = await cache.nodes(store, plan.ids, committed, true)
              // Ephemeral folds come from the memo from the second time on.
              for (let twice = 0; twice < 2; twice++) expect(cache.build(plan, views)).toEqual(plan.build(want.slice(1)))
            }
          }),
          { numRuns: 20, seed: committed + capacity },
        )
        expect(cache.size).toBeLessThanOrEqual(capacity)
      }
    }
  })

  it('never keeps nodes past the committed size (a failed commit may be retried with other entries)', async () => {
    const a = leavesOf(1000, 1)
    const b = [...a.slice(0, 600), ...leavesOf(400, 2)]
    const cache = new TileCache()
    // The store already holds tree a's 1000 leaves; the ledger has committed 600 of them.
    const ahead = await storeOf(a)
    for (const index of [0, 255, 511, 599]) await cache.nodes(ahead, planInclusion(index, 600).ids, 600)
    const store = await storeOf(b)
    for (const index of [0, 599, 600, 777, 999]) {
      const ids = [{ level: 0, index }, ...planInclusion(index, 1000).ids]
      expect(await cache.nodes(store, ids, 1000)).toEqual(await uncached(store, ids))
    }
  })

  it('refuses missing and short tiles with STORE_CORRUPT, and hands out copies', async () => {
    const store = await storeOf(leavesOf(300))
    const cache = new TileCache()
    await expect(cache.nodes(store, [{ level: 0, index: 299 }], 400)).rejects.toMatchObject({ code: 'STORE_CORRUPT' })
    await expect(cache.nodes(new MemoryStore(), [{ level: 0, index: 0 }], 1)).rejects.toMatchObject({ code: 'STORE_NOT_OPEN' })
    const [node] = await cache.nodes(store, [{ level: 3, index: 1 }], 300)
    node?.fill(0)
    expect(await cache.nodes(store, [{ level: 3, index: 1 }], 300)).toEqual(await uncached(store, [{ level: 3, index: 1 }]))
  })
})

describe('Ledger proofs through the tile cache', () => {
  const open: Ledger[] = []
  afterEach(async () => {
    for (const l of open.splice(0)) await l.close()
  })

  it('match proofs from the store while appends run concurrently', async () => {
    const store = new MemoryStore()
    const ledger = await Ledger.create(store, { origin: 'tile-cache.test.example/log', validate: false }) // synthetic events
    open.push(ledger)
    const event = (i: number) => ({ id: `ev-${i}`, type: 'access.performed', at: '2026-03-02T09:15:04+08:00', actor: { dept: 'd', person: 'p' }, data: { i } })
    let next = 0
    const appends: Promise<unknown>[] = []
    for (let round = 0; round < 12; round++) {
      // Proofs are asked for while the next commits are still being written.
      appends.push(ledger.appendBatch(Array.from({ length: 97 }, () => event(next++))))
      const size = ledger.size
      if (size === 0) {
        await appends.at(-1)
        continue
      }
      for (const index of [0, size >> 1, size - 1]) {
        const p = await ledger.proveInclusion(index, size)
        const ids = [{ level: 0, index }, ...planInclusion(index, size).ids]
        const [leaf, ...path] = await uncached(store, ids)
        expect(p.leafHash).toBe(toHex(leaf as Uint8Array))
        expect(p.proof).toEqual(planInclusion(index, size).build(path).map(toHex))
        const root = await ledger.rootAt(size)
        verifyInclusion(index, size, leaf as Uint8Array, path.length ? planInclusion(index, size).build(path) : [], root)
      }
      if (size > 1) {
        const c = await ledger.proveConsistency(1 + (size >> 2), size)
        const plan = planConsistency(1 + (size >> 2), size)
        expect(c.proof).toEqual(plan.build(await uncached(store, plan.ids)).map(toHex))
        verifyConsistency(c.size1, c.size2, plan.build(await uncached(store, plan.ids)), await ledger.rootAt(c.size1), await ledger.rootAt(c.size2))
      }
    }
    await Promise.all(appends)
    const size = ledger.size
    expect(toHex(await ledger.rootAt(size - 1))).toBe(toHex(planRoot(size - 1).build(await uncached(store, planRoot(size - 1).ids))[0] as Uint8Array))
  })
})
