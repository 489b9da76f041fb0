/**
 * Reading tree nodes out of tiles (C2SP tlog-tiles layout, tile height 8): a node at tree level
 * 8·L + h is not stored; it is hashed up from the 2^h hashes below it in tile level L. Pure over
 * a tile reader, so the ledger, the verifier and the query package share one implementation.
 */
import { LedgerError } from './error.js'
import { HASH_SIZE, hashChildren } from './hash.js'
import { TILE_HEIGHT, TILE_WIDTH } from './store.js'

/** A complete node of the tree: it covers leaves [index·2^level, (index+1)·2^level). */
export interface TileNodeId {
  level: number
  index: number
}

/** Reads the hashes of tile (level, index), or undefined when it is not stored. */
export type TileReader = (level: number, index: number) => Promise<Uint8Array | undefined>

/** Where a node's bottom row sits: tile level and index, first offset and count of hashes. */
export function tileSpan(id: TileNodeId): { tileLevel: number; tileIndex: number; offset: number; count: number } {
  const tileLevel = Math.floor(id.level / TILE_HEIGHT)
  const h = id.level - tileLevel * TILE_HEIGHT
  const count = 2 ** h
  const first = id.index * count
  return { tileLevel, tileIndex: Math.floor(first / TILE_WIDTH), offset: first % TILE_WIDTH, count }
}

/** Hashes `hashes` (concatenated, a power of two of them) up to their single root. */
export function hashUp(hashes: Uint8Array): Uint8Array {
  let level: Uint8Array[] = []
  for (let at = 0; at < hashes.length; at += HASH_SIZE) level.push(hashes.subarray(at, at + HASH_SIZE))
  while (level.length > 1) {
    const next: Uint8Array[] = []
    for (let i = 0; i < level.length; i += 2) next.push(hashChildren(level[i] as Uint8Array, level[i + 1] as Uint8Array))
    level = next
  }
  const root = level[0]
  if (!root) throw new RangeError('hashUp needs at least one hash')
  return root.slice()
}

/**
 * The hashes of complete nodes `ids`, in order, derived from stored tiles. Tiles read once per
 * call. Throws `STORE_CORRUPT` when a tile is missing or too short for a node it must hold.
 *
 * @example const [root] = plan.build(await readNodesFromTiles(read, plan.ids))
 */
export async function readNodesFromTiles(read: TileReader, ids: readonly TileNodeId[]): Promise<Uint8Array[]> {
  const tiles = new Map<string, Uint8Array | undefined>()
  const out: Uint8Array[] = []
  for (const id of ids) {
    const span = tileSpan(id)
    const key = `${span.tileLevel}/${span.tileIndex}`
    if (!tiles.has(key)) tiles.set(key, await read(span.tileLevel, span.tileIndex))
    const tile = tiles.get(key)
    const end = (span.offset + span.count) * HASH_SIZE
    if (!tile || tile.length < end) {
      throw new LedgerError('STORE_CORRUPT', `tile ${key} lacks node ${id.level}/${id.index}`, { tile: key, node: id })
    }
    out.push(span.count === 1 ? tile.slice(span.offset * HASH_SIZE, end) : hashUp(tile.subarray(span.offset * HASH_SIZE, end)))
  }
  return out
}
