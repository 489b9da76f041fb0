/**
 * The proof of `migrate` (migrate.ts): a converted log read back from its files, as a reader
 * would read it, and compared with the format-1 store it came from. One streaming pass: every
 * entry bundle the log's checkpoint names is parsed and each entry compared byte for byte with
 * the store's; the tree is recomputed from those entries and every tile the checkpoint names is
 * compared with it; the root must be the store's head's and the checkpoint's.
 */
import {
  bytesEqual,
  CompactRange,
  HASH_SIZE,
  hashLeaf,
  LedgerError,
  openCheckpoint,
  parseEntryBundle,
  readEntryChunk,
  TILE_HEIGHT,
  TILE_WIDTH,
  tileWidthAt,
  toHex,
  type NoteVerifier,
  type ReadableLogStore,
  type ReadableStore,
} from '@liuhen/core'

/** What a converted log must be: the format-1 store's size, root and latest checkpoint. */
export interface ExpectedLog {
  size: number
  root: Uint8Array
  checkpoint: string
  origin: string
  vkey: string
}

/** The converted log's size and root, recomputed from its files. */
export interface CheckedLog {
  size: number
  root: Uint8Array
}

/** `STORE_CORRUPT` for a converted log that is not the store it came from. */
function mismatch(message: string, details: Record<string, unknown> = {}, cause?: unknown): LedgerError {
  return new LedgerError('STORE_CORRUPT', `the converted log does not match the format-1 store: ${message}`, details, { cause })
}

/** The tile being filled at one tile level while the tree is recomputed. */
interface OpenTile {
  index: number
  hashes: Uint8Array
  width: number
}

/** Compares the tiles of the log with the recomputed nodes, one tile at a time. */
class TileCheck {
  readonly #log: ReadableLogStore
  readonly #open = new Map<number, OpenTile>()
  /** Tiles filled by the last appends, to compare before going on. */
  #full: { level: number; tile: OpenTile }[] = []

  constructor(log: ReadableLogStore) {
    this.#log = log
  }

  /** Takes the node of tree level `level`, index `index`, when it belongs to a tile. */
  readonly onNode = (level: number, index: number, hash: Uint8Array): void => {
    if (level % TILE_HEIGHT !== 0) return
    const tileLevel = level / TILE_HEIGHT
    const tileIndex = Math.floor(index / TILE_WIDTH)
    let tile = this.#open.get(tileLevel)
    if (!tile || tile.index !== tileIndex) {
      tile = { index: tileIndex, hashes: new Uint8Array(TILE_WIDTH * HASH_SIZE), width: 0 }
      this.#open.set(tileLevel, tile)
    }
    tile.hashes.set(hash, tile.width * HASH_SIZE)
    tile.width++
    if (tile.width === TILE_WIDTH) {
      this.#full.push({ level: tileLevel, tile })
      this.#open.delete(tileLevel)
    }
  }

  /** Compares the tiles filled since the last call. */
  async compareFull(): Promise<void> {
    const full = this.#full
    this.#full = []
    for (const { level, tile } of full) await this.#compare(level, tile.index, tile)
  }

  /** Compares the partial tiles left at the end. */
  async compareOpen(): Promise<void> {
    for (const [level, t] of this.#open) await this.#compare(level, t.index, t)
  }

  async #compare(level: number, index: number, tile: OpenTile): Promise<void> {
    const bytes = await this.#log.readTile(level, index, tile.width)
    const want = tile.hashes.subarray(0, tile.width * HASH_SIZE)
    if (!bytes || !bytesEqual(bytes, want)) {
      const first = level === 0 ? firstDifference(bytes, want) : undefined
      throw mismatch(`tile ${level}/${index} of width ${tile.width} is ${bytes ? 'not the one its entries give' : 'missing'}`, {
        level,
        tile: index,
        ...(first === undefined ? {} : { index: index * TILE_WIDTH + first }),
      })
    }
  }
}

/** The first hash (by position) where two tiles differ. */
function firstDifference(got: Uint8Array | undefined, want: Uint8Array): number {
  for (let i = 0; i * HASH_SIZE < want.length; i++) {
    const at = i * HASH_SIZE
    if (!got || got.length < at + HASH_SIZE || !bytesEqual(got.subarray(at, at + HASH_SIZE), want.subarray(at, at + HASH_SIZE))) return i
  }
  return want.length / HASH_SIZE
}

/**
 * Checks that `log` (a converted log, read from its files) is `store` (the format-1 store) as
 * `expected` describes it, and returns the log's size and the root recomputed from its entries.
 * Throws `STORE_CORRUPT` naming the first bad entry index (`details.index`) or tile otherwise.
 */
export async function checkConvertedLog(
  store: ReadableStore,
  log: ReadableLogStore,
  verifier: NoteVerifier,
  expected: ExpectedLog,
  onProgress?: (done: number, total: number) => void,
): Promise<CheckedLog> {
  const meta = await log.readMeta()
  if (!meta || meta.format !== 2 || meta.origin !== expected.origin || meta.vkey !== expected.vkey) throw mismatch('its meta record is not format 2 of this ledger')
  const published = await log.readCheckpoint()
  if (!published || published.text !== expected.checkpoint) throw mismatch(`its checkpoint is not the store's latest (size ${expected.size})`, { size: expected.size })
  let stated: { size: number; root: Uint8Array }
  try {
    stated = openCheckpoint(published.text, verifier).checkpoint
  } catch (cause) {
    throw mismatch("its checkpoint is not signed by the ledger's key", {}, cause)
  }
  const size = stated.size
  if (size !== expected.size) throw mismatch(`it holds ${size} entries, not ${expected.size}`, { size, expected: expected.size })
  const range = CompactRange.empty()
  const tiles = new TileCheck(log)
  for (let bundle = 0; bundle * TILE_WIDTH < size; bundle++) {
    const from = bundle * TILE_WIDTH
    const width = tileWidthAt(size, 0, bundle)
    const bytes = await log.readEntryBundle(bundle, width)
    if (!bytes) throw mismatch(`entry bundle ${bundle} of width ${width} is missing`, { index: from })
    let entries: Uint8Array[]
    try {
      entries = parseEntryBundle(bytes, width)
    } catch (cause) {
      throw mismatch(`entry bundle ${bundle} of width ${width} is damaged`, { index: from }, cause)
    }
    const old = await readEntryChunk(store, from, from + width)
    for (const [i, bytes] of entries.entries()) {
      const was = old[i]
      if (was?.index !== from + i || !bytesEqual(was.bytes, bytes)) throw mismatch(`entry ${from + i} differs`, { index: from + i })
      range.append(hashLeaf(bytes), tiles.onNode)
    }
    await tiles.compareFull()
    if (bundle % 4 === 3) onProgress?.(from + width, size)
  }
  await tiles.compareOpen()
  onProgress?.(size, size)
  const root = range.root()
  if (!bytesEqual(root, expected.root) || !bytesEqual(root, stated.root)) {
    throw mismatch(`its entries hash to root ${toHex(root)}, its checkpoint states ${toHex(stated.root)}, the store's head ${toHex(expected.root)}`, { size })
  }
  return { size, root }
}
