/**
 * One full audit's pass over the entries (audit.ts starts it, finish.ts ends it): each entry is
 * scanned, hashed into the recomputed tree and checked (index, time, references); the id index
 * and the signed roots are checked as their turn comes.
 *
 * The per-entry path is synchronous whenever what it needs is in memory (the chunk's tiles are
 * read ahead, reference tiles cached): an await per entry, for the rare entry that does wait on
 * the store, cost more than the scan of the entry itself. Steps that may wait return a promise,
 * otherwise undefined.
 */
import { bytesEqual, hashLeaf, scanEntry, toHex, type ReadableStore, type ScannedEntry, type StoredEntry } from '@liuhen/core'
import type { SignedRoot, CheckpointFeed } from './checkpoints.js'
import type { FailureCollector } from './collector.js'
import { readChunk, type Chunk } from './prefetch.js'
import { firstEntryFrom } from './reads.js'
import { LeafReader, TileWalker } from './tiles.js'
import { TreeTracker } from './tree.js'

/** Runs of missing entries longer than this are not bridged with stored leaf hashes. */
const MAX_BRIDGE = 1 << 16

type Step = Promise<void> | undefined

/** A chunk's entries as scanned (an error where one does not scan), and the read of their ids. */
interface ChunkScan {
  entries: (ScannedEntry | Error | undefined)[]
  ids: string[]
  /** The position of each id's entry. */
  positions: number[]
  records: Promise<unknown> | undefined
}

/** One audit's state while it streams. */
export class AuditRun {
  pos = 0
  feed!: CheckpointFeed
  readonly tiles: TileWalker
  readonly tree: TreeTracker
  readonly leaves: LeafReader
  /** Time of the last entry in order, and ids that mapped to their entry. */
  lastTime = 0
  mappedIds = 0
  #shift: { from: number; delta: number; count: number } | undefined
  /** The feed's next signed size as last asked (see #mayBeDue). */
  #due: number | undefined
  #dueKnown = false

  constructor(
    readonly source: ReadableStore,
    readonly failures: FailureCollector,
    refTiles: number,
    /** Whether the store's id index is checked (a format-2 reader may hold the log alone). */
    readonly checkIds = true,
  ) {
    this.tiles = new TileWalker(source, failures)
    this.tree = new TreeTracker(source, this.tiles, failures, failures.max)
    this.leaves = new LeafReader(source, refTiles)
  }

  /**
   * Streams entries [0, end) (or until none are left when `end` is unknown). Chunk k + 1 and its
   * tiles are read while chunk k is checked (prefetch.ts): two chunks in memory at most.
   */
  async stream(end: number | undefined, chunk: number, onProgress: ((done: number, total: number) => void) | undefined): Promise<void> {
    await this.#settleDue()
    const range = (from: number): [number, number] => [from, end === undefined ? from + chunk : Math.min(from + chunk, end)]
    let ahead: { from: number; chunk: Promise<Chunk> } | undefined
    while (end === undefined || this.pos < end) {
      const [from, to] = range(this.pos)
      // The read-ahead assumed the last chunk was whole; after missing entries it is dropped.
      const current = await (ahead?.from === from ? ahead.chunk : readChunk(this.source, from, to))
      ahead = end === undefined || to < end ? { from: to, chunk: readChunk(this.source, ...range(to)) } : undefined
      this.tiles.offer(current.tiles)
      const items = current.entries as Partial<StoredEntry>[]
      const scans = this.#scanChunk(items)
      for (let k = 0; k < items.length; k++) {
        const { index, bytes } = items[k] ?? {}
        if (typeof index !== 'number' || index < this.pos || index >= to || !(bytes instanceof Uint8Array)) {
          throw new Error(`readEntries(${this.pos}, ${to}) yielded ${typeof index === 'number' ? `index ${index}` : 'a non-entry'}`)
        }
        if (index > this.pos) await this.#missing(index)
        const step = this.#entry(bytes, scans.entries[k])
        if (step) await step
      }
      await this.#checkIds(scans)
      if (this.pos < to) {
        const next = await firstEntryFrom(this.source, this.pos)
        const stop = next === undefined ? (end ?? this.pos) : Math.min(next, end ?? next)
        if (stop > this.pos) await this.#missing(stop)
        if (next === undefined || (end !== undefined && next >= end)) break
      }
      onProgress?.(this.pos, end ?? this.pos)
    }
    if (end !== undefined && this.pos < end) await this.#missing(end)
  }

