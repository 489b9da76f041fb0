/**
 * Read-ahead for the streaming audit: a chunk of entries and every tile its checks will touch,
 * fetched together while the previous chunk is decoded and hashed, so I/O latency overlaps the
 * CPU work instead of adding to it. Answers are the untrusted store's; the audit checks them.
 */
import { TILE_HEIGHT, TILE_WIDTH, readEntryChunk, readTileBatch, type ReadableStore, type TileId } from '@liuhen/core'

/** Entries [from, to) as the store answered, and the tiles they need by tile key `level/index`. */
export interface Chunk {
  from: number
  to: number
  entries: readonly unknown[]
  tiles: Map<string, unknown>
}

/**
 * The tiles holding the nodes at tile levels (tree levels 8·L) that become complete while leaves
 * [from, to) are appended: the leaf tiles of the range, and above them at most a tile or two per
 * level. At most (to − from)/256 + 2 + 2·⌈log₂₅₆ to⌉ tiles.
 *
 * @example tilesForRange(0, 1024) // level-0 tiles 0..3 and tile 1/0 (nodes 8/0..8/3)
 */
export function tilesForRange(from: number, to: number): TileId[] {
  const out: TileId[] = []
  for (let level = 0; ; level++) {
    const span = 2 ** (TILE_HEIGHT * level)
    if (span > to) break
    // Node k at tree level 8·level completes with leaf (k + 1)·span − 1.
    const lo = Math.floor(from / span)
    const hi = Math.floor(to / span) - 1
    if (lo > hi) continue
    for (let index = Math.floor(lo / TILE_WIDTH); index <= Math.floor(hi / TILE_WIDTH); index++) out.push({ level, index })
  }
  return out
}

/**
 * Starts reading chunk [from, to): entries in one `readEntriesChunk` where the store has it and
 * the chunk's tiles in one batch, both in flight at once. The promise is marked handled, so a
 * read-ahead that is dropped (the audit stopped or jumped) never becomes an unhandled rejection;
 * awaiting it still throws.
 */
export function readChunk(source: ReadableStore, from: number, to: number): Promise<Chunk> {
  const ids = tilesForRange(from, to)
  const chunk = Promise.all([readEntryChunk(source, from, to), readTileBatch(source, ids)]).then(([entries, tiles]) => {
    const got: unknown = tiles
    const list: unknown = entries
    if (!Array.isArray(list)) throw new Error(`readEntriesChunk(${from}, ${to}) did not answer with a list`)
    if (!Array.isArray(got) || got.length !== ids.length) throw new Error(`readTileMany answered ${ids.length} tiles otherwise`)
    const map = new Map<string, unknown>()
    ids.forEach((t, i) => map.set(`${t.level}/${t.index}`, got[i]))
    return { from, to, entries: list as unknown[], tiles: map }
  })
  chunk.catch(() => {})
  return chunk
}
