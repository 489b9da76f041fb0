/**
 * The index store on LevelDB (format 2, `<ledger>/index/`): id records with their receipt data,
 * the postings of the query indexes, and the mark of the log size they are complete up to; one
 * atomic, synced batch per commit. Not yet used by the ledger engine. FORMAT.md ("Format 2")
 * documents the keys.
 */
import { Level } from 'level'
import { LedgerError, type IdRecord, type IndexBatch, type IndexStore, type Posting, type PostingScan } from '@liuhen/core'
import { idKey, KIND, postingKey, readU64, u64 } from './internal/keys.js'
import { scanPostings, scanPrefixBatches } from './internal/scan.js'
import { openError, writeError } from './internal/failure.js'
import { copyForReading, removeCopy } from './internal/copy-aside.js'

type Bytes = Uint8Array

/** The key of the mark: the log size the index is complete up to ('n'). */
const MARK_KEY = Uint8Array.of(0x6e)
/** A posting's value: one zero byte (see level-store.ts: classic-level leaks empty values). */
const POSTING_VALUE = Uint8Array.of(0)
/** Records per native iterator call, and its byte budget. */
const READ_RECORDS = 1024
const READ_BYTES = 1 << 20
// ignoreBOM: ids may begin with U+FEFF, which a default decoder drops.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true })

/** Options of {@link LevelIndexStore}. */
export interface LevelIndexStoreOptions {
  /** Sync each batch to disk before it resolves (default true). */
  sync?: boolean
  /**
   * Leave the index's directory untouched, for media this process may not write: open a private
   * copy of it (as LevelStore's `readOnly` does) in the system's temporary folder, removed on
   * close. The copy takes writes (a catch-up brings it up to the log); the original never does.
   * Implies the index exists.
   */
  readOnly?: boolean
}

/**
 * An {@link IndexStore} in a LevelDB directory; one process at a time (LevelDB's lock:
 * `STORE_LOCKED` for a second opener).
 * @example const index = new LevelIndexStore('district-ledger/index'); await index.open()
 */
export class LevelIndexStore implements IndexStore {
  readonly location: string
  readonly #sync: boolean
  readonly #readOnly: boolean
  /** The private copy a read-only index opened, removed on close. */
  #copy: string | undefined
  #level: Level<Bytes, Bytes> | undefined
  /** The mark, read at open and kept by this, the only writer. */
  #size = 0

  constructor(location: string, options: LevelIndexStoreOptions = {}) {
    this.location = location
    this.#sync = options.sync ?? true
    this.#readOnly = options.readOnly ?? false
  }

  get #db(): Level<Bytes, Bytes> {
    if (!this.#level || this.#level.status !== 'open') throw new LedgerError('STORE_NOT_OPEN', 'index store is not open')
    return this.#level
  }

  /** Opens the index, creating it when new; `STORE_LOCKED`, `STORE_CORRUPT`, … as FORMAT.md says. */
  async open(): Promise<void> {
    if (this.#level) throw new LedgerError('STORE_OPEN_FAILED', `the index at ${this.location} is already open`)
    if (this.#readOnly) this.#copy = copyForReading(this.location)
    const level = new Level<Bytes, Bytes>(this.#copy ?? this.location, { keyEncoding: 'view', valueEncoding: 'view' })
    this.#level = level
    try {
      await level.open({ createIfMissing: !this.#readOnly })
      const mark = await level.get(MARK_KEY)
      this.#size = mark === undefined ? 0 : readU64(mark)
    } catch (cause) {
      this.#level = undefined
      await level.close().catch(() => undefined)
      this.#dropCopy()
      throw cause instanceof RangeError ? new LedgerError('STORE_CORRUPT', `the index mark at ${this.location} is damaged`, {}, { cause }) : openError(cause, this.location, false)
    }
  }

  async close(): Promise<void> {
    const level = this.#level
    this.#level = undefined
    try {
      await level?.close()
    } finally {
      this.#dropCopy()
    }
  }

  #dropCopy(): void {
    if (this.#copy !== undefined) removeCopy(this.#copy)
    this.#copy = undefined
  }

  async writeBatch(batch: IndexBatch): Promise<void> {
    const db = this.#db
    if (!Number.isSafeInteger(batch.size) || batch.size < this.#size) throw new RangeError(`index batch to size ${batch.size} is below the mark ${this.#size}`)
    const ops = db.batch()
    for (const r of batch.ids) ops.put(idKey(r.id), recordValue(r))
    for (const p of batch.postings) ops.put(postingKey(p.name, p.key, p.entry), POSTING_VALUE)
    ops.put(MARK_KEY, u64(batch.size))
    try {
      await ops.write({ sync: this.#sync })
    } catch (cause) {
      throw writeError(cause)
    }
    this.#size = batch.size
  }

  async readIndexedSize(): Promise<number> {
    if (this.#level?.status !== 'open') throw new LedgerError('STORE_NOT_OPEN', 'index store is not open')
    return this.#size
  }

  async readIdRecord(id: string): Promise<IdRecord | undefined> {
    const value = await this.#db.get(idKey(id))
    return value === undefined ? undefined : parseRecord(value, id)
  }

  async readIdRecords(ids: readonly string[]): Promise<(IdRecord | undefined)[]> {
    const db = this.#db
    if (ids.length === 0) return []
    const values = await db.getMany(ids.map(idKey))
    return values.map((v, i) => (v === undefined ? undefined : parseRecord(v, ids[i] as string)))
  }

  async *readIdRecordsAll(): AsyncIterable<{ id: string } & IdRecord> {
    for await (const batch of scanPrefixBatches(this.#db, Uint8Array.of(KIND.id), READ_RECORDS, READ_BYTES)) {
      for (const [key, value] of batch) {
        const id = decoder.decode(key.subarray(1))
        yield { id, ...parseRecord(value, id) }
      }
    }
  }

  async *readPostings(name: string, key: string | undefined, scan: PostingScan = {}): AsyncIterable<Posting> {
    // Inside the generator, so a closed store throws on the first read, as every other scan does.
    yield* scanPostings(this.#db, name, key, scan)
  }
}

/** An id record's value: u64(index) ‖ leaf hash (32 bytes) ‖ u64(time). */
function recordValue(r: IdRecord): Bytes {
  const out = Buffer.allocUnsafe(48)
  out.set(u64(r.index), 0)
  out.set(r.hash, 8)
  out.set(u64(r.time), 40)
  return out
}

function parseRecord(value: Bytes, id: string): IdRecord {
  if (value.length !== 48) throw new LedgerError('STORE_CORRUPT', `the index record of id ${JSON.stringify(id)} is ${value.length} bytes, not 48`, { id })
  return { index: readU64(value, 0), hash: new Uint8Array(value.subarray(8, 40)), time: readU64(value, 40) }
}
