/**
 * The embedded store on LevelDB (`level`): one atomic, synced batch per commit. FORMAT.md at the
 * repository root documents every key and value.
 */
import { Level } from 'level'
import {
  isLedgerError,
  LedgerError,
  type Commit,
  type LedgerMeta,
  type Posting,
  type PostingScan,
  type Store,
  type StoredCheckpoint,
  type StoredEntry,
  type StoredTile,
  type TileId,
  type TreeHead,
} from '@liuhen/core'
import { checkpointKey, entryKey, headKey, idKey, idValue, KIND, metaKey, postingKey, prefixEnd, readU64, tileKey, u64 } from './internal/keys.js'
import { decodeHead, decodeMeta, encodeHead, encodeMeta } from './internal/records.js'
import { copyForReading, removeCopy } from './internal/copy-aside.js'
import { openError, readError, writeError } from './internal/failure.js'
import { scanPostings, scanPrefixBatches } from './internal/scan.js'

type Bytes = Uint8Array
type BatchOp = { type: 'put'; key: Bytes; value: Bytes }

/**
 * A posting's value: one zero byte. Readers look at posting keys only, so the empty values that
 * earlier versions wrote read the same. Not empty because classic-level 3 leaks the native copy
 * of an empty value (it frees the copy only when its length is not zero): ~40 bytes of RSS per
 * posting, four postings an access event, 1.6 GiB over 10⁷ events.
 */
const POSTING_VALUE = Uint8Array.of(0)
/** Entries per native iterator call and its byte budget (~1000 entries of a few hundred bytes). */
const READ_ENTRIES = 1024
const READ_BYTES = 1 << 20
/** Tiles read synchronously in one readTileMany at most (a proof needs ~log₂₅₆ n + 1). */
const SYNC_TILES = 8
// ignoreBOM: ids may begin with U+FEFF, which a default decoder drops.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
/** Copies a read-only open takes before a failure is final (see open). */
const COPY_ATTEMPTS = 3

/** Options of {@link LevelStore}. */
export interface LevelStoreOptions {
  /** Open without creating; fail with `STORE_NOT_FOUND` when there is no database. */
  mustExist?: boolean
  /** Sync each commit to disk before it resolves (default true: durable on acknowledgement). */
  sync?: boolean
  /**
   * Open for reading only, leaving the database's directory untouched: LevelDB cannot open a
   * database without writing to it, so this opens a private copy (its logs and manifest copied,
   * its table files linked) in the system's temporary directory, removed on close. Writes fail
   * with `STORE_READ_ONLY`. For read-only media; implies `mustExist`.
   */
  readOnly?: boolean
  /**
   * Table files LevelDB keeps open (default 74, LevelDB's least: 64 tables and 10 other files).
   * LevelDB maps each open table file into memory and its pages read count as resident, so this
   * bounds the mapped part of RSS at about `maxOpenFiles × maxFileSize`; a closed table is
   * unmapped. LevelDB's own default, 1000, let RSS grow with the database up to 2 GiB.
   */
  maxOpenFiles?: number
  /** Size in bytes of a table file (default 2 MiB, LevelDB's). */
  maxFileSize?: number
  /** Bytes of LevelDB's block cache of uncompressed blocks (default 8 MiB, LevelDB's). */
  cacheSize?: number
  /** Bytes of LevelDB's write buffer; up to two are held while one is flushed (default 4 MiB, LevelDB's). */
  writeBufferSize?: number
}

/** LevelDB's tuning under {@link LevelStoreOptions}, with the defaults documented there. */
type Tuning = Required<Pick<LevelStoreOptions, 'maxOpenFiles' | 'maxFileSize' | 'cacheSize' | 'writeBufferSize'>>
const TUNING: Tuning = { maxOpenFiles: 74, maxFileSize: 2 << 20, cacheSize: 8 << 20, writeBufferSize: 4 << 20 }

/**
 * A {@link Store} in a LevelDB directory. Only one process may open it at a time (LevelDB's lock).
 * @example const store = new LevelStore('ledger/db'); await store.open()
 */
export class LevelStore implements Store {
  readonly location: string
  /** Made by open(): abstract-level opens a database by itself a microtask after construction. */
  #level: Level<Bytes, Bytes> | undefined
  readonly #sync: boolean
  readonly #mustExist: boolean
  readonly #readOnly: boolean
  /** The private copy a read-only store opened, removed on close. */
  #copy: string | undefined
  readonly #tuning: Tuning
  /** Whether this session wrote anything (then close flushes the write-ahead log). */
  #written = false

