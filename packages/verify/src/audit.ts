/**
 * The full audit: streams every entry once and checks everything the store holds against the
 * entries and the signatures. See the README for what is checked and the memory bound.
 */
import { EMPTY_ROOT, bytesEqual, decodeEntry, hashLeaf, toHex, type Entry, type ReadableStore, type StoredEntry, type TreeHead } from '@liuhen/core'
import type { AuditReport } from './codes.js'
import { toVerifier, type PinnedKey } from './key.js'
import { CheckpointFeed, type SignedRoot } from './internal/checkpoints.js'
import { FailureCollector } from './internal/collector.js'
import { checkExtraTiles, checkQuorum, countIds, findExtraIds } from './internal/extras.js'
import { LeafReader, TileWalker } from './internal/tiles.js'
import { TreeTracker } from './internal/tree.js'
import { firstEntryFrom, validHead } from './internal/reads.js'
import { readChunk, type Chunk } from './internal/prefetch.js'

/** Options of {@link auditLog}. */
export interface AuditOptions {
  /** The log's key, pinned by the auditor (not read from the store). */
  key: PinnedKey
  /** Expected origin; defaults to the key's name. */
  origin?: string
  /** Signed checkpoints the auditor held before (note text); each must be consistent with the log. */
  checkpoints?: readonly string[]
  /** Witness vkeys (type 0x04) whose cosignatures count toward `quorum`. */
  witnesses?: readonly string[]
  /** Valid cosignatures required on the latest checkpoint; defaults to all `witnesses`. */
  quorum?: number
  /** Entries read per `readEntries` call (default 1024). */
  chunkSize?: number
  /** Failures listed in the report at most (default 1000); more are counted in `failuresOmitted`. */
  maxFailures?: number
  /** Level-0 tiles cached for reading back referenced leaf hashes (default 64, 8 KiB each). */
  refTileCache?: number
  /** Called after each chunk with entries done and the head's size. */
  onProgress?(done: number, total: number): void
}

/** Runs of missing entries longer than this are not bridged with stored leaf hashes. */
const MAX_BRIDGE = 1 << 16

/**
 * Audits a whole log from an untrusted store, in O(n) time and bounded memory: every entry is
 * read, decoded and hashed; the tree is recomputed and compared with every stored tile node,
 * the head and every stored checkpoint (signature by the pinned key, root at its size); every
 * resolved reference and the id index are checked; held checkpoints must be consistent. Never
 * throws for what it finds (only `KEY_MALFORMED` for a bad `key`, `RangeError` for bad options).
 *
 * @example
 * const report = await auditLog(store, { key: vkey, checkpoints: [heldNote] })
 * if (!report.ok) console.log(formatReport(report))
 */
export async function auditLog(source: ReadableStore, options: AuditOptions): Promise<AuditReport> {
  const started = performance.now()
  const verifier = toVerifier(options.key)
  const witnesses = options.witnesses ?? []
  const quorum = options.quorum ?? witnesses.length
  const chunk = options.chunkSize ?? 1024
  if (!Number.isSafeInteger(chunk) || chunk < 1) throw new RangeError('chunkSize must be a positive integer')
  if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > witnesses.length) throw new RangeError('quorum must be between 0 and the number of witnesses')
  const failures = new FailureCollector(options.maxFailures ?? 1000)
  const origin = options.origin ?? verifier.name
  const run = new AuditRun(source, failures, options.refTileCache ?? 64)
  let size = 0
  let root: string | undefined
  let witnessResult: AuditReport['witnesses']
  let feed: CheckpointFeed | undefined
  try {
    const meta = await source.readMeta()
    if (!meta || meta.vkey !== verifier.vkey || meta.origin !== origin) {
      failures.fail('AUDIT_META_MISMATCH', meta ? "the ledger's meta names another key or origin" : 'the store holds no meta record', {}, `${origin} ${verifier.vkey}`, meta ? `${meta.origin} ${meta.vkey}` : 'none')
    }
    const rawHead = await source.readHead()
    let head = validHead(rawHead)
    if (rawHead === undefined && (await firstEntryFrom(source, 0)) === undefined) {
      head = { size: 0, root: EMPTY_ROOT, time: 0, frontier: [] } // a new ledger: nothing committed yet
    } else if (!head) {
      failures.fail('AUDIT_HEAD_MISMATCH', 'the store holds no valid head; auditing the entries it has')
    }
    feed = new CheckpointFeed(source, verifier, origin, options.checkpoints ?? [], failures, (head?.size ?? 0) + 1 + 10_000)
    run.feed = feed
    await run.stream(head?.size, chunk, options.onProgress)
    size = run.pos
    await run.afterStream(head)
    if (!run.tree.broken) root = toHex(run.tree.main.root())
    if (witnesses.length > 0) witnessResult = checkQuorum((await source.readLatestCheckpoint())?.text, witnesses, quorum, failures)
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code
    failures.fail('AUDIT_STORE_ERROR', `reading the store failed at entry ${run.pos}${typeof code === 'string' ? ` (${code})` : ''}: ${err instanceof Error ? err.message : String(err)}`, { index: run.pos })
    size = run.pos
  }
  const list = failures.sorted()
  const firstBad = list.find((f) => f.index !== undefined)?.index
  const report: AuditReport = {
    ok: failures.count === 0,
    mode: 'full',
    origin,
    size,
    entries: { checked: size, valid: Math.max(0, size - failures.badEntries) },
    checkpoints: feed ? { ...feed.counts } : { checked: 0, consistent: 0 },
    failures: list,
    failuresOmitted: failures.omitted,
    durationMs: Math.round(performance.now() - started),
  }
  if (root !== undefined) report.root = root
  if (witnessResult) report.witnesses = witnessResult
  if (firstBad !== undefined) report.firstBadIndex = firstBad
  return report
}

