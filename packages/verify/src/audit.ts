/**
 * The full audit: streams every entry once and checks everything the store holds against the
 * entries and the signatures. See the README for what is checked and the memory bound.
 */
import { EMPTY_ROOT, toHex, type ReadableStore } from '@liuhen/core'
import type { AuditReport } from './codes.js'
import { toVerifier, type PinnedKey } from './key.js'
import { CheckpointFeed } from './internal/checkpoints.js'
import { FailureCollector } from './internal/collector.js'
import { finishAudit } from './internal/finish.js'
import { firstEntryFrom, validHead } from './internal/reads.js'
import { AuditRun } from './internal/run.js'
import { checkWitnessed } from './internal/witnessed.js'

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
  /** Valid cosignatures required on a checkpoint (the largest so cosigned counts); defaults to all `witnesses`. */
  quorum?: number
  /** Entries read per `readEntries` call (default 1024). */
  chunkSize?: number
  /** Failures listed in the report at most (default 1000); more are counted in `failuresOmitted`. */
  maxFailures?: number
  /** Level-0 tiles cached for reading back referenced leaf hashes (default 64, 8 KiB each). */
  refTileCache?: number
  /**
   * Check the id index against the entries (default true). Off for a reader of a format-2 log
   * alone: its index is derived data, kept apart, that a reader need not open.
   */
  ids?: boolean
  /** Called after each chunk with entries done and the head's size. */
  onProgress?(done: number, total: number): void
}

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
  const run = new AuditRun(source, failures, options.refTileCache ?? 64, options.ids ?? true)
  let size: number
  let root: string | undefined
  let witnessResult: AuditReport['witnesses']
  let feed: CheckpointFeed | undefined
  try {
    const meta = await source.readMeta()
    if (!meta || meta.vkey !== verifier.vkey || meta.origin !== origin) {
      failures.fail(
        'AUDIT_META_MISMATCH',
        meta ? "the ledger's meta names another key or origin" : 'the store holds no meta record',
        {},
        `${origin} ${verifier.vkey}`,
        meta ? `${meta.origin} ${meta.vkey}` : 'none',
      )
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
    await finishAudit(run, head)
    if (!run.tree.broken) root = toHex(run.tree.main.root())
    // Every stored checkpoint was checked against the entries above: the witnessed one too.
    if (witnesses.length > 0) witnessResult = await checkWitnessed(source, { log: verifier, origin, witnesses, quorum, size, limit: size + 1 + 10_000 }, failures)
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code
    // A store error that names the entry it failed at (a damaged entry bundle, a tile missing
    // under a node) is more precise than the start of the chunk being read.
    const named = (err as { details?: { index?: unknown } } | null)?.details?.index
    const at = typeof named === 'number' && Number.isSafeInteger(named) && named > run.pos ? named : run.pos
    failures.fail('AUDIT_STORE_ERROR', `reading the store failed at entry ${at}${typeof code === 'string' ? ` (${code})` : ''}: ${err instanceof Error ? err.message : String(err)}`, {
      index: at,
    })
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
