/**
 * An in-memory {@link Store}: for tests, for verifying an export or a bundle without a database,
 * and as the reference every other backend's conformance suite is compared with.
 */
import { LedgerError } from './error.js'
import type { Commit, LedgerMeta, Posting, PostingScan, Store, StoredCheckpoint, StoredEntry, StoredTile, TileId, TreeHead } from './store.js'

const tileKey = (level: number, index: number): string => `${level}/${index}`

/** A store whose contents live in memory only; `writeCommit` is atomic but not durable. */
export class MemoryStore implements Store {
  #open = false
  #meta: LedgerMeta | undefined
  #head: TreeHead | undefined
  readonly #entries: Uint8Array[] = []
  readonly #tiles = new Map<string, StoredTile>()
  readonly #ids = new Map<string, { index: number; hash?: Uint8Array }>()
  readonly #checkpoints = new Map<number, StoredCheckpoint>()
  #latest: StoredCheckpoint | undefined
  readonly #postings = new Map<string, Map<string, number[]>>()

  async open(): Promise<void> {
    this.#open = true
  }

  async close(): Promise<void> {
    this.#open = false
  }

  #check(): void {
    if (!this.#open) throw new LedgerError('STORE_NOT_OPEN', 'store is not open')
  }

  async writeMeta(meta: LedgerMeta): Promise<void> {
    this.#check()
    if (this.#meta) throw new LedgerError('STORE_EXISTS', 'store already holds a ledger')
    this.#meta = { ...meta }
  }

  async writeCommit(commit: Commit): Promise<void> {
    this.#check()
    for (const e of commit.entries) this.#entries[e.index] = e.bytes
    for (const { id, index, hash } of commit.ids) this.#ids.set(id, hash ? { index, hash } : { index })
    for (const t of commit.tiles) this.#tiles.set(tileKey(t.level, t.index), t)
    for (const p of commit.postings ?? []) this.#addPosting(p)
    this.#head = commit.head
    if (commit.checkpoint) this.#putCheckpoint(commit.checkpoint)
  }

  async writeCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    this.#check()
    this.#putCheckpoint(checkpoint)
  }

  #putCheckpoint(cp: StoredCheckpoint): void {
    this.#checkpoints.set(cp.size, cp)
    if (!this.#latest || cp.size >= this.#latest.size) this.#latest = cp
  }

  #addPosting(p: Posting): void {
    let byKey = this.#postings.get(p.name)
    if (!byKey) this.#postings.set(p.name, (byKey = new Map()))
    const list = byKey.get(p.key)
    if (list) list.push(p.entry)
    else byKey.set(p.key, [p.entry])
  }

  async readMeta(): Promise<LedgerMeta | undefined> {
    this.#check()
    return this.#meta
  }

  async readHead(): Promise<TreeHead | undefined> {
    this.#check()
    return this.#head
  }

  async readEntry(index: number): Promise<Uint8Array | undefined> {
    this.#check()
    return this.#entries[index]
  }

  async *readEntries(from: number, to: number): AsyncIterable<StoredEntry> {
    this.#check()
    const end = Math.min(to, this.#entries.length)
    for (let index = Math.max(0, from); index < end; index++) {
      const bytes = this.#entries[index]
      if (bytes) yield { index, bytes }
    }
  }

  async readEntriesChunk(from: number, to: number): Promise<StoredEntry[]> {
    this.#check()
    const out: StoredEntry[] = []
    const end = Math.min(to, this.#entries.length)
    for (let index = Math.max(0, from); index < end; index++) {
      const bytes = this.#entries[index]
      if (bytes) out.push({ index, bytes })
    }
    return out
  }

  async readTile(level: number, index: number): Promise<Uint8Array | undefined> {
    this.#check()
    return this.#tiles.get(tileKey(level, index))?.hashes
  }

  async readTileMany(ids: readonly TileId[]): Promise<(Uint8Array | undefined)[]> {
    this.#check()
    return ids.map((t) => this.#tiles.get(tileKey(t.level, t.index))?.hashes)
  }

  async *readTiles(): AsyncIterable<StoredTile> {
    this.#check()
    yield* [...this.#tiles.values()].sort((a, b) => a.level - b.level || a.index - b.index)
  }

  async readIdIndex(id: string): Promise<number | undefined> {
    this.#check()
    return this.#ids.get(id)?.index
  }

  async readIdRecord(id: string): Promise<{ index: number; hash?: Uint8Array } | undefined> {
    this.#check()
    return this.#ids.get(id)
  }

  async readIdRecords(ids: readonly string[]): Promise<({ index: number; hash?: Uint8Array } | undefined)[]> {
    this.#check()
    return ids.map((id) => this.#ids.get(id))
  }

  async *readIdIndexAll(): AsyncIterable<{ id: string; index: number }> {
    this.#check()
    const ids = [...this.#ids.keys()].sort(compareUtf8)
    for (const id of ids) yield { id, index: (this.#ids.get(id) as { index: number }).index }
  }

  async readCheckpoint(size: number): Promise<StoredCheckpoint | undefined> {
    this.#check()
    return this.#checkpoints.get(size)
  }

  async readLatestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    this.#check()
    return this.#latest
  }

  async *readCheckpoints(): AsyncIterable<StoredCheckpoint> {
    this.#check()
    yield* [...this.#checkpoints.values()].sort((a, b) => a.size - b.size)
  }

  async *readPostings(name: string, key: string | undefined, scan: PostingScan = {}): AsyncIterable<Posting> {
    this.#check()
    const byKey = this.#postings.get(name)
    if (!byKey) return
    const keys = [...byKey.keys()]
      .filter((k) => (key !== undefined ? k === key : (scan.gte === undefined || compareUtf8(k, scan.gte) >= 0) && (scan.lt === undefined || compareUtf8(k, scan.lt) < 0)))
      .sort(compareUtf8)
    const all: Posting[] = []
    for (const k of keys) for (const entry of [...(byKey.get(k) ?? [])].sort((a, b) => a - b)) all.push({ name, key: k, entry })
    if (scan.reverse) all.reverse()
    yield* scan.limit === undefined ? all : all.slice(0, scan.limit)
  }
}

/** Order of UTF-8 byte strings, which is what LevelDB sorts by. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}
