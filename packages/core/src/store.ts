/**
 * The store interface: what the ledger writes and what auditors and queries read. A store keeps
 * raw bytes only; all meaning (hashing, proofs, signatures) lives in the packages above it, so a
 * second backend only has to pass the conformance suite (test/conformance/store.suite.ts).
 *
 * Tree nodes are kept in tiles, as in C2SP tlog-tiles: tile (level L, index N) holds the hashes
 * of the nodes at tree level 8·L with indices 256·N .. 256·N + width − 1, concatenated. Only the
 * rightmost tile of a level is partial; it is rewritten as it fills.
 */

/** Height of a tile in tree levels; a full tile holds 2^TILE_HEIGHT hashes. */
export const TILE_HEIGHT = 8
/** Hashes in a full tile. */
export const TILE_WIDTH = 1 << TILE_HEIGHT

/** What the ledger knows about its tree after a commit; read at open, so opening is O(1). */
export interface TreeHead {
  /** Number of entries. */
  size: number
  /** RFC 9162 root of the first `size` entries. */
  root: Uint8Array
  /** Ledger time of the last entry (ms since the epoch), 0 when empty. */
  time: number
  /** The compact range [0, size): roots of the perfect subtrees, largest (leftmost) first. */
  frontier: Uint8Array[]
}

/** A signed checkpoint as stored: the full signed-note text, cosignatures included. */
export interface StoredCheckpoint {
  size: number
  text: string
}

/** Facts fixed when a ledger is created. */
export interface LedgerMeta {
  /** On-disk format version. */
  format: number
  /** Checkpoint origin line (the log's name). */
  origin: string
  /** Verifier key (C2SP vkey) of the log's signer. */
  vkey: string
}

/** One entry of a commit. */
export interface StoredEntry {
  index: number
  bytes: Uint8Array
}

/** One posting of a secondary index: `entry` is listed under (`name`, `key`). */
export interface Posting {
  /** The index's name (`resource`, `dept`, `record`, ...); no NUL characters. */
  name: string
  /** The key within the index; sorted as UTF-8 bytes; no NUL characters. */
  key: string
  /** The entry's index in the log. */
  entry: number
}

/** A tile's place: tile level (tree level 8·`level`) and index within that level. */
export interface TileId {
  level: number
  index: number
}

/** One tile written by a commit. */
export interface StoredTile {
  level: number
  index: number
  /** Concatenated 32-byte hashes, 1 to 256 of them. */
  hashes: Uint8Array
}

/** Everything one append commit writes; a store applies it atomically and durably, or not at all. */
export interface Commit {
  entries: StoredEntry[]
  /** The id index: each new event id with its entry's index and leaf hash. */
  ids: { id: string; index: number; hash?: Uint8Array }[]
  tiles: StoredTile[]
  head: TreeHead
  checkpoint?: StoredCheckpoint
  postings?: Posting[]
}

/** Options of a posting scan. */
export interface PostingScan {
  /** Smallest key (inclusive) when `key` is a prefix scan; see {@link ReadableStore.readPostings}. */
  gte?: string
  lt?: string
  reverse?: boolean
  limit?: number
}

/** The read side, all a verifier or a query needs. */
export interface ReadableStore {
  readMeta(): Promise<LedgerMeta | undefined>
  readHead(): Promise<TreeHead | undefined>
  /** The entry at `index`, or undefined past the end. */
  readEntry(index: number): Promise<Uint8Array | undefined>
  /** Entries with `from <= index < to`, in order. */
  readEntries(from: number, to: number): AsyncIterable<StoredEntry>
  readTile(level: number, index: number): Promise<Uint8Array | undefined>
  /**
   * Tiles `ids` in one round trip, in the order given, undefined where none is stored. Optional,
   * so that existing backends keep working: readers go through core's `readTileBatch`, which
   * falls back to one {@link readTile} per tile. A proof needs a tile per tree level; one batch
   * instead of ~log₂₅₆ n awaited gets is most of the cost of a proof from LevelDB.
   */
  readTileMany?(ids: readonly TileId[]): Promise<(Uint8Array | undefined)[]>
  /**
   * Entries with `from <= index < to`, in order, as one array (at most `to - from` of them).
   * Optional; readers go through core's `readEntryChunk`, which falls back to
   * {@link readEntries}. One native read per chunk lets a reader fetch the next chunk while it
   * hashes the current one, with no per-entry await.
   */
  readEntriesChunk?(from: number, to: number): Promise<StoredEntry[]>
  /** Every stored tile, in (level, index) order. */
  readTiles(): AsyncIterable<StoredTile>
  readIdIndex(id: string): Promise<number | undefined>
  /** The index and leaf hash recorded for `id`, as reference resolution needs them. */
  readIdRecord(id: string): Promise<{ index: number; hash?: Uint8Array } | undefined>
  /** {@link readIdRecord} for many ids in one round trip, in the order given. */
  readIdRecords(ids: readonly string[]): Promise<({ index: number; hash?: Uint8Array } | undefined)[]>
  /** The whole id index, sorted by id. */
  readIdIndexAll(): AsyncIterable<{ id: string; index: number }>
  /** The checkpoint for tree size `size`, if one was signed at that size. */
  readCheckpoint(size: number): Promise<StoredCheckpoint | undefined>
  /** The latest checkpoint. */
  readLatestCheckpoint(): Promise<StoredCheckpoint | undefined>
  /** Every stored checkpoint by ascending size. */
  readCheckpoints(): AsyncIterable<StoredCheckpoint>
  /**
   * Entry indexes listed under `name` with keys in [`scan.gte`, `scan.lt`), in (key, entry) order;
   * with `key` alone, exactly that key.
   */
  readPostings(name: string, key: string | undefined, scan?: PostingScan): AsyncIterable<Posting>
}

/** A store the ledger can write. */
export interface Store extends ReadableStore {
  open(): Promise<void>
  close(): Promise<void>
  /** Writes the meta record of a new ledger; fails with `STORE_EXISTS` if there is one. */
  writeMeta(meta: LedgerMeta): Promise<void>
  /** Applies `commit` atomically and returns once it is durable (synced to disk). */
  writeCommit(commit: Commit): Promise<void>
  /** Adds a cosigned version of an existing checkpoint (same size, more signatures). */
  writeCheckpoint(checkpoint: StoredCheckpoint): Promise<void>
}
