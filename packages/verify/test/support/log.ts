/**
 * Builds logs for tests straight into a MemoryStore, commit by commit, the way the ledger does
 * (entries, id index, touched tiles, head, a signed checkpoint per commit), so tamper tests
 * control every byte. The ledger's own output is audited in ledger.test.ts.
 */
import {
  CompactRange,
  MemoryStore,
  TILE_HEIGHT,
  concatBytes,
  encodeEntry,
  generateSignerKey,
  hashLeaf,
  signCheckpoint,
  signerFromKey,
  type Entry,
  type EntryRef,
  compareUtf8,
  type LedgerMeta,
  type Posting,
  type ReadableStore,
  type StoredCheckpoint,
  type StoredEntry,
  type StoredTile,
  type TreeHead,
} from '@liuhen/core'

export const ORIGIN = 'test.liuhen.example/log'
const KEYS = generateSignerKey(ORIGIN)

export interface TestLog {
  store: MemoryStore
  vkey: string
  skey: string
  /** Signed checkpoint notes by size. */
  notes: Map<number, string>
  /** Leaf hashes by index. */
  leaves: Uint8Array[]
  entries: Uint8Array[]
  /** Appends one commit of `count` entries. */
  commit(count: number): Promise<void>
}

export interface LogOptions {
  /** Entries per commit (default 7). */
  batch?: number
  /** Entry i refers to entry refOf(i) when it returns a number below i. */
  refOf?: (i: number) => number | undefined
  keys?: { skey: string; vkey: string }
  /** Changes an entry before it is encoded (and signed). */
  mutate?: (entry: Entry) => void
  store?: MemoryStore
}

/** A log of `size` entries. */
export async function buildLog(size: number, options: LogOptions = {}): Promise<TestLog> {
  const keys = options.keys ?? KEYS
  const signer = signerFromKey(keys.skey)
  const store = options.store ?? new MemoryStore()
  await store.open()
  await store.writeMeta({ format: 1, origin: ORIGIN, vkey: keys.vkey })
  const range = CompactRange.empty()
  const levels: Uint8Array[][] = []
  const leaves: Uint8Array[] = []
  const entries: Uint8Array[] = []
  const notes = new Map<number, string>()
  let lastTime = 0
  const refOf = options.refOf ?? ((i: number) => (i > 0 && i % 3 === 0 ? i - 2 : undefined))
  const log: TestLog = {
    store,
    vkey: keys.vkey,
    skey: keys.skey,
    notes,
    leaves,
    entries,
    async commit(count: number): Promise<void> {
      const touched = new Set<string>()
      const commitEntries: { index: number; bytes: Uint8Array }[] = []
      const ids: { id: string; index: number }[] = []
      for (let k = 0; k < count; k++) {
        const index = range.size
        const target = refOf(index)
        const refs: EntryRef[] = target !== undefined && target < index ? [{ name: 'basis', id: `ev-${target}`, index: target, hash: leaves[target] as Uint8Array }] : []
        const entry: Entry = {
          v: 1,
          index,
          time: 1_700_000_000_000 + index * 1000,
          event: {
            id: `ev-${index}`,
            type: 'access.performed',
            at: '2026-03-02T09:15:04+08:00',
            actor: { dept: 'district.civil-affairs', person: 'p-1' },
            refs: target !== undefined ? { basis: `ev-${target}` } : {},
            data: { n: index },
          },
          refs,
        }
        options.mutate?.(entry)
        const bytes = encodeEntry(entry)
        entries.push(bytes)
        lastTime = entry.time
        commitEntries.push({ index, bytes })
        ids.push({ id: `ev-${index}`, index })
        leaves.push(hashLeaf(bytes))
        range.append(hashLeaf(bytes), (level, i, hash) => {
          if (level % TILE_HEIGHT !== 0) return
          const L = level / TILE_HEIGHT
          ;(levels[L] ??= [])[i] = hash
          touched.add(`${L}/${Math.floor(i / 256)}`)
        })
      }
      const tiles: StoredTile[] = [...touched].map((key) => {
        const [L, N] = key.split('/').map(Number) as [number, number]
        const row = (levels[L] as Uint8Array[]).slice(N * 256, N * 256 + 256)
        return { level: L, index: N, hashes: concatBytes(...row) }
      })
      const size = range.size
      const root = range.root()
      const text = signCheckpoint({ origin: ORIGIN, size, root, extensions: [] }, signer)
      notes.set(size, text)
      await store.writeCommit({
        entries: commitEntries,
        ids,
        tiles,
        head: { size, root, time: lastTime, frontier: range.hashes },
        checkpoint: { size, text },
      })
    },
  }
  const batch = options.batch ?? 7
  while (range.size < size) await log.commit(Math.min(batch, size - range.size))
  return log
}

