/**
 * The incremental audit: for each checkpoint the auditor holds, a consistency proof from it to
 * the log's latest signed checkpoint, computed from the stored tiles. O(k log n) reads for k held
 * checkpoints; no entry is read. Catches rollback, truncation and forks (even ones signed with
 * the log's own key), not changes to entries: that is the full audit's work.
 */
import { EMPTY_ROOT, bytesEqual, toHex, verifyConsistency, type Checkpoint, type ReadableStore, type TreeHead } from '@liuhen/core'
import type { AuditReport, InconsistencyKind } from './codes.js'
import { toVerifier, type PinnedKey } from './key.js'
import { openSigned } from './internal/checkpoints.js'
import { FailureCollector } from './internal/collector.js'
import { checkWitnessed } from './internal/witnessed.js'
import { consistencyProofFromStore, rootFromStore } from './nodes.js'

/** Options of {@link auditIncremental}. */
export interface IncrementalOptions {
  /** The log's key, pinned by the auditor. */
  key: PinnedKey
  /** Expected origin; defaults to the key's name. */
  origin?: string
  /** Signed checkpoints the auditor holds (note text). */
  checkpoints: readonly string[]
  /** Witness vkeys (type 0x04) whose cosignatures count toward `quorum`. */
  witnesses?: readonly string[]
  /** Valid cosignatures required on a checkpoint (the largest so cosigned counts); defaults to all `witnesses`. */
  quorum?: number
}

/**
 * Checks that every held checkpoint is a prefix of the log's latest signed checkpoint, with a
 * consistency proof derived from the stored tiles and verified against both signed roots, and
 * that the tiles and head hold that latest tree. Never throws for what it finds.
 *
 * @example
 * const report = await auditIncremental(store, { key: vkey, checkpoints: [lastMonthsNote] })
 */
export async function auditIncremental(source: ReadableStore, options: IncrementalOptions): Promise<AuditReport> {
  const started = performance.now()
  const verifier = toVerifier(options.key)
  const origin = options.origin ?? verifier.name
  const witnesses = options.witnesses ?? []
  const quorum = options.quorum ?? witnesses.length
  if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > witnesses.length) throw new RangeError('quorum must be between 0 and the number of witnesses')
  const failures = new FailureCollector(1000)
  const counts = { checked: 0, consistent: 0 }
  let latest: Checkpoint | undefined
  let witnessResult: AuditReport['witnesses']
  try {
    // The head is read once, first: a log another process is appending to (format 2) serves the
    // later reads from the checkpoint this read took, where a second read could see a newer one.
    const head = (await source.readHead()) as TreeHead | undefined
    const stored = await source.readLatestCheckpoint()
    counts.checked++
    latest = stored ? openSigned(stored.text, verifier, origin, failures, 'the latest stored checkpoint', stored.size) : undefined
    if (!stored) failures.fail('AUDIT_CHECKPOINT_MISSING', 'the store holds no checkpoint')
    if (latest) {
      if (await checkLatest(source, latest, head, failures)) counts.consistent++
      options.checkpoints.forEach(() => counts.checked++)
      for (const [i, text] of options.checkpoints.entries()) {
        const held = openSigned(text, verifier, origin, failures, `held checkpoint #${i + 1}`)
        if (held && (await checkHeld(source, held, latest, head, failures))) counts.consistent++
      }
      if (witnesses.length > 0) witnessResult = await checkWitnessed(source, { log: verifier, origin, witnesses, quorum, size: latest.size, limit: latest.size + 1 + 10_000, latest }, failures)
    }
  } catch (err) {
    failures.fail('AUDIT_STORE_ERROR', `reading the store failed: ${err instanceof Error ? err.message : String(err)}`)
  }
  const report: AuditReport = {
    ok: failures.count === 0,
    mode: 'incremental',
    origin,
    size: latest?.size ?? 0,
    entries: { checked: 0, valid: 0 },
    checkpoints: counts,
    failures: failures.sorted(),
    failuresOmitted: failures.omitted,
    durationMs: Math.round(performance.now() - started),
  }
  if (latest) report.root = toHex(latest.root)
  if (witnessResult) report.witnesses = witnessResult
  const firstBad = report.failures.find((f) => f.index !== undefined)?.index
  if (firstBad !== undefined) report.firstBadIndex = firstBad
  return report
}

/** The tiles and the head must hold the latest signed tree. */
async function checkLatest(source: ReadableStore, latest: Checkpoint, head: Partial<TreeHead> | undefined, failures: FailureCollector): Promise<boolean> {
  let ok = true
  try {
    const root = await rootFromStore(source, latest.size)
    if (!bytesEqual(root, latest.root)) {
      ok = false
      failures.fail('AUDIT_NODE_MISMATCH', `the stored tiles give another root at size ${latest.size} than the latest checkpoint`, { size: latest.size }, latest.root, root)
    }
  } catch (err) {
    ok = false
    failures.fail('AUDIT_NODE_MISMATCH', `the stored tiles cannot give the root at size ${latest.size}: ${(err as Error).message}`, { size: latest.size })
  }
  if (!head || head.size !== latest.size || !(head.root instanceof Uint8Array) || !bytesEqual(head.root, latest.root)) {
    failures.fail(
      'AUDIT_HEAD_MISMATCH',
      `the head is not the latest signed checkpoint (size ${String(head?.size)})`,
      { size: latest.size },
      `${latest.size} ${toHex(latest.root)}`,
      `${String(head?.size)} ${head?.root instanceof Uint8Array ? toHex(head.root) : '?'}`,
    )
  }
  return ok
}

async function checkHeld(source: ReadableStore, held: Checkpoint, latest: Checkpoint, head: TreeHead | undefined, failures: FailureCollector): Promise<boolean> {
  const inconsistent = (kind: InconsistencyKind, message: string): false => {
    failures.add({ code: 'AUDIT_INCONSISTENT', kind, size: held.size, message: `${kind}: ${message}`, expected: toHex(held.root), actual: toHex(latest.root) })
    return false
  }
  if (held.size > latest.size) {
    const kind = head && Number(head.size) >= held.size ? 'truncation' : 'rollback'
    return inconsistent(kind, `the auditor holds a checkpoint at size ${held.size}; the log's latest is at ${latest.size}`)
  }
  if (held.size === 0) return bytesEqual(held.root, EMPTY_ROOT) || inconsistent('fork', 'a held checkpoint of the empty tree has a non-empty root')
  if (held.size === latest.size) {
    return bytesEqual(held.root, latest.root) || inconsistent('fork', `two checkpoints signed at size ${held.size} with different roots`)
  }
  let proof: Uint8Array[]
  try {
    proof = await consistencyProofFromStore(source, held.size, latest.size)
  } catch (err) {
    return inconsistent('truncation', `the stored tiles cannot prove size ${held.size} is a prefix of ${latest.size}: ${(err as Error).message}`)
  }
  try {
    verifyConsistency(held.size, latest.size, proof, held.root, latest.root)
    return true
  } catch (err) {
    return inconsistent('fork', `the log at size ${latest.size} does not extend the held checkpoint at size ${held.size} (${(err as { code?: string }).code ?? 'error'})`)
  }
}
