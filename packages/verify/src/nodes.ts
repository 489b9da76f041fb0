/**
 * Tree nodes from stored tiles (C2SP tlog-tiles layout, tiles of height 8): any complete node,
 * and from those the inclusion and consistency proofs and roots that core's proof plans ask for.
 * The store is untrusted: a missing, short or malformed tile is a `STORE_CORRUPT` error, and a
 * tile that lies yields a proof that fails against a signed root, never a wrong "valid".
 */
import { HASH_SIZE, TILE_WIDTH, planConsistency, planInclusion, planRoot, type NodeId, readNodesFromTileBatch, readTileBatch, type ReadableStore } from '@liuhen/core'
import { VerifyError } from './error.js'

/**
 * Derives complete tree nodes from the tiles of `source`. A node at level `l = 8·L + h` is hashed
 * up from the 2^h hashes of tile level `L` below it, so any node costs one tile read (all the
 * tiles of a call in one batch read) and at most 127 hashes. Preconditions: each id is a complete node of the
 * stored tree (its leaves `index·2^level .. (index+1)·2^level − 1` are all in the log).
 * Throws `STORE_CORRUPT` when a tile is missing, malformed or too short for a node.
 * Built on core's `readNodesFromTiles`, with the store's answers checked first (it is untrusted).
 *
 * @example const [root] = planRoot(size).build(await readNodes(store, planRoot(size).ids))
 */
export async function readNodes(source: ReadableStore, ids: readonly NodeId[]): Promise<Uint8Array[]> {
  return readNodesFromTileBatch(async (tiles) => {
    const got: unknown = await readTileBatch(source, tiles)
    if (!Array.isArray(got)) return []
    return got.map((tile: unknown) => {
      const ok = tile instanceof Uint8Array && tile.length % HASH_SIZE === 0 && tile.length <= TILE_WIDTH * HASH_SIZE
      return ok ? tile : undefined
    })
  }, ids)
}

/**
 * RFC 9162 inclusion proof for leaf `index` in the tree of size `size`, from stored tiles.
 * Precondition: `0 <= index < size <= ` the stored tree size.
 */
export async function inclusionProofFromStore(source: ReadableStore, index: number, size: number): Promise<Uint8Array[]> {
  const plan = planInclusion(index, size)
  return plan.build(await readNodes(source, plan.ids))
}

/**
 * RFC 9162 consistency proof from size `size1` to `size2`, from stored tiles.
 * Precondition: `0 <= size1 <= size2 <=` the stored tree size.
 */
export async function consistencyProofFromStore(source: ReadableStore, size1: number, size2: number): Promise<Uint8Array[]> {
  const plan = planConsistency(size1, size2)
  return plan.build(await readNodes(source, plan.ids))
}

/** Root of the first `size` leaves, from stored tiles (the empty root for 0). */
export async function rootFromStore(source: ReadableStore, size: number): Promise<Uint8Array> {
  const plan = planRoot(size)
  const [root] = plan.build(await readNodes(source, plan.ids))
  if (!root) throw new VerifyError('STORE_CORRUPT', `no root for size ${size}`)
  return root
}

/**
 * Ids of the compact range [0, size): the roots of its perfect subtrees, largest (leftmost)
 * first, the shape of a head's `frontier`.
 */
export function frontierIds(size: number): NodeId[] {
  const ids: NodeId[] = []
  let start = 0
  for (let level = Math.floor(Math.log2(Math.max(size, 1))) + 1; level >= 0; level--) {
    const width = 2 ** level
    if (size - start >= width) {
      ids.push({ level, index: start / width })
      start += width
    }
  }
  return ids
}

/** The frontier of size `size`, from stored tiles; see {@link frontierIds}. */
export async function frontierFromStore(source: ReadableStore, size: number): Promise<Uint8Array[]> {
  return readNodes(source, frontierIds(size))
}