  /** Entries [pos, to) are missing: one failure; the tree goes on from stored leaf hashes. */
  async #missing(to: number): Promise<void> {
    const from = this.pos
    this.failures.add({ code: 'AUDIT_ENTRY_MISSING', index: from, message: to - from === 1 ? `entry ${from} is missing` : `entries ${from}..${to - 1} are missing` }, to - from)
    if (to - from > MAX_BRIDGE) this.tree.broken = true
    for (; this.pos < to;) {
      if (this.tree.broken) {
        this.pos = to
        break
      }
      await this.tree.append(this.pos, undefined)
      this.pos++
      if (this.#mayBeDue()) await this.#settleDue()
    }
  }

  /**
   * Scans a chunk's entries up front and starts the read of their ids in the id index, so that
   * the store looks them up while this thread hashes and checks the chunk. Entries whose stored
   * index matches their position are the ones checked against the id index (positions are the
   * stored indices: missing entries move the position on to the next stored one).
   */
  #scanChunk(items: readonly Partial<StoredEntry>[]): ChunkScan {
    const entries: (ScannedEntry | Error)[] = new Array<ScannedEntry | Error>(items.length)
    const ids: string[] = []
    const positions: number[] = []
    for (let k = 0; k < items.length; k++) {
      const { index, bytes } = items[k] ?? {}
      if (typeof index !== 'number' || !(bytes instanceof Uint8Array)) continue
      try {
        const scanned = scanEntry(bytes)
        entries[k] = scanned
        if (scanned.index === index) {
          ids.push(scanned.id)
          positions.push(index)
        }
      } catch (err) {
        entries[k] = err as Error
      }
    }
    let records: Promise<unknown> | undefined
    if (ids.length > 0 && this.checkIds) {
      try {
        records = Promise.resolve(this.source.readIdRecords(ids))
      } catch (err) {
        records = Promise.reject(err)
      }
      records.catch(() => {}) // awaited in #checkIds; unawaited when the chunk stops early
    }
    return { entries, ids, positions, records }
  }

  #entry(bytes: Uint8Array, scan: ScannedEntry | Error | undefined): Step {
    const p = this.pos
    let entry: ScannedEntry | undefined
    if (scan instanceof Error || scan === undefined) {
      const err = scan ?? new Error('not scanned')
      this.failures.fail('AUDIT_ENTRY_CORRUPT', `entry ${p} does not decode (${(err as { code?: string }).code ?? 'error'}: ${err.message})`, { index: p })
    } else {
      entry = scan
    }
    const misplaced = entry !== undefined && entry.index !== p
    const leaf = hashLeaf(bytes)
    const bad = !entry || misplaced
    let checked: Step
    if (entry && misplaced) this.#shifted(p, entry.index)
    else if (entry) checked = this.#checkEntry(p, entry)
    if (checked) return checked.then(() => this.#place(p, leaf, bad))
    return this.#place(p, leaf, bad)
  }

  /** Appends the entry's leaf to the tree, then settles the signed roots due at the new size. */
  #place(p: number, leaf: Uint8Array, bad: boolean): Step {
    const grown = this.tree.append(p, leaf, bad)
    if (grown) return grown.then(() => this.#advance())
    return this.#advance()
  }

  #advance(): Step {
    this.pos++
    return this.#mayBeDue() ? this.#settleDue() : undefined
  }

  /**
   * Entries whose index field is off by the same amount at consecutive positions are one finding
   * (an entry inserted or deleted before them), not one per entry.
   */
  #shifted(p: number, said: number): void {
    this.failures.noteBad(p)
    const run = this.#shift
    if (run && run.from + run.count === p && run.delta === said - p) {
      run.count++
      return
    }
    this.flushShift()
    this.#shift = { from: p, delta: said - p, count: 1 }
  }

  flushShift(): void {
    const run = this.#shift
    if (!run) return
    this.#shift = undefined
    const { from, delta, count } = run
    const message =
      count === 1
        ? `the entry at position ${from} says it is entry ${from + delta}`
        : `entries at positions ${from}..${from + count - 1} say they are ${delta > 0 ? `${delta} later` : `${-delta} earlier`} (an entry was ${delta > 0 ? 'deleted' : 'inserted'} before them)`
    this.failures.add({ code: 'AUDIT_ENTRY_INDEX', index: from, message, expected: String(from), actual: String(from + delta) }, 0)
  }

  #checkEntry(p: number, entry: ScannedEntry): Step {
    if (entry.time < this.lastTime) {
      this.failures.fail('AUDIT_TIME_REGRESSION', `entry ${p} has ledger time ${entry.time}, before ${this.lastTime}`, { index: p }, `>= ${this.lastTime}`, String(entry.time))
    } else {
      this.lastTime = entry.time
    }
    return this.#checkRefs(p, entry, 0)
  }

  /** Checks references from the `from`-th on; waits only for a leaf tile not in the cache. */
  #checkRefs(p: number, entry: ScannedEntry, from: number): Step {
    const refs = entry.refs
    for (let i = from; i < refs.length; i++) {
      const ref = refs[i] as ScannedEntry['refs'][number]
      if (ref.index === undefined || ref.hash === undefined) continue
      if (ref.index >= p) {
        this.failures.fail('AUDIT_REF_MISMATCH', `entry ${p} ref ${ref.name} points to entry ${ref.index}, not an earlier one`, { index: p }, `< ${p}`, String(ref.index))
        continue
      }
      const stored = this.leaves.leaf(ref.index)
      if (stored instanceof Promise) {
        return stored.then((hash) => {
          this.#checkRef(p, ref.name, ref.index as number, ref.hash as Uint8Array, hash)
          return this.#checkRefs(p, entry, i + 1)
        })
      }
      this.#checkRef(p, ref.name, ref.index, ref.hash, stored)
    }
    return undefined
  }

  #checkRef(p: number, name: string, index: number, hash: Uint8Array, stored: Uint8Array | undefined): void {
    const override = this.tree.overrides.get(index)
    if ((stored && bytesEqual(stored, hash)) || (override && bytesEqual(override, hash)) || (!stored && !override)) return
    this.failures.fail('AUDIT_REF_MISMATCH', `entry ${p} ref ${name} binds a hash that is not entry ${index}'s leaf hash`, { index: p }, stored ?? override, hash)
  }

  /**
   * Checks the id index for the entries of a chunk, read in one call (#scanChunk): one store
   * round trip per entry left the audit waiting on I/O most of its time.
   */
  async #checkIds({ ids, positions, records: reading }: ChunkScan): Promise<void> {
    if (!reading) return
    const records: unknown = await reading
    if (!Array.isArray(records) || records.length !== ids.length) throw new Error('readIdRecords answered with the wrong number of records')
    for (let i = 0; i < ids.length; i++) {
      const p = positions[i] as number
      const mapped: unknown = (records[i] as { index?: unknown } | undefined)?.index
      if (mapped === p) this.mappedIds++
      else this.failures.fail('AUDIT_ID_INDEX', `id ${JSON.stringify(ids[i])} of entry ${p} maps to ${String(mapped)}`, { index: p }, String(p), String(mapped))
    }
  }

  /**
   * False when the next signed root is known to be at another size: asking the feed after every
   * entry cost an await per entry for the one entry in ~1000 that has a checkpoint.
   */
  #mayBeDue(): boolean {
    return !this.#dueKnown || this.#due === this.pos
  }

  /** Checks the signed roots due at the current size. */
  async #settleDue(): Promise<void> {
    const size = this.pos
    this.#due = await this.feed.nextSize()
    this.#dueKnown = true
    if (this.#due !== size) return
    this.#dueKnown = false // taking them moves the feed on
    const roots = await this.feed.take(size)
    if (this.tree.broken) return
    await this.#settle(size, roots)
  }

  async #settle(size: number, roots: SignedRoot[]): Promise<void> {
    const first = roots[0]
    if (!first) return
    const from = this.tree.lastGoodSize
    const wasDiverged = this.tree.diverged
    const actual = this.tree.main.root()
    const res = await this.tree.resolve(first.root)
    roots.forEach((r, k) => {
      const ok = k === 0 ? res !== 'mismatch' : bytesEqual(r.root, this.tree.main.root())
      if (ok) this.feed.counts.consistent++
      else if (r.from === 'held') {
        this.failures.add({
          code: 'AUDIT_INCONSISTENT',
          kind: 'fork',
          size,
          message: `fork: a held checkpoint signs another root at size ${size} than the log has`,
          expected: toHex(r.root),
          actual: toHex(actual),
        })
      } else if (!wasDiverged) {
        this.failures.fail('AUDIT_CHECKPOINT_ROOT', `entries in [${from}, ${size}) are not the ones signed at size ${size}`, { index: from, size }, r.root, actual)
      }
    })
  }
}