/** One audit's state while it streams; internal. */
class AuditRun {
  pos = 0
  feed!: CheckpointFeed
  readonly tiles: TileWalker
  readonly tree: TreeTracker
  readonly leaves: LeafReader
  #lastTime = 0
  #mappedIds = 0
  #pendingIds: { id: string; p: number }[] = []
  #shift: { from: number; delta: number; count: number } | undefined
  /** The feed's next signed size as last asked (see #mayBeDue). */
  #due: number | undefined
  #dueKnown = false

  constructor(
    readonly source: ReadableStore,
    readonly failures: FailureCollector,
    refTiles: number,
  ) {
    this.tiles = new TileWalker(source, failures)
    this.tree = new TreeTracker(source, this.tiles, failures, failures.max)
    this.leaves = new LeafReader(source, refTiles)
  }

  /**
   * Streams entries [0, end) (or until none are left when `end` is unknown). Chunk k + 1 and its
   * tiles are read while chunk k is checked (internal/prefetch.ts): two chunks in memory at most.
   */
  async stream(end: number | undefined, chunk: number, onProgress: AuditOptions['onProgress']): Promise<void> {
    await this.#settleDue()
    const range = (from: number): [number, number] => [from, end === undefined ? from + chunk : Math.min(from + chunk, end)]
    let ahead: { from: number; chunk: Promise<Chunk> } | undefined
    while (end === undefined || this.pos < end) {
      const [from, to] = range(this.pos)
      // The read-ahead assumed the last chunk was whole; after missing entries it is dropped.
      const current = await (ahead?.from === from ? ahead.chunk : readChunk(this.source, from, to))
      ahead = end === undefined || to < end ? { from: to, chunk: readChunk(this.source, ...range(to)) } : undefined
      this.tiles.offer(current.tiles)
      for (const item of current.entries as Partial<StoredEntry>[]) {
        const { index, bytes } = item ?? {}
        if (typeof index !== 'number' || index < this.pos || index >= to || !(bytes instanceof Uint8Array)) {
          throw new Error(`readEntries(${this.pos}, ${to}) yielded ${typeof index === 'number' ? `index ${index}` : 'a non-entry'}`)
        }
        if (index > this.pos) await this.#missing(index)
        await this.#entry(bytes)
      }
      await this.flushIds()
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
    for (; this.pos < to; ) {
      if (this.tree.broken) {
        this.pos = to
        break
      }
      await this.tree.append(this.pos, undefined)
      this.pos++
      if (this.#mayBeDue()) await this.#settleDue()
    }
  }

  async #entry(bytes: Uint8Array): Promise<void> {
    const p = this.pos
    let entry: Entry | undefined
    try {
      entry = decodeEntry(bytes)
    } catch (err) {
      this.failures.fail('AUDIT_ENTRY_CORRUPT', `entry ${p} does not decode (${(err as { code?: string }).code ?? 'error'}: ${(err as Error).message})`, { index: p })
    }
    const misplaced = entry !== undefined && entry.index !== p
    if (entry && misplaced) this.#shifted(p, entry.index)
    else if (entry) await this.#checkEntry(p, entry)
    await this.tree.append(p, hashLeaf(bytes), !entry || misplaced)
    this.pos++
    if (this.#mayBeDue()) await this.#settleDue()
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

  async #checkEntry(p: number, entry: Entry): Promise<void> {
    if (entry.time < this.#lastTime) {
      this.failures.fail('AUDIT_TIME_REGRESSION', `entry ${p} has ledger time ${entry.time}, before ${this.#lastTime}`, { index: p }, `>= ${this.#lastTime}`, String(entry.time))
    } else {
      this.#lastTime = entry.time
    }
    for (const ref of entry.refs) {
      if (ref.index === undefined || ref.hash === undefined) continue
      if (ref.index >= p) {
        this.failures.fail('AUDIT_REF_MISMATCH', `entry ${p} ref ${ref.name} points to entry ${ref.index}, not an earlier one`, { index: p }, `< ${p}`, String(ref.index))
        continue
      }
      const stored = await this.leaves.leaf(ref.index)
      const override = this.tree.overrides.get(ref.index)
      if ((stored && bytesEqual(stored, ref.hash)) || (override && bytesEqual(override, ref.hash)) || (!stored && !override)) continue
      this.failures.fail('AUDIT_REF_MISMATCH', `entry ${p} ref ${ref.name} binds a hash that is not entry ${ref.index}'s leaf hash`, { index: p }, stored ?? override, ref.hash)
    }
    this.#pendingIds.push({ id: entry.event.id, p })
  }

  /**
   * Checks the id index for the entries of a chunk in one read: one store round trip per entry
   * left the audit waiting on I/O most of its time.
   */
  async flushIds(): Promise<void> {
    const pending = this.#pendingIds
    if (pending.length === 0) return
    this.#pendingIds = []
    const records: unknown = await this.source.readIdRecords(pending.map((x) => x.id))
    if (!Array.isArray(records) || records.length !== pending.length) throw new Error('readIdRecords answered with the wrong number of records')
    for (const [i, { id, p }] of pending.entries()) {
      const mapped: unknown = (records[i] as { index?: unknown } | undefined)?.index
      if (mapped === p) this.#mappedIds++
      else this.failures.fail('AUDIT_ID_INDEX', `id ${JSON.stringify(id)} of entry ${p} maps to ${String(mapped)}`, { index: p }, String(p), String(mapped))
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
        this.failures.add({ code: 'AUDIT_INCONSISTENT', kind: 'fork', size, message: `fork: a held checkpoint signs another root at size ${size} than the log has`, expected: toHex(r.root), actual: toHex(actual) })
      } else if (!wasDiverged) {
        this.failures.fail('AUDIT_CHECKPOINT_ROOT', `entries in [${from}, ${size}) are not the ones signed at size ${size}`, { index: from, size }, r.root, actual)
      }
    })
  }

