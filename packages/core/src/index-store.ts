/**
 * The index store: what queries and idempotent appends need to find entries by name, kept apart
 * from the log (log-store.ts). It holds the id records (an event id with its entry's index, leaf
 * hash and ledger time: the receipt of an append, returned again when the same event comes
 * back), the postings of the query indexes, and its own mark: the log size it is indexed up to.
 *
 * The mark lets an index lag the log safely: a writer that finds it below the published
 * checkpoint indexes the missing entries again (every put is idempotent) before it appends.
 * One batch per commit, applied atomically. The test suite every backend passes is
 * test/conformance/index-store.suite.ts.
 */
import type { Posting, PostingScan } from './store.js'

/** What the index keeps for one event id. */
export interface IdRecord {
  /** The entry's index in the log. */
  index: number
  /** The entry's leaf hash (32 bytes). */
  hash: Uint8Array
  /** The entry's ledger time (ms since the epoch). */
  time: number
}

/** One commit's worth of index records, applied atomically. */
export interface IndexBatch {
  /** The log size these records bring the index up to: its new mark (never lower than the old). */
  size: number
  ids: readonly ({ id: string } & IdRecord)[]
  postings: readonly Posting[]
}

/** The read side of an index: lookups by id and posting scans. */
export interface ReadableIndexStore {
  /** The log size the index holds every record of (0 for a new index). */
  readIndexedSize(): Promise<number>
  readIdRecord(id: string): Promise<IdRecord | undefined>
  /** {@link readIdRecord} for many ids in one round trip, in the order given. */
  readIdRecords(ids: readonly string[]): Promise<(IdRecord | undefined)[]>
  /** Every id record, sorted by the id's UTF-8 bytes. */
  readIdRecordsAll(): AsyncIterable<{ id: string } & IdRecord>
  /**
   * Entry indexes listed under `name`: with `key`, exactly that key; without, keys in
   * [`scan.gte`, `scan.lt`). In (key, entry) order, keys compared as UTF-8 bytes (as LevelDB
   * sorts them), reversed with `scan.reverse`, at most `scan.limit`.
   */
  readPostings(name: string, key: string | undefined, scan?: PostingScan): AsyncIterable<Posting>
}

/** An index that one writer updates. */
export interface IndexStore extends ReadableIndexStore {
  /** Opens the index (creating it when new); `STORE_LOCKED` for a second writer. */
  open(): Promise<void>
  close(): Promise<void>
  /**
   * Applies `batch` atomically and durably: its records and the mark `batch.size`, all or
   * nothing. `RangeError` when `batch.size` is below the current mark.
   */
  writeBatch(batch: IndexBatch): Promise<void>
}
