/**
 * A bounded LRU of tiles with their inner nodes hashed, for proofs and roots. A proof needs one
 * node per tree level, all of them inside ~log₂₅₆ n tiles; from the store alone each node at
 * height h inside a tile costs 2^h − 1 hashes (~500 a proof at 10⁵ entries) and a tile read.
 * Here a tile's inner nodes are hashed once, on first use, and kept: a proof whose tiles are
 * cached costs a few map lookups and no I/O. The upper tile levels are few and used by every
 * proof, so they stay at the recent end of the LRU.
 *
 * Nothing cached is ever stale: in an append-only tree a node, once complete, never changes. A
 * tile is cached with only the nodes complete at the ledger's committed size when it was read
 * (its `width`), so a full tile is final and the rightmost, partial tile of a level can only be
 * too short, never wrong: a node past its width is read again and the tile extended. Nodes past
 * the committed size are never trusted (a failed commit may be retried with other entries).
 */
import { HASH_SIZE, LedgerError, TILE_HEIGHT, TILE_WIDTH, hashChildren, readTileBatch, tileWidthAt, type NodeId, type ProofPlan, type ReadableStore, type TileId } from '@liuhen/core'

/** Offset, in hashes, of the nodes of height h (0..7) in a tile's buffer: 256 + 128 + ... */
const OFFSET: number[] = []
for (let h = 0, at = 0; h <= TILE_HEIGHT; at += TILE_WIDTH >> h, h++) OFFSET.push(at)
/** Bytes of one cached tile: its 256 hashes and the 254 inner nodes above them (16,320). */
export const CACHED_TILE_BYTES = (OFFSET[TILE_HEIGHT] as number) * HASH_SIZE
/** Most folded ephemeral nodes kept (32 bytes and a short key each); cleared when full. */
export const MAX_FOLDS = 4096
/** Default bound of a ledger's tile cache: 8 MiB, 514 tiles (the leaf tiles of 131,584 entries). */
export const DEFAULT_TILE_CACHE_BYTES = 8 << 20

/** One tile's bottom row (the first `width` hashes) and the inner nodes hashed so far. */
class TileNodes {
  readonly #buf = new Uint8Array(CACHED_TILE_BYTES)
  /** Nodes hashed at each height; height 0 is the bottom row itself. */
  readonly #counts = new Array<number>(TILE_HEIGHT).fill(0)
  /** Heights up to this one are hashed for the current width. */
  #ready = 0
  width = 0
  /** Lookup count when last moved to the recent end of the LRU. */
  stamp = 0

  /** Extends the bottom row to `width` hashes from `tile`, whose prefix is the cached one. */
  extend(tile: Uint8Array, width: number): void {
    if (width <= this.width) return
    this.#buf.set(tile.subarray(this.width * HASH_SIZE, width * HASH_SIZE), this.width * HASH_SIZE)
    this.width = width
    this.#ready = 0
  }

  /**
   * Node at height `h` (< 8), position `i` in this tile; undefined when not complete in `width`.
   * A view into the cache when `view`, else a copy.
   */
  node(h: number, i: number, view: boolean): Uint8Array | undefined {
    if ((i + 1) << h > this.width) return undefined
    if (h > this.#ready) {
      for (let k = 1; k <= h; k++) this.#hashHeight(k)
      this.#ready = h
    }
    const at = ((OFFSET[h] as number) + i) * HASH_SIZE
    return view ? this.#buf.subarray(at, at + HASH_SIZE) : this.#buf.slice(at, at + HASH_SIZE)
  }

  // Height k from height k − 1, which the caller has brought up to date first.
  #hashHeight(k: number): void {
    const want = this.width >> k
    const have = this.#counts[k] as number
    if (have >= want) return
    const below = (OFFSET[k - 1] as number) * HASH_SIZE
    const here = (OFFSET[k] as number) * HASH_SIZE
    for (let c = have; c < want; c++) {
      const left = below + 2 * c * HASH_SIZE
      this.#buf.set(hashChildren(this.#buf.subarray(left, left + HASH_SIZE), this.#buf.subarray(left + HASH_SIZE, left + 2 * HASH_SIZE)), here + c * HASH_SIZE)
    }
    this.#counts[k] = want
  }
}

/** Where node `id` sits: its tile, and its height and position inside that tile. */
function place(id: NodeId): { tile: TileId; key: number; h: number; i: number } {
  const level = Math.floor(id.level / TILE_HEIGHT)
  const h = id.level - level * TILE_HEIGHT
  const perTile = TILE_WIDTH >> h
  const index = Math.floor(id.index / perTile)
  // A number key hashes faster than a string; tile levels are < 8 (tree levels < 64).
  return { tile: { level, index }, key: index * 8 + level, h, i: id.index - index * perTile }
}

/**
 * Complete tree nodes for proofs, through an LRU of at most `bytes` of tiles
 * ({@link CACHED_TILE_BYTES} each). Safe under concurrent appends: callers pass the committed
 * size, and only nodes complete at that size are cached.
 *
 * @example const hashes = await cache.nodes(store, plan.ids, ledger.size)
 */
