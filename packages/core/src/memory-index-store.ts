/**
 * An index store in memory: for tests and as the reference of the index conformance suite. Several
 * handles may share one {@link MemoryIndex}; only one may hold it open for writing at a time.
 */
import { LedgerError } from './error.js'
import type { IdRecord, IndexBatch, IndexStore } from './index-store.js'
import { compareUtf8 } from './memory-store.js'
import type { Posting, PostingScan } from './store.js'

/** The shared contents of an in-memory index. */
export class MemoryIndex {
  readonly ids = new Map<string, IdRecord>()
  /** Postings by name, then key: the entries listed under it. */
  readonly postings = new Map<string, Map<string, Set<number>>>()
  size = 0
  writer: object | undefined
}

/** An {@link IndexStore} over a {@link MemoryIndex}: batches are atomic, not durable. */
export class MemoryIndexStore implements IndexStore {
  readonly #index: MemoryIndex
  #open = false

  constructor(index: MemoryIndex = new MemoryIndex()) {
    this.#index = index
  }

  #check(): MemoryIndex {
    if (!this.#open) throw new LedgerError('STORE_NOT_OPEN', 'index store is not open')
    return this.#index
  }

  async open(): Promise<void> {
    if (this.#open) throw new LedgerError('STORE_OPEN_FAILED', 'index store is already open')
    if (this.#index.writer) throw new LedgerError('STORE_LOCKED', 'another writer holds this index')
    this.#index.writer = this
    this.#open = true
  }

  async close(): Promise<void> {
    if (!this.#open) return
    this.#open = false
    if (this.#index.writer === this) this.#index.writer = undefined
  }

  async writeBatch(batch: IndexBatch): Promise<void> {
    const index = this.#check()
    if (!Number.isSafeInteger(batch.size) || batch.size < index.size) throw new RangeError(`index batch to size ${batch.size} is below the mark ${index.size}`)
    for (const { id, ...record } of batch.ids) index.ids.set(id, { index: record.index, hash: record.hash.slice(), time: record.time })
    for (const p of batch.postings) {
      let byKey = index.postings.get(p.name)
      if (!byKey) index.postings.set(p.name, (byKey = new Map()))
      let entries = byKey.get(p.key)
      if (!entries) byKey.set(p.key, (entries = new Set()))
      entries.add(p.entry)
    }
    index.size = batch.size
  }

  async readIndexedSize(): Promise<number> {
    return this.#check().size
  }

  async readIdRecord(id: string): Promise<IdRecord | undefined> {
    return copy(this.#check().ids.get(id))
  }

  async readIdRecords(ids: readonly string[]): Promise<(IdRecord | undefined)[]> {
    const index = this.#check()
    return ids.map((id) => copy(index.ids.get(id)))
  }

  async *readIdRecordsAll(): AsyncIterable<{ id: string } & IdRecord> {
    const index = this.#check()
    for (const id of [...index.ids.keys()].sort(compareUtf8)) yield { id, ...(copy(index.ids.get(id)) as IdRecord) }
  }

  async *readPostings(name: string, key: string | undefined, scan: PostingScan = {}): AsyncIterable<Posting> {
    const byKey = this.#check().postings.get(name)
    if (!byKey) return
    const inRange = (k: string): boolean => (key !== undefined ? k === key : (scan.gte === undefined || compareUtf8(k, scan.gte) >= 0) && (scan.lt === undefined || compareUtf8(k, scan.lt) < 0))
    const all: Posting[] = []
    for (const k of [...byKey.keys()].filter(inRange).sort(compareUtf8)) {
      for (const entry of [...(byKey.get(k) as Set<number>)].sort((a, b) => a - b)) all.push({ name, key: k, entry })
    }
    if (scan.reverse) all.reverse()
    yield* scan.limit === undefined ? all : all.slice(0, scan.limit)
  }
}

function copy(record: IdRecord | undefined): IdRecord | undefined {
  return record && { index: record.index, hash: record.hash.slice(), time: record.time }
}
