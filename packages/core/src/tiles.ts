/**
 * Reading tree nodes out of tiles (C2SP tlog-tiles layout, tile height 8): a node at tree level
 * 8·L + h is not stored; it is hashed up from the 2^h hashes below it in tile level L. Pure over
 * a tile reader, so the ledger, the verifier and the query package share one implementation.
 */
import { LedgerError } from './error.js'
import { HASH_SIZE, hashChildren } from './hash.js'
import { TILE_HEIGHT, TILE_WIDTH, type ReadableStore, type StoredEntry, type TileId } from './store.js'

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

/** Reads tiles `ids` (in one round trip where the store can), in order; undefined where missing. */
export type TileBatchReader = (ids: readonly TileId[]) => Promise<readonly (Uint8Array | undefined)[]>

/**
 * The tiles that nodes `ids` live in, each once, in order of first use.
 *
 * @example tilesOfNodes([{ level: 0, index: 3 }, { level: 1, index: 0 }]) // [{ level: 0, index: 0 }]
 */
export function tilesOfNodes(ids: readonly TileNodeId[]): TileId[] {
  const seen = new Set<string>()
  const out: TileId[] = []
  for (const id of ids) {
    const span = tileSpan(id)
    const key = `${span.tileLevel}/${span.tileIndex}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ level: span.tileLevel, index: span.tileIndex })
  }
  return out
}

/**
 * The hashes of complete nodes `ids`, in order, derived from stored tiles. Each tile is read once
 * per call and all of them concurrently (see {@link readNodesFromTileBatch} for one batch read).
 * Throws `STORE_CORRUPT` when a tile is missing or too short for a node it must hold.
 *
 * @example const [root] = plan.build(await readNodesFromTiles(read, plan.ids))
 */
export function readNodesFromTiles(read: TileReader, ids: readonly TileNodeId[]): Promise<Uint8Array[]> {
  return readNodesFromTileBatch((tiles) => Promise.all(tiles.map((t) => read(t.level, t.index))), ids)
}

/**
 * {@link readNodesFromTiles} with every tile the nodes need fetched by one `readMany` call: a
 * proof reads its ~log₂₅₆ n tiles in one store round trip instead of one awaited get each.
 * Throws `STORE_CORRUPT` when a tile is missing or too short, or `readMany` answers with
 * another number of tiles than asked for (the store may be untrusted).
 *
 * @example const proof = plan.build(await readNodesFromTileBatch((t) => readTileBatch(store, t), plan.ids))
 */
export async function readNodesFromTileBatch(readMany: TileBatchReader, ids: readonly TileNodeId[]): Promise<Uint8Array[]> {
  if (ids.length === 0) return []
  const wanted = tilesOfNodes(ids)
  const got: unknown = await readMany(wanted)
  if (!Array.isArray(got) || got.length !== wanted.length) {
    throw new LedgerError('STORE_CORRUPT', `asked for ${wanted.length} tiles, the store answered otherwise`, { tiles: wanted.length })
  }
  const tiles = new Map<string, Uint8Array | undefined>()
  wanted.forEach((t, i) => tiles.set(`${t.level}/${t.index}`, got[i] as Uint8Array | undefined))
  return ids.map((id) => {
    const span = tileSpan(id)
    const key = `${span.tileLevel}/${span.tileIndex}`
    const tile = tiles.get(key)
    const end = (span.offset + span.count) * HASH_SIZE
    if (!(tile instanceof Uint8Array) || tile.length < end) {
      // `index`: the first entry under the node, the first the tree cannot be checked from.
      throw new LedgerError('STORE_CORRUPT', `tile ${key} lacks node ${id.level}/${id.index}`, { tile: key, node: id, index: id.index * 2 ** id.level })
    }
    return span.count === 1 ? tile.slice(span.offset * HASH_SIZE, end) : hashUp(tile.subarray(span.offset * HASH_SIZE, end))
  })
}

/**
 * Tiles `ids` from `store` in one round trip when it has `readTileMany`, else one `readTile`
 * each, all in flight at once. Answers are the store's, unchecked.
 *
 * @example const [leafTile] = await readTileBatch(store, [{ level: 0, index: 0 }])
 */
export function readTileBatch(store: ReadableStore, ids: readonly TileId[]): Promise<(Uint8Array | undefined)[]> {
  if (ids.length === 0) return Promise.resolve([])
  if (store.readTileMany) return store.readTileMany(ids)
  return Promise.all(ids.map((t) => store.readTile(t.level, t.index)))
}

/**
 * Entries `from <= index < to` as one array: one `readEntriesChunk` call when the store has it,
 * else collected from `readEntries`. Answers are the store's, unchecked.
 *
 * @example for (const { index, bytes } of await readEntryChunk(store, 0, 1024)) hashLeaf(bytes)
 */
export async function readEntryChunk(store: ReadableStore, from: number, to: number): Promise<StoredEntry[]> {
  if (store.readEntriesChunk) return store.readEntriesChunk(from, to)
  const out: StoredEntry[] = []
  for await (const e of store.readEntries(from, to)) {
    out.push(e)
    // A lying store may stream for ever; more than asked for is the caller's finding.
    if (out.length > to - from) break
  }
  return out
}