export class TileCache {
  readonly #lru = new Map<number, TileNodes>()
  readonly #capacity: number
  #tick = 0
  /** Folded ephemeral nodes by leaf range `begin-end`: fixed once their leaves exist. */
  readonly #folds = new Map<string, Uint8Array>()

  constructor(bytes = DEFAULT_TILE_CACHE_BYTES) {
    this.#capacity = Math.max(1, Math.floor(bytes / CACHED_TILE_BYTES))
  }

  /** Tiles held now. */
  get size(): number {
    return this.#lru.size
  }

  /**
   * The hashes of complete nodes `ids` (each complete in the tree of `committed` leaves), in
   * order. Uncached tiles are read in one batch. Throws `STORE_CORRUPT` when the store lacks a
   * tile or a tile is too short for the committed size. With `views`, the hashes are views into
   * the cache, for callers that only read them before their next await (hex for a proof): a
   * cached position is never rewritten, but a caller could write into it.
   */
  async nodes(store: ReadableStore, ids: readonly NodeId[], committed: number, views = false): Promise<Uint8Array[]> {
    const out: Uint8Array[] = new Array<Uint8Array>(ids.length)
    const missing: number[] = []
    ids.forEach((id, k) => {
      const p = place(id)
      const hash = this.#get(p.key)?.node(p.h, p.i, views)
      if (hash) out[k] = hash
      else missing.push(k)
    })
    if (missing.length === 0) return out
    const wanted = new Map<number, TileId>()
    for (const k of missing) {
      const p = place(ids[k] as NodeId)
      wanted.set(p.key, p.tile)
    }
    const tiles = await readTileBatch(store, [...wanted.values()])
    // Kept here too: with a tiny capacity a tile of this call may be evicted by the next one.
    const read = new Map<number, TileNodes>()
    let t = 0
    for (const [key, id] of wanted) {
      const tile = tiles[t++]
      const width = tileWidthAt(committed, id.level, id.index)
      if (!(tile instanceof Uint8Array) || tile.length < width * HASH_SIZE || width === 0) continue
      const cached = this.#get(key) ?? new TileNodes()
      cached.extend(tile, width)
      this.#put(key, cached)
      read.set(key, cached)
    }
    for (const k of missing) {
      const id = ids[k] as NodeId
      const p = place(id)
      const hash = read.get(p.key)?.node(p.h, p.i, views)
      if (!hash) throw new LedgerError('STORE_CORRUPT', `tile ${p.tile.level}/${p.tile.index} lacks node ${id.level}/${id.index}`, { tile: `${p.tile.level}/${p.tile.index}`, node: id })
      out[k] = hash
    }
    return out
  }

  /**
   * `plan.build(hashes)`, with the fold of each ephemeral node (a partial subtree on the right
   * border, ~log n hashes a proof) remembered: it depends only on its leaf range, so it is the
   * same for every proof at that size. At most {@link MAX_FOLDS} are kept.
   */
  build(plan: ProofPlan, hashes: readonly Uint8Array[]): Uint8Array[] {
    if (hashes.length !== plan.ids.length) throw new RangeError(`plan needs ${plan.ids.length} hashes, got ${hashes.length}`)
    const out: Uint8Array[] = []
    let at = 0
    for (const count of plan.groups) {
      if (count === 1) {
        out.push(hashes[at] as Uint8Array)
      } else {
        const first = plan.ids[at] as NodeId
        const last = plan.ids[at + count - 1] as NodeId
        const key = `${first.index * 2 ** first.level}-${(last.index + 1) * 2 ** last.level}`
        let h = this.#folds.get(key)
        if (!h) {
          h = hashes[at + count - 1] as Uint8Array
          for (let i = at + count - 2; i >= at; i--) h = hashChildren(hashes[i] as Uint8Array, h)
          if (this.#folds.size >= MAX_FOLDS) this.#folds.clear()
          this.#folds.set(key, h)
        }
        out.push(h.slice()) // callers may keep and write into what they get
      }
      at += count
    }
    return out
  }

  #get(key: number): TileNodes | undefined {
    const t = this.#lru.get(key)
    // Most recent last: Map keeps insertion order, so the first key is the least recent. A tile
    // moves back at most every capacity/2 lookups: a tile used that often is never evicted
    // (fewer insertions than its distance from the front), and hot tiles skip two map writes.
    if (t && ++this.#tick - t.stamp > this.#capacity >> 1) {
      t.stamp = this.#tick
      this.#lru.delete(key)
      this.#lru.set(key, t)
    }
    return t
  }

  #put(key: number, tile: TileNodes): void {
    tile.stamp = this.#tick
    this.#lru.delete(key)
    this.#lru.set(key, tile)
    while (this.#lru.size > this.#capacity) this.#lru.delete(this.#lru.keys().next().value as number)
  }
}

/** Lowercase hex of 32-byte hashes, with one hex encoding for all of them. */
export function hexHashes(hashes: readonly Uint8Array[]): string[] {
  const all = Buffer.allocUnsafe(hashes.length * HASH_SIZE)
  hashes.forEach((h, i) => all.set(h, i * HASH_SIZE))
  const hex = all.toString('hex')
  return hashes.map((_, i) => hex.slice(i * 2 * HASH_SIZE, (i + 1) * 2 * HASH_SIZE))
}