  /** Checks after the stream: leftover checkpoints, extra entries, head, tiles, id index. */
  async afterStream(head: TreeHead | undefined): Promise<void> {
    const n = this.pos
    this.flushShift()
    this.tree.settleUnsigned()
    for (const r of await this.feed.rest()) {
      const kind = r.from === 'stored' || (head && head.size >= r.size) ? 'truncation' : 'rollback'
      const what = r.from === 'stored' ? 'the store holds a checkpoint' : 'a held checkpoint is'
      this.failures.add({ code: 'AUDIT_INCONSISTENT', kind, size: r.size, message: `${kind}: ${what} signed at size ${r.size}, but the log has ${n} entries` })
    }
    if (head) {
      const extra = await firstEntryFrom(this.source, head.size)
      if (extra !== undefined) this.failures.fail('AUDIT_ENTRY_UNEXPECTED', `entry ${extra} is stored beyond the head's size ${head.size}`, { index: extra })
      if (!this.tree.broken) this.#checkHead(head)
    }
    if (this.feed.latestStored?.size !== n && !this.tree.broken && n > 0) {
      this.failures.fail('AUDIT_CHECKPOINT_MISSING', `no checkpoint signed by the key at the tree size ${n}`, { size: n }, String(n), String(this.feed.latestStored?.size ?? 'none'))
    }
    if (!this.tree.broken) await checkExtraTiles(this.source, n, this.failures, 4 * n + 64)
    if ((await countIds(this.source, n)) !== this.#mappedIds) await findExtraIds(this.source, n, this.failures, n + 10_000)
  }

  #checkHead(head: TreeHead): void {
    const range = this.tree.main
    const fail = (what: string, expected: string, actual: string): void => this.failures.fail('AUDIT_HEAD_MISMATCH', `the head's ${what} differs from the recomputed tree`, { size: head.size }, expected, actual)
    if (head.size !== range.size) fail('size', String(range.size), String(head.size))
    if (!bytesEqual(head.root, range.root())) fail('root', toHex(range.root()), toHex(head.root))
    if (!this.failures.isBad(range.size - 1) && head.time !== this.#lastTime) fail('time', String(this.#lastTime), String(head.time))
    const want = range.hashes
    const same = head.frontier.length === want.length && want.every((h, i) => head.frontier[i] instanceof Uint8Array && bytesEqual(h, head.frontier[i] as Uint8Array))
    if (!same) fail('frontier', want.map(toHex).join(','), head.frontier.map((h) => (h instanceof Uint8Array ? toHex(h) : '?')).join(','))
  }
}
