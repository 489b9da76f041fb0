/**
 * A ledger's store in format 2: a tlog-tiles log (log-store.ts) and an index (index-store.ts),
 * seen through the one {@link Store} interface the engine, the verifier and the queries read. The
 * log answers for entries, tiles and the checkpoint; the index for ids and postings.
 *
 * Reads are served against a snapshot: the checkpoint read by {@link TiledStore.readHead} (or
 * written by the last commit). A reader in another process than the writer reads the head, then
 * only what that checkpoint names, so it sees one consistent prefix while the log grows.
 *
 * A commit publishes the log's checkpoint first, then writes the index batch (FORMAT.md, "The
 * order of log and index"). When the index batch fails the log holds the commit: the error says
 * so (`details.committed`), and the next commit indexes those entries first (index-catch-up.ts).
 */
import { parseCheckpoint } from './checkpoint.js'
import { scanEntry } from './entry.js'
import { LedgerError } from './error.js'
import { catchUpIndex, type Indexer } from './index-catch-up.js'
import type { IdRecord, IndexStore, ReadableIndexStore } from './index-store.js'
import { parseEntryBundle, tileCountAt, tileWidthAt } from './layout.js'
import type { LogStore, ReadableLogStore } from './log-store.js'
import { parseNote } from './note.js'
import { TILE_WIDTH, type Commit, type LedgerMeta, type Posting, type PostingScan, type Store, type StoredCheckpoint, type StoredEntry, type StoredTile, type TileId, type TreeHead } from './store.js'
import { readNodesFromTileBatch, type TileNodeId } from './tiles.js'

/** The two stores of a format-2 ledger that one writer holds. */
export interface LedgerStores {
  log: LogStore
  index: IndexStore
}

/** What a reader of a format-2 ledger holds: the log, and the index when it may open it. */
export interface ReadableLedgerStores {
  log: ReadableLogStore
  index?: ReadableIndexStore | undefined
}

/**
 * Bytes of parsed entry bundles kept for entry reads: a random entry read costs a whole bundle
 * file (~100 KiB, ~120 µs from the page cache), so the bundles of recent reads are kept, least
 * recently used out first. A bundle larger than the budget is not kept.
 */
const BUNDLE_CACHE_BYTES = 16 << 20

/**
 * The {@link Store} over a log and an index. Open it as a writer only over {@link LedgerStores}
 * (`open` takes both locks); over a reader's stores only the read side may be used. Without an
 * index, id lookups and posting scans fail with `STORE_NOT_OPEN` (see {@link hasIndex}).
 */
export class TiledStore implements Store {
  readonly #log: ReadableLogStore
  readonly #index: ReadableIndexStore | undefined
  readonly #indexer: Indexer | undefined
  #snapshot: StoredCheckpoint | undefined
  readonly #bundles = new Map<string, { entries: Uint8Array[]; bytes: number }>()
  #bundleBytes = 0
  /** Set when an index batch failed after its log commit: the next commit indexes first. */
  #indexBehind = false

  /** `indexer` gives the postings that catch-up writes for entries whose index batch was lost. */
  constructor(stores: LedgerStores | ReadableLedgerStores, indexer?: Indexer) {
    this.#log = stores.log
    this.#index = stores.index
    this.#indexer = indexer
  }

  /** Whether id lookups and posting scans can be answered (an index was given). */
  get hasIndex(): boolean {
    return this.#index !== undefined
  }

  get #writer(): LedgerStores {
    const log = this.#log as Partial<LogStore>
    if (typeof log.writeCommit !== 'function' || !this.#index || typeof (this.#index as Partial<IndexStore>).writeBatch !== 'function') {
      throw new LedgerError('STORE_READ_ONLY', 'this ledger was opened for reading only')
    }
    return { log: this.#log as LogStore, index: this.#index as IndexStore }
  }

  get #ids(): ReadableIndexStore {
    if (!this.#index) throw new LedgerError('STORE_NOT_OPEN', 'the index is not open: this reader reads the log alone')
    return this.#index
  }

  /** Takes the log's writer lock and opens the index. */
  async open(): Promise<void> {
    const { log, index } = this.#writer
    await log.open()
    try {
      await index.open()
    } catch (err) {
      await log.close()
      throw err
    }
  }

  async close(): Promise<void> {
    try {
      await this.#log.close()
    } finally {
      await (this.#index as Partial<IndexStore> | undefined)?.close?.()
    }
  }

  /** Starts a new log with its signed checkpoint of size 0 (`LogStore.create`). */
  async create(meta: LedgerMeta, checkpoint: StoredCheckpoint): Promise<void> {
    await this.#writer.log.create(meta, checkpoint)
    this.#snapshot = checkpoint
  }

  /** Not for format 2: a log starts with a signed checkpoint ({@link create}). */
  async writeMeta(): Promise<void> {
    throw new TypeError('a format-2 ledger is created with TiledStore.create(meta, checkpoint)')
  }

  readMeta(): Promise<LedgerMeta | undefined> {
    return this.#log.readMeta()
  }

  /**
   * The checkpoint reads are served against, read afresh from the log. A log is created with its
   * checkpoint (of size 0): one with a meta record and no checkpoint lost it (`STORE_CORRUPT`),
   * and read as empty it would be appended to from entry 0, over the entries it holds.
   */
  async #refresh(): Promise<StoredCheckpoint | undefined> {
    this.#snapshot = await this.#log.readCheckpoint()
    if (!this.#snapshot && (await this.#log.readMeta())) throw new LedgerError('STORE_CORRUPT', "the log's checkpoint is missing: the log is damaged", { file: 'checkpoint' })
    return this.#snapshot
  }

  get #size(): number {
    return this.#snapshot?.size ?? 0
  }