  constructor(location: string, options: LevelStoreOptions = {}) {
    this.location = location
    this.#sync = options.sync ?? true
    this.#readOnly = options.readOnly ?? false
    this.#mustExist = (options.mustExist ?? false) || this.#readOnly
    this.#tuning = {
      maxOpenFiles: options.maxOpenFiles ?? TUNING.maxOpenFiles,
      maxFileSize: options.maxFileSize ?? TUNING.maxFileSize,
      cacheSize: options.cacheSize ?? TUNING.cacheSize,
      writeBufferSize: options.writeBufferSize ?? TUNING.writeBufferSize,
    }
  }

  /** The database; `STORE_NOT_OPEN` before {@link open}. */
  get #db(): Level<Bytes, Bytes> {
    if (!this.#level) throw new LedgerError('STORE_NOT_OPEN', 'store is not open')
    return this.#level
  }

  /** Whether this store reads a private copy ({@link LevelStoreOptions.readOnly}). */
  get readOnly(): boolean {
    return this.#readOnly
  }

  /**
   * Opens the database. Fails with a code naming the cause (FORMAT.md, "Failures"):
   * `STORE_LOCKED`, `STORE_NOT_FOUND` (no database, with `mustExist`), `STORE_CORRUPT` (missing
   * or damaged files), `STORE_NO_SPACE`, `STORE_READ_ONLY` (the directory cannot be written:
   * open it with `readOnly`), else `STORE_OPEN_FAILED`.
   */
  async open(): Promise<void> {
    if (this.#level) throw new LedgerError('STORE_OPEN_FAILED', `the store at ${this.location} is already open`)
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#openOnce()
      } catch (err) {
        // A copy taken while another process writes the database (another user's appender) may
        // miss a file made or removed meanwhile: take it again before calling that damage.
        const retry = this.#readOnly && attempt < COPY_ATTEMPTS && (isLedgerError(err, 'STORE_CORRUPT') || (err as LedgerError).details?.['errno'] === 'ENOENT')
        if (!retry) throw err
      }
    }
  }

  async #openOnce(): Promise<void> {
    // Synchronous up to db.open: the database's own deferred open must not run first.
    const level = new Level<Bytes, Bytes>(this.#readOnly ? this.#openCopy() : this.location, { keyEncoding: 'view', valueEncoding: 'view' })
    this.#level = level
    try {
      await level.open({ createIfMissing: !this.#mustExist, ...this.#tuning })
    } catch (cause) {
      this.#level = undefined
      this.#dropCopy()
      throw openError(cause, this.location, this.#mustExist)
    }
  }

  /** Makes the private copy of a read-only store; returns its location. */
  #openCopy(): string {
    this.#copy = copyForReading(this.location)
    return this.#copy
  }

  #dropCopy(): void {
    if (this.#copy !== undefined) removeCopy(this.#copy)
    this.#copy = undefined
  }

  /**
   * Closes the database. After writes, LevelDB's write-ahead log is first flushed into a table
   * (a compaction of the tiny range of the head key forces the memtable out): otherwise the
   * next open replays the log and writes that table itself, which made the first open after a
   * busy session take 0.3 s at 10⁶ entries and 0.8 s at 10⁷ instead of a few milliseconds.
   */
  async close(): Promise<void> {
    if (!this.#level) return
    // In Node `level` is classic-level, which has compactRange; the check keeps other runtimes working.
    const db = this.#db as unknown as { compactRange?: (start: Bytes, end: Bytes) => Promise<void> }
    try {
      if (this.#written && this.#db.status === 'open' && typeof db.compactRange === 'function') {
        const head = headKey()
        await db.compactRange.call(this.#db, head, Uint8Array.of(head[0] as number, 0))
      }
      await this.#db.close()
    } finally {
      this.#level = undefined
      this.#dropCopy()
    }
  }

  #refuseWrite(): void {
    if (this.#readOnly) throw new LedgerError('STORE_READ_ONLY', `the store at ${this.location} is open for reading only`)
  }

  async #get(key: Bytes): Promise<Bytes | undefined> {
    if (this.#db.status !== 'open') throw new LedgerError('STORE_NOT_OPEN', 'store is not open')
    let value: Bytes | undefined
    try {
      value = await this.#db.get(key)
    } catch (err) {
      throw readError(err, this.location)
    }
    return value === undefined ? undefined : plain(value)
  }

  /**
   * A point read without the thread-pool round trip: LevelDB answers from its memtable and block
   * cache in microseconds, while an async get waits ~tens of microseconds for a worker thread.
   * For the small, hot reads of proofs and lookups (an entry, a few tiles), not for scans.
   */
  async #getNow(key: Bytes): Promise<Bytes | undefined> {
    if (this.#db.status !== 'open') throw new LedgerError('STORE_NOT_OPEN', 'store is not open')
    let value: Bytes | undefined
    try {
      value = this.#db.getSync(key)
    } catch (err) {
      throw readError(err, this.location)
    }
    return value === undefined ? undefined : plain(value)
  }

  async #write(ops: BatchOp[]): Promise<void> {
    this.#refuseWrite()
    this.#written = true
    if (this.#db.status !== 'open') throw new LedgerError('STORE_NOT_OPEN', 'store is not open')
    try {
      await this.#db.batch(ops, { sync: this.#sync })
    } catch (cause) {
      throw writeError(cause)
    }
  }

  async writeMeta(meta: LedgerMeta): Promise<void> {
    if (await this.#get(metaKey())) throw new LedgerError('STORE_EXISTS', `a ledger already exists at ${this.location}`)
    await this.#write([{ type: 'put', key: metaKey(), value: encodeMeta(meta) }])
  }

  async writeCommit(commit: Commit): Promise<void> {
    this.#refuseWrite()
    if (this.#db.status !== 'open') throw new LedgerError('STORE_NOT_OPEN', 'store is not open')
    // A chained batch hands each put to LevelDB at once; an array batch re-validates and copies
    // every operation in JS first, which cost three times as much on the append path.
    const batch = this.#db.batch()
    for (const e of commit.entries) batch.put(entryKey(e.index), e.bytes)
    for (const { id, index, hash } of commit.ids) batch.put(idKey(id), hash ? idValue(index, hash) : u64(index))
    for (const t of commit.tiles) batch.put(tileKey(t.level, t.index), t.hashes)
    for (const p of commit.postings ?? []) batch.put(postingKey(p.name, p.key, p.entry), POSTING_VALUE)
    if (commit.checkpoint) batch.put(checkpointKey(commit.checkpoint.size), utf8(commit.checkpoint.text))
    batch.put(headKey(), encodeHead(commit.head))
    this.#written = true
    try {
      await batch.write({ sync: this.#sync })
    } catch (cause) {
      throw writeError(cause)
    }
  }

  async writeCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    await this.#write([{ type: 'put', key: checkpointKey(checkpoint.size), value: utf8(checkpoint.text) }])
  }

  async readMeta(): Promise<LedgerMeta | undefined> {
    const bytes = await this.#get(metaKey())
    return bytes && decodeMeta(bytes)
  }

  async readHead(): Promise<TreeHead | undefined> {
    const bytes = await this.#get(headKey())
    return bytes && decodeHead(bytes)
  }

  readEntry(index: number): Promise<Bytes | undefined> {
    return this.#getNow(entryKey(index))
  }

  async *readEntries(from: number, to: number): AsyncIterable<StoredEntry> {
    if (to <= from) return
    // nextv with a large byte budget: one native call per ~1000 entries, where the default
    // iterator stops every 16 KiB (~45 entries) and awaits once per entry.
    const it = this.#db.iterator({ gte: entryKey(Math.max(0, from)), lt: entryKey(to), highWaterMarkBytes: READ_BYTES })
    try {
      // The first call asks for one entry, as classic-level's own iterator does: many callers
      // want only the first (the audit's look for the next stored entry, `tail`).
      for (let size = 1; ; size = READ_ENTRIES) {
        const batch = await it.nextv(size)
        if (batch.length === 0) return
        for (const [key, bytes] of batch) yield { index: readU64(key, 1), bytes: plain(bytes) }
      }
    } finally {
      await it.close()
    }
  }

  async readEntriesChunk(from: number, to: number): Promise<StoredEntry[]> {
    if (this.#db.status !== 'open') throw new LedgerError('STORE_NOT_OPEN', 'store is not open')
    if (to <= from) return []
    const want = to - Math.max(0, from)
    const it = this.#db.iterator({ gte: entryKey(Math.max(0, from)), lt: entryKey(to), highWaterMarkBytes: READ_BYTES })
    const out: StoredEntry[] = []
    try {
      while (out.length < want) {
        const batch = await it.nextv(want - out.length)
        if (batch.length === 0) break
        for (const [key, bytes] of batch) out.push({ index: readU64(key, 1), bytes: plain(bytes) })
      }
    } finally {
      await it.close()
    }
    return out
  }

  readTile(level: number, index: number): Promise<Bytes | undefined> {
    return this.#getNow(tileKey(level, index))
  }

  async readTileMany(ids: readonly TileId[]): Promise<(Bytes | undefined)[]> {
    if (this.#db.status !== 'open') throw new LedgerError('STORE_NOT_OPEN', 'store is not open')
    if (ids.length === 0) return []
    // A proof's few tiles (≤ 8 KiB each) read synchronously cost less than one getMany's
    // round trip to the thread pool; larger batches go to the pool, off the event loop.
    if (ids.length <= SYNC_TILES) {
      return ids.map((t) => {
        const v = this.#db.getSync(tileKey(t.level, t.index))
        return v === undefined ? undefined : plain(v)
      })
    }
    const values = await this.#db.getMany(ids.map((t) => tileKey(t.level, t.index)))
    return values.map((v) => (v === undefined ? undefined : plain(v)))
  }

  async *readTiles(): AsyncIterable<StoredTile> {
    const gte = Uint8Array.of(KIND.tile)
    for await (const [key, hashes] of this.#db.iterator({ gte, lt: prefixEnd(gte) })) {
      yield { level: key[1] as number, index: readU64(key, 2), hashes: plain(hashes) }
    }
  }

  async readIdIndex(id: string): Promise<number | undefined> {
    return (await this.readIdRecord(id))?.index
  }

  async readIdRecord(id: string): Promise<{ index: number; hash?: Uint8Array } | undefined> {
    const value = await this.#get(idKey(id))
    return value && idRecord(value)
  }

  async readIdRecords(ids: readonly string[]): Promise<({ index: number; hash?: Uint8Array } | undefined)[]> {
    if (this.#db.status !== 'open') throw new LedgerError('STORE_NOT_OPEN', 'store is not open')
    if (ids.length === 0) return []
    // One native round trip for a whole commit's ids: per-id gets dominated the append path.
    const values = await this.#db.getMany(ids.map(idKey))
    return values.map((v) => (v === undefined ? undefined : idRecord(plain(v))))
  }

  async *readIdIndexAll(): AsyncIterable<{ id: string; index: number }> {
    for await (const batch of scanPrefixBatches(this.#db, Uint8Array.of(KIND.id), READ_ENTRIES, READ_BYTES)) {
      for (const [key, value] of batch) yield new IdIndexRecord(key, readU64(value))
    }
  }

  async readCheckpoint(size: number): Promise<StoredCheckpoint | undefined> {
    const bytes = await this.#get(checkpointKey(size))
    return bytes && { size, text: decoder.decode(bytes) }
  }

  async readLatestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const gte = Uint8Array.of(KIND.checkpoint)
    for await (const [key, bytes] of this.#db.iterator({ gte, lt: prefixEnd(gte), reverse: true, limit: 1 })) {
      return { size: readU64(key, 1), text: decoder.decode(bytes) }
    }
    return undefined
  }

  async *readCheckpoints(): AsyncIterable<StoredCheckpoint> {
    const gte = Uint8Array.of(KIND.checkpoint)
    for await (const [key, bytes] of this.#db.iterator({ gte, lt: prefixEnd(gte) })) {
      yield { size: readU64(key, 1), text: decoder.decode(bytes) }
    }
  }

  async *readPostings(name: string, key: string | undefined, scan: PostingScan = {}): AsyncIterable<Posting> {
    // Inside the generator, so a closed store throws on the first read, as every other scan does.
    yield* scanPostings(this.#db, name, key, scan)
  }
}

/**
 * A record of the id index as scanned: the id is decoded from its key only when read, since the
 * audit's count of the index reads none of them.
 */
class IdIndexRecord {
  readonly #key: Bytes
  #id: string | undefined
  constructor(
    key: Bytes,
    readonly index: number,
  ) {
    this.#key = key
  }

  get id(): string {
    return (this.#id ??= decoder.decode(this.#key.subarray(1)))
  }
}

function idRecord(value: Bytes): { index: number; hash?: Uint8Array } {
  return value.length >= 40 ? { index: readU64(value), hash: value.slice(8, 40) } : { index: readU64(value) }
}

/** LevelDB hands back Buffers; callers compare with plain Uint8Arrays, so drop the subclass. */
function plain(bytes: Bytes): Bytes {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function utf8(text: string): Bytes {
  return new TextEncoder().encode(text)
}
