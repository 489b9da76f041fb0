/**
 * The growing tree of a ledger: the compact range for the root, and the rightmost (partial) tile
 * of each tile level, so a commit writes the tiles it touched without reading them back.
 */
import { CompactRange, HASH_SIZE, TILE_HEIGHT, TILE_WIDTH, tileCountAt, tileWidthAt, type ReadableStore, type StoredTile, type TreeHead } from '@liuhen/core'

interface OpenTile {
  index: number
  hashes: Uint8Array // capacity TILE_WIDTH hashes
  width: number
}

/** Mutable tree state; `append` stages changes, `commit` or `rollback` settles them. */
export class TreeState {
  #range: CompactRange
  #tiles: Map<number, OpenTile>
  #staged: { range: CompactRange; tiles: Map<number, OpenTile>; touched: Set<number>; full: StoredTile[] } | undefined

  private constructor(range: CompactRange, tiles: Map<number, OpenTile>) {
    this.#range = range
    this.#tiles = tiles
  }

  /** The state after `head`, reading only the partial tiles (O(log n) reads). */
  static async load(store: ReadableStore, head: TreeHead | undefined): Promise<TreeState> {
    if (!head || head.size === 0) return new TreeState(CompactRange.empty(), new Map())
    const tiles = new Map<number, OpenTile>()
    for (let level = 0; tileWidthAt(head.size, level, 0) > 0; level++) {
      // The rightmost tile of the level; only a partial one is open.
      const index = tileCountAt(head.size, level) - 1
      const width = tileWidthAt(head.size, level, index)
      if (width === TILE_WIDTH) continue
      const stored = (await store.readTile(level, index)) ?? new Uint8Array(0)
      const hashes = new Uint8Array(TILE_WIDTH * HASH_SIZE)
      hashes.set(stored.subarray(0, width * HASH_SIZE))
      tiles.set(level, { index, hashes, width })
    }
    return new TreeState(CompactRange.fromFrontier(head.size, head.frontier), tiles)
  }

  get size(): number {
    return (this.#staged?.range ?? this.#range).size
  }

  root(): Uint8Array {
    return (this.#staged?.range ?? this.#range).root()
  }

  frontier(): Uint8Array[] {
    return (this.#staged?.range ?? this.#range).hashes
  }

  /** Stages one leaf. */
  append(leafHash: Uint8Array): void {
    if (!this.#staged) {
      const tiles = new Map<number, OpenTile>()
      for (const [level, t] of this.#tiles) tiles.set(level, { index: t.index, hashes: t.hashes.slice(), width: t.width })
      this.#staged = { range: this.#range.clone(), tiles, touched: new Set(), full: [] }
    }
    const staged = this.#staged
    staged.range.append(leafHash, (level, index, hash) => {
      if (level % TILE_HEIGHT !== 0) return
      const tileLevel = level / TILE_HEIGHT
      let tile = staged.tiles.get(tileLevel)
      const tileIndex = Math.floor(index / TILE_WIDTH)
      if (!tile || tile.index !== tileIndex) {
        tile = { index: tileIndex, hashes: new Uint8Array(TILE_WIDTH * HASH_SIZE), width: 0 }
        staged.tiles.set(tileLevel, tile)
      }
      tile.hashes.set(hash, tile.width * HASH_SIZE)
      tile.width++
      staged.touched.add(tileLevel)
      if (tile.width === TILE_WIDTH) {
        staged.full.push({ level: tileLevel, index: tile.index, hashes: tile.hashes.slice() })
        staged.tiles.delete(tileLevel)
        staged.touched.delete(tileLevel)
      }
    })
  }

  /** The tiles the staged leaves filled or changed, to write in the commit. */
  stagedTiles(): StoredTile[] {
    if (!this.#staged) return []
    const out = [...this.#staged.full]
    for (const level of this.#staged.touched) {
      const t = this.#staged.tiles.get(level) as OpenTile
      out.push({ level, index: t.index, hashes: t.hashes.slice(0, t.width * HASH_SIZE) })
    }
    return out
  }

  /** Makes the staged leaves part of the tree (after the commit is durable). */
  commit(): void {
    if (!this.#staged) return
    this.#range = this.#staged.range
    this.#tiles = this.#staged.tiles
    this.#staged = undefined
  }

  /** Forgets the staged leaves (the commit failed). */
  rollback(): void {
    this.#staged = undefined
  }
}