  /**
   * The head of the checkpoint published now (read afresh: later reads are served against it):
   * its size and root, the time of its last entry, its frontier from the tiles. Undefined for an
   * empty log. The root is the checkpoint's as stated; its signature is the verifier's to check.
   */
  async readHead(): Promise<TreeHead | undefined> {
    const checkpoint = await this.#refresh()
    if (!checkpoint || checkpoint.size === 0) return undefined
    const { size, root } = parseCheckpoint(parseNote(checkpoint.text).text)
    const last = await this.readEntry(size - 1)
    if (!last) throw new LedgerError('STORE_CORRUPT', `entry ${size - 1}, the last the checkpoint names, is missing`, { index: size - 1 })
    const ids = frontierIds(size)
    const frontier = await readNodesFromTileBatch((tiles) => this.readTileMany(tiles), ids)
    return { size, root, time: scanEntry(last).time, frontier }
  }

  async readEntry(index: number): Promise<Uint8Array | undefined> {
    if (!this.#snapshot) await this.#refresh()
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.#size) return undefined
    const bundle = await this.#bundle(Math.floor(index / TILE_WIDTH))
    return bundle?.[index % TILE_WIDTH]
  }

  /**
   * The entries of bundle `index` at the snapshot's width, parsed; undefined when the file is
   * missing. `STORE_CORRUPT` for a bundle that does not parse to that many entries.
   */
  async #bundle(index: number): Promise<Uint8Array[] | undefined> {
    const width = tileWidthAt(this.#size, 0, index)
    if (width === 0) return undefined
    const key = `${index}/${width}`
    const cached = this.#bundles.get(key)
    if (cached) {
      // Most recently used last: the Map's order is the eviction order.
      this.#bundles.delete(key)
      this.#bundles.set(key, cached)
      return cached.entries
    }
    const bytes = await this.#log.readEntryBundle(index, width)
    if (!bytes) return undefined
    let entries: Uint8Array[]
    try {
      entries = parseEntryBundle(bytes, width)
    } catch (cause) {
      throw new LedgerError('STORE_CORRUPT', `entry bundle ${index} (entries from ${index * TILE_WIDTH}) is damaged`, { index: index * TILE_WIDTH }, { cause })
    }
    this.#keep(key, entries, bytes.length)
    return entries
  }

  #keep(key: string, entries: Uint8Array[], bytes: number): void {
    if (bytes > BUNDLE_CACHE_BYTES) return
    for (const [old, held] of this.#bundles) {
      if (this.#bundleBytes + bytes <= BUNDLE_CACHE_BYTES) break
      this.#bundles.delete(old)
      this.#bundleBytes -= held.bytes
    }
    this.#bundles.set(key, { entries, bytes })
    this.#bundleBytes += bytes
  }

  async *readEntries(from: number, to: number): AsyncIterable<StoredEntry> {
    if (!this.#snapshot) await this.#refresh()
    const end = Math.min(to, this.#size)
    for (let at = Math.max(0, from); at < end; at = (Math.floor(at / TILE_WIDTH) + 1) * TILE_WIDTH) {
      for (const e of await this.readEntriesChunk(at, Math.min(end, (Math.floor(at / TILE_WIDTH) + 1) * TILE_WIDTH))) yield e
    }
  }

  /** Entries [from, to) the snapshot names; a missing bundle's entries are left out (an audit names them). */
  async readEntriesChunk(from: number, to: number): Promise<StoredEntry[]> {
    if (!this.#snapshot) await this.#refresh()
    const end = Math.min(to, this.#size)
    const out: StoredEntry[] = []
    for (let at = Math.max(0, from); at < end;) {
      const index = Math.floor(at / TILE_WIDTH)
      const stop = Math.min(end, (index + 1) * TILE_WIDTH)
      const bundle = await this.#bundle(index)
      if (bundle) for (let i = at; i < stop; i++) out.push({ index: i, bytes: bundle[i % TILE_WIDTH] as Uint8Array })
      at = stop
    }
    return out
  }

  /** Tile (`level`, `index`) at the width the snapshot gives it. */
  async readTile(level: number, index: number): Promise<Uint8Array | undefined> {
    if (!this.#snapshot) await this.#refresh()
    const width = tileWidthAt(this.#size, level, index)
    return width === 0 ? undefined : this.#log.readTile(level, index, width)
  }

  readTileMany(ids: readonly TileId[]): Promise<(Uint8Array | undefined)[]> {
    return Promise.all(ids.map((t) => this.readTile(t.level, t.index)))
  }

  /** Every tile the snapshot names, in (level, index) order; missing ones left out. */
  async *readTiles(): AsyncIterable<StoredTile> {
    if (!this.#snapshot) await this.#refresh()
    const size = this.#size
    for (let level = 0; tileCountAt(size, level) > 0; level++) {
      for (let index = 0; index < tileCountAt(size, level); index++) {
        const hashes = await this.readTile(level, index)
        if (hashes) yield { level, index, hashes }
      }
    }
  }

  async readIdIndex(id: string): Promise<number | undefined> {
    return (await this.#ids.readIdRecord(id))?.index
  }

  async readIdRecord(id: string): Promise<IdRecord | undefined> {
    return this.#ids.readIdRecord(id)
  }

  async readIdRecords(ids: readonly string[]): Promise<(IdRecord | undefined)[]> {
    return this.#ids.readIdRecords(ids)
  }

  async *readIdIndexAll(): AsyncIterable<{ id: string; index: number }> {
    for await (const { id, index } of this.#ids.readIdRecordsAll()) yield { id, index }
  }

  async *readPostings(name: string, key: string | undefined, scan?: PostingScan): AsyncIterable<Posting> {
    yield* this.#ids.readPostings(name, key, scan)
  }

  /** The snapshot's checkpoint when it has that size: a tlog-tiles log keeps only its latest. */
  async readCheckpoint(size: number): Promise<StoredCheckpoint | undefined> {
    const latest = await this.readLatestCheckpoint()
    return latest?.size === size ? latest : undefined
  }

  async readLatestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return this.#snapshot ?? (await this.#refresh())
  }

  /** The latest checkpoint, the only one a tlog-tiles log keeps (none for an empty log). */
  async *readCheckpoints(): AsyncIterable<StoredCheckpoint> {
    const latest = await this.readLatestCheckpoint()
    if (latest && latest.size > 0) yield latest
  }

  /**
   * The index's mark: the log size it holds every record of. Below the log's size after a crash
   * between the log's commit and the index batch; {@link catchUp} closes the gap.
   */
  async readIndexedSize(): Promise<number> {
    return this.#ids.readIndexedSize()
  }

  /** Whether an index batch failed after its log commit: {@link catchUp} must run before the next commit reads the index. */
  get indexBehind(): boolean {
    return this.#indexBehind
  }

  /**
   * Indexes the entries the log holds past the index's mark (ids and, with the indexer, postings),
   * so the index agrees with the log. Needs the index open for writing, not the log's lock: the
   * process that holds the index is its only writer. `STORE_BEHIND_CHECKPOINT` when the index is ahead of the
   * log: the log lost entries it had published.
   */
  async catchUp(): Promise<number> {
    const index = this.#index as Partial<IndexStore> | undefined
    if (typeof index?.writeBatch !== 'function') throw new LedgerError('STORE_READ_ONLY', 'the index is not open for writing')
    if (!this.#snapshot) await this.#refresh()
    const added = await catchUpIndex(this, index as IndexStore, this.#size, this.#indexer)
    this.#indexBehind = false
    return added
  }

  /**
   * Publishes the commit's entries, tiles and checkpoint in the log, then writes its index batch.
   * When the index batch fails the log keeps the commit: the error, `details.committed` set,
   * says so, and the next commit indexes those entries first.
   */
  async writeCommit(commit: Commit): Promise<void> {
    const { log, index } = this.#writer
    if (!commit.checkpoint) throw new TypeError('a format-2 commit carries its signed checkpoint')
    if (this.#indexBehind) await this.catchUp()
    await log.writeCommit({ entries: commit.entries, tiles: commit.tiles, checkpoint: commit.checkpoint })
    this.#snapshot = commit.checkpoint
    const time = commit.head.time
    try {
      await index.writeBatch({
        size: commit.checkpoint.size,
        ids: commit.ids.map((r) => ({ id: r.id, index: r.index, hash: r.hash as Uint8Array, time })),
        postings: commit.postings ?? [],
      })
    } catch (cause) {
      this.#indexBehind = true
      const err = cause instanceof LedgerError ? cause : new LedgerError('STORE_WRITE_FAILED', String(cause), {}, { cause })
      throw new LedgerError(
        err.code,
        `the log holds the commit to size ${commit.checkpoint.size}, its index does not (${err.message}): it is indexed before the next commit`,
        { ...err.details, committed: true },
        { cause },
      )
    }
  }

  /** Replaces the published checkpoint with a cosigned version of it (same size). */
  async writeCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    await this.#writer.log.writeCheckpoint(checkpoint)
    this.#snapshot = checkpoint
  }
}

/** The nodes of the compact range [0, size): the perfect subtrees, largest first. */
function frontierIds(size: number): TileNodeId[] {
  const ids: TileNodeId[] = []
  let start = 0
  for (let level = 53; level >= 0; level--) {
    const span = 2 ** level
    if (size - start >= span) {
      ids.push({ level, index: start / span })
      start += span
    }
  }
  return ids
}
