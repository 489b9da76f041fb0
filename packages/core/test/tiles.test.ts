import { describe, expect, it } from 'vitest'
import { CompactRange, hashLeaf, MemoryStore, planInclusion, planRoot, readNodesFromTileBatch, readNodesFromTiles, readTileBatch, tilesOfNodes, TILE_WIDTH } from '../src/index.js'

/** A store holding only the tiles of a tree of `size` leaves (what CompactRange emits). */
async function treeStore(size: number): Promise<MemoryStore> {
  const range = CompactRange.empty()
  const tiles = new Map<string, { level: number; index: number; hashes: Uint8Array }>()
  for (let i = 0; i < size; i++) {
    range.append(hashLeaf(Uint8Array.of(i & 255, i >> 8)), (level, index, hash) => {
      if (level % 8 !== 0) return
      const t = { level: level / 8, index: Math.floor(index / TILE_WIDTH) }
      const key = `${t.level}/${t.index}`
      const old = tiles.get(key)?.hashes ?? new Uint8Array(0)
      const hashes = new Uint8Array(old.length + 32)
      hashes.set(old)
      hashes.set(hash, old.length)
      tiles.set(key, { ...t, hashes })
    })
  }
  const store = new MemoryStore()
  await store.open()
  await store.writeCommit({ entries: [], ids: [], tiles: [...tiles.values()], head: { size, root: range.root(), time: 0, frontier: [] } })
  return store
}

describe('readNodesFromTileBatch', () => {
  it('reads each tile once, in one batch, and gives what per-tile reads give', async () => {
    const size = 70_000
    const store = await treeStore(size)
    const calls: number[] = []
    for (const [index, s] of [
      [0, size],
      [65_535, size],
      [69_999, size],
      [300, 301],
      [12_345, 65_536],
    ] as const) {
      const plan = planInclusion(index, s)
      const batched = await readNodesFromTileBatch((ids) => {
        calls.push(ids.length)
        return readTileBatch(store, ids)
      }, plan.ids)
      expect(batched).toEqual(await readNodesFromTiles((l, i) => store.readTile(l, i), plan.ids))
    }
    expect(calls.length).toBe(5)
    const [root] = planRoot(size).build(await readNodesFromTileBatch((ids) => readTileBatch(store, ids), planRoot(size).ids))
    expect(root).toEqual((await store.readHead())?.root)
  })

  it('lists the tiles of nodes once each, in order of first use', () => {
    expect(
      tilesOfNodes([
        { level: 0, index: 300 },
        { level: 3, index: 1 },
        { level: 8, index: 5 },
        { level: 0, index: 257 },
      ]),
    ).toEqual([
      { level: 0, index: 1 },
      { level: 0, index: 0 },
      { level: 1, index: 0 },
    ])
  })

  it('refuses an answer with the wrong number of tiles, or a missing tile', async () => {
    const ids = [{ level: 0, index: 1 }]
    await expect(readNodesFromTileBatch(async () => [], ids)).rejects.toMatchObject({ code: 'STORE_CORRUPT' })
    await expect(readNodesFromTileBatch(async () => [undefined], ids)).rejects.toMatchObject({ code: 'STORE_CORRUPT' })
    await expect(readNodesFromTileBatch(async () => [new Uint8Array(32)], ids)).rejects.toMatchObject({ code: 'STORE_CORRUPT' })
    expect(await readNodesFromTileBatch(async () => [], [])).toEqual([])
  })
})