/** A plain, mutable copy of a store's contents, for tampering in tests. */
export class OpenStore implements ReadableStore {
  meta: LedgerMeta | undefined
  head: TreeHead | undefined
  entries: (Uint8Array | undefined)[] = []
  readonly tiles = new Map<string, Uint8Array>()
  readonly ids = new Map<string, number>()
  readonly checkpoints = new Map<number, string>()

  static async from(store: ReadableStore): Promise<OpenStore> {
    const s = new OpenStore()
    s.meta = await store.readMeta()
    s.head = await store.readHead()
    for await (const e of store.readEntries(0, Number.MAX_SAFE_INTEGER)) s.entries[e.index] = e.bytes
    for await (const t of store.readTiles()) s.tiles.set(`${t.level}/${t.index}`, t.hashes)
    for await (const { id, index } of store.readIdIndexAll()) s.ids.set(id, index)
    for await (const c of store.readCheckpoints()) s.checkpoints.set(c.size, c.text)
    return s
  }

  /** The tile's hashes as a mutable copy (write it back with `tiles.set`). */
  tile(level: number, index: number): Uint8Array {
    return Uint8Array.from(this.tiles.get(`${level}/${index}`) as Uint8Array)
  }

  async readMeta(): Promise<LedgerMeta | undefined> {
    return this.meta
  }
  async readHead(): Promise<TreeHead | undefined> {
    return this.head
  }
  async readEntry(index: number): Promise<Uint8Array | undefined> {
    return this.entries[index]
  }
  async *readEntries(from: number, to: number): AsyncIterable<StoredEntry> {
    for (let index = from; index < Math.min(to, this.entries.length); index++) {
      const bytes = this.entries[index]
      if (bytes) yield { index, bytes }
    }
  }
  async readTile(level: number, index: number): Promise<Uint8Array | undefined> {
    return this.tiles.get(`${level}/${index}`)
  }
  async *readTiles(): AsyncIterable<StoredTile> {
    const all = [...this.tiles].map(([k, hashes]) => {
      const [level, index] = k.split('/').map(Number) as [number, number]
      return { level, index, hashes }
    })
    yield* all.sort((a, b) => a.level - b.level || a.index - b.index)
  }
  async readIdIndex(id: string): Promise<number | undefined> {
    return this.ids.get(id)
  }
  async readIdRecord(id: string): Promise<{ index: number } | undefined> {
    const index = this.ids.get(id)
    return index === undefined ? undefined : { index }
  }
  async readIdRecords(ids: readonly string[]): Promise<({ index: number } | undefined)[]> {
    return Promise.all(ids.map((id) => this.readIdRecord(id)))
  }
  async *readIdIndexAll(): AsyncIterable<{ id: string; index: number }> {
    for (const id of [...this.ids.keys()].sort(compareUtf8)) yield { id, index: this.ids.get(id) as number }
  }
  async readCheckpoint(size: number): Promise<StoredCheckpoint | undefined> {
    const text = this.checkpoints.get(size)
    return text === undefined ? undefined : { size, text }
  }
  async readLatestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const sizes = [...this.checkpoints.keys()]
    return sizes.length ? this.readCheckpoint(Math.max(...sizes)) : undefined
  }
  async *readCheckpoints(): AsyncIterable<StoredCheckpoint> {
    for (const size of [...this.checkpoints.keys()].sort((a, b) => a - b)) yield { size, text: this.checkpoints.get(size) as string }
  }
  async *readPostings(): AsyncIterable<Posting> {}
}
