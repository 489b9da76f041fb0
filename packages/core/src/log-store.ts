/**
 * The log store: what a C2SP tlog-tiles log serves (https://c2sp.org/tlog-tiles), and nothing
 * else. A log is its meta record, its published checkpoint, its tiles and its entry bundles; the
 * indexes that queries need live apart, in an {@link IndexStore} (index-store.ts).
 *
 * The checkpoint is the commit point. A commit first makes the batch's new entry bundles and tiles
 * durable, then publishes the checkpoint that names them; a reader reads the checkpoint first and
 * then only what it names, so it always sees a complete, verifiable prefix and needs no lock.
 * Every tile and bundle is written once: a partial one that grows is a new, wider partial, and the
 * narrower ones stay until the full one is published (a reader holding an older checkpoint can
 * still fetch what it names; after that the full one answers for them).
 *
 * Signing stays above the store: the store is handed signed checkpoint text and keeps it as is.
 * The test suite every backend passes is test/conformance/log-store.suite.ts.
 */
import type { LedgerMeta, StoredCheckpoint, StoredEntry, StoredTile } from './store.js'

/**
 * The read side of a log: all that verifying, tailing and proving need, without the signer and
 * without a lock. Reads are served against the checkpoint this reader last read (or, on a
 * writer, last published): a tile or bundle wider than that checkpoint names is not served, as
 * what lies past it may be a commit still under way.
 */
export interface ReadableLogStore {
  /** Facts fixed at creation; undefined when there is no log. */
  readMeta(): Promise<LedgerMeta | undefined>
  /**
   * The published checkpoint (signed-note text and its tree size), read afresh; undefined when
   * there is no log. Later tile and bundle reads are served against it.
   */
  readCheckpoint(): Promise<StoredCheckpoint | undefined>
  /**
   * The first `width` hashes (1–256) of tile (`level`, `index`), concatenated; undefined when the
   * checkpoint last read does not reach that far, or the tile is missing.
   */
  readTile(level: number, index: number, width: number): Promise<Uint8Array | undefined>
  /**
   * The entry bundle of the first `width` entries (1–256) of level-0 tile `index`, as tlog-tiles
   * serves it (big-endian uint16 length before each entry: `parseEntryBundle`); undefined when
   * the checkpoint last read does not reach that far, or the bundle is missing.
   */
  readEntryBundle(index: number, width: number): Promise<Uint8Array | undefined>
  /** Releases what the reader holds (nothing for files); reads fail after it. */
  close(): Promise<void>
}

/**
 * One commit to a log: the entries `checkpoint.size - entries.length` … `checkpoint.size - 1`
 * (contiguous, from the log's size), the tiles they filled or changed, and the signed checkpoint
 * of the new size. Tiles hold exactly the width the new size gives them (`tileWidthAt`), and
 * every tile the new checkpoint names that the commit changed must be among them.
 */
export interface LogCommit {
  entries: readonly StoredEntry[]
  tiles: readonly StoredTile[]
  checkpoint: StoredCheckpoint
}

/**
 * A log that one writer appends to. `open` takes the log's writer lock (`STORE_LOCKED`, naming
 * the holder, for a second writer); readers never need it.
 */
export interface LogStore extends ReadableLogStore {
  /** Takes the writer lock and reads the log's state (creating nothing but its own folders). */
  open(): Promise<void>
  /** Releases the writer lock. */
  close(): Promise<void>
  /**
   * Starts a new log: its meta record, then its signed checkpoint of size 0. Fails with
   * `STORE_EXISTS` when a checkpoint is already published.
   */
  create(meta: LedgerMeta, checkpoint: StoredCheckpoint): Promise<void>
  /**
   * Writes `commit`'s entry bundles and tiles durably, then publishes its checkpoint; resolves
   * once the checkpoint is durable. On failure nothing new is visible: the published checkpoint
   * is the one before, and a retry (with these or other entries) may follow.
   */
  writeCommit(commit: LogCommit): Promise<void>
  /**
   * Replaces the published checkpoint with another note of the same size (a cosigned version);
   * `RangeError` for another size.
   */
  writeCheckpoint(checkpoint: StoredCheckpoint): Promise<void>
}
