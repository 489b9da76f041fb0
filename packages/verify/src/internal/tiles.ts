/**
 * Tile access for a streaming audit, in bounded memory: the current tile of each tile level
 * (O(log n) tiles of 8 KiB) and a small LRU of level-0 tiles for reading back the leaf hashes
 * that references point to.
 */
import { HASH_SIZE, TILE_HEIGHT, TILE_WIDTH, type ReadableStore } from '@liuhen/core'
import type { FailureCollector } from './collector.js'

/** A tile as an untrusted store answered it: the bytes, or undefined when unusable. */
function checkTile(tile: unknown): Uint8Array | undefined {
  if (!(tile instanceof Uint8Array) || tile.length === 0 || tile.length % HASH_SIZE !== 0 || tile.length > TILE_WIDTH * HASH_SIZE) return undefined
  return tile
}

async function readTileChecked(source: ReadableStore, level: number, index: number): Promise<Uint8Array | undefined> {
  return checkTile(await source.readTile(level, index))
}

function hashAt(tile: Uint8Array | undefined, offset: number): Uint8Array | undefined {
  if (!tile || (offset + 1) * HASH_SIZE > tile.length) return undefined
  return tile.subarray(offset * HASH_SIZE, (offset + 1) * HASH_SIZE)
}

/** First leaf index under tile (`level`, `index`). */
export function tileFirstLeaf(level: number, index: number): number {
  return index * TILE_WIDTH * 2 ** (TILE_HEIGHT * level)
}

interface CurrentTile {
  index: number
  tile: Uint8Array | undefined
  reported: boolean
}

/**
 * The tiles the audit walks through, left to right at every level; reports missing or short tiles
 * once. Answers synchronously when the tile is at hand (the current one, or read ahead), which is
 * nearly always; a promise only when it must be read.
 */
export class TileWalker {
  /** The current tile of each tile level. */
  readonly #current: (CurrentTile | undefined)[] = []
  /** Tiles read ahead with the chunk being checked (prefetch.ts), by `level/index`. */
  #ready = new Map<string, unknown>()

  constructor(
    readonly source: ReadableStore,
    readonly failures: FailureCollector,
  ) {}

  /** Hands over the tiles read ahead for the next chunk; those of the last chunk are dropped. */
  offer(tiles: Map<string, unknown>): void {
    this.#ready = tiles
  }

  /** The stored hash of node `nodeIndex` at tree level 8·`level`, or undefined (reported). */
  hash(level: number, nodeIndex: number): Uint8Array | undefined | Promise<Uint8Array | undefined> {
    const index = Math.floor(nodeIndex / TILE_WIDTH)
    const cur = this.#current[level]
    if (cur && cur.index === index) return this.#hashIn(cur, level, nodeIndex)
    const key = `${level}/${index}`
    if (this.#ready.has(key)) {
      const tile = checkTile(this.#ready.get(key))
      this.#ready.delete(key)
      return this.#hashIn(this.#use(level, index, tile), level, nodeIndex)
    }
    return readTileChecked(this.source, level, index).then((tile) => this.#hashIn(this.#use(level, index, tile), level, nodeIndex))
  }

  #use(level: number, index: number, tile: Uint8Array | undefined): CurrentTile {
    const cur = { index, tile, reported: false }
    this.#current[level] = cur
    return cur
  }

  #hashIn(cur: CurrentTile, level: number, nodeIndex: number): Uint8Array | undefined {
    const hash = hashAt(cur.tile, nodeIndex % TILE_WIDTH)
    if (!hash && !cur.reported) {
      cur.reported = true
      const what = cur.tile ? 'is short' : 'is missing or malformed'
      this.failures.fail('AUDIT_NODE_MISMATCH', `tile ${level}/${cur.index} ${what}: no hash for node ${TILE_HEIGHT * level}/${nodeIndex}`, {
        index: nodeIndex * 2 ** (TILE_HEIGHT * level),
      })
    }
    return hash
  }
}

/** Leaf hashes read back from stored level-0 tiles, through an LRU of `capacity` tiles. */
export class LeafReader {
  readonly #lru = new Map<number, Uint8Array | undefined>()

  constructor(
    readonly source: ReadableStore,
    readonly capacity: number,
  ) {}

  /** The stored leaf hash of entry `index`: at once from the cache, else a promise. */
  leaf(index: number): Uint8Array | undefined | Promise<Uint8Array | undefined> {
    const tileIndex = Math.floor(index / TILE_WIDTH)
    if (!this.#lru.has(tileIndex)) return readTileChecked(this.source, 0, tileIndex).then((tile) => this.#keep(tileIndex, tile, index))
    const tile = this.#lru.get(tileIndex)
    this.#lru.delete(tileIndex) // re-inserted as the most recent
    return this.#keep(tileIndex, tile, index)
  }

  #keep(tileIndex: number, tile: Uint8Array | undefined, index: number): Uint8Array | undefined {
    this.#lru.set(tileIndex, tile)
    if (this.#lru.size > this.capacity) this.#lru.delete(this.#lru.keys().next().value as number)
    return hashAt(tile, index % TILE_WIDTH)
  }

  /** Forgets a tile, e.g. the partial rightmost one, which the log may still be filling. */
  forget(tileIndex: number): void {
    this.#lru.delete(tileIndex)
  }
}
