/**
 * The witness part of an audit: the latest stored checkpoint that a quorum of witnesses cosigned.
 * The log goes on growing after a witness cosigns (an auditor's own recorded question is an
 * entry too), so the quorum is asked of the largest cosigned checkpoint, not of the latest one;
 * that checkpoint must be consistent with the log, and the entries beyond it are reported.
 */
import { bytesEqual, formatLedgerTime, openCheckpoint, verifierFromKey, verifyConsistency, verifyCosignatures, type Checkpoint, type NoteVerifier, type ReadableStore } from '@liuhen/core'
import type { AuditReport } from '../codes.js'
import type { FailureCollector } from './collector.js'
import { consistencyProofFromStore } from '../nodes.js'

/** What the witnesses vouch for, as the report shows it. */
export type WitnessResult = NonNullable<AuditReport['witnesses']>

interface Judged {
  checkpoint: Checkpoint
  names: string[]
  /** POSIX seconds of each valid cosignature, ascending. */
  times: number[]
}

/** Why a stored note counts for nothing; `forged` when a listed witness's cosignature on it is bad. */
interface Rejected {
  why: string
  forged?: { size: number }
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/** A stored note opened with the log's key and its valid witness cosignatures, or why not. */
function judge(text: unknown, log: NoteVerifier, origin: string, witnesses: readonly NoteVerifier[]): Judged | Rejected {
  if (typeof text !== 'string') return { why: 'the store holds no checkpoint' }
  let checkpoint: Checkpoint
  try {
    checkpoint = openCheckpoint(text, log, { origin }).checkpoint
  } catch (err) {
    return { why: messageOf(err) } // the checkpoint audit reports a bad log signature
  }
  try {
    const cosigs = verifyCosignatures(text, witnesses)
    return { checkpoint, names: cosigs.map((c) => c.name), times: cosigs.map((c) => c.timestamp).sort((a, b) => a - b) }
  } catch (err) {
    return { why: messageOf(err), forged: { size: checkpoint.size } }
  }
}

/** Options of {@link checkWitnessed}. */
export interface WitnessedOptions {
  log: NoteVerifier
  origin: string
  witnesses: readonly string[]
  quorum: number
  /** Size of the log as audited: the entries beyond the witnessed checkpoint are counted to it. */
  size: number
  /** Stored checkpoints read at most (a lying store could list them for ever). */
  limit: number
  /**
   * The latest signed checkpoint, when the caller has not checked every stored checkpoint
   * against the entries (the incremental audit): the witnessed one is then proven consistent
   * with it from the stored tiles.
   */
  latest?: Checkpoint
}

/**
 * Finds the largest stored checkpoint, signed by the log, with at least `quorum` valid
 * cosignatures of `witnesses`; reports `AUDIT_WITNESS_QUORUM` when there is none, and
 * `AUDIT_INCONSISTENT` when `latest` is given and does not extend it.
 */
export async function checkWitnessed(source: ReadableStore, o: WitnessedOptions, failures: FailureCollector): Promise<WitnessResult> {
  const verifiers = o.witnesses.map(verifierFromKey)
  // A cosignature by a listed witness that does not verify is never passed over: someone made it.
  const forged = new Set<number>()
  const judged = (text: unknown): Judged | Rejected => {
    const j = judge(text, o.log, o.origin, verifiers)
    if ('why' in j && j.forged && !forged.has(j.forged.size)) {
      forged.add(j.forged.size)
      failures.fail('AUDIT_WITNESS_QUORUM', `the checkpoint at size ${j.forged.size} carries a witness cosignature that does not verify (${j.why})`, { size: j.forged.size })
    }
    return j
  }
  const onLatest = judged((await source.readLatestCheckpoint())?.text)
  let best = 'names' in onLatest && onLatest.names.length >= o.quorum ? onLatest : undefined
  if (!best) {
    // Ascending sizes: the last that meets the quorum is the largest.
    let seen = 0
    for await (const stored of source.readCheckpoints()) {
      if (++seen > o.limit) {
        failures.fail('AUDIT_STORE_ERROR', `the store lists more than ${o.limit} checkpoints; the rest were not searched for cosignatures`)
        break
      }
      const j = judged((stored as { text?: unknown } | undefined)?.text)
      if ('names' in j && j.names.length >= o.quorum && (!best || j.checkpoint.size >= best.checkpoint.size)) best = j
    }
  }
  if (!best) {
    const valid = 'names' in onLatest ? onLatest.names.length : 0
    const why = 'why' in onLatest ? ` (${onLatest.why})` : ''
    failures.fail('AUDIT_WITNESS_QUORUM', `no stored checkpoint has ${o.quorum} valid witness cosignatures; the latest has ${valid}${why}`, {}, String(o.quorum), String(valid))
    return { valid, quorum: o.quorum, names: 'names' in onLatest ? onLatest.names : [] }
  }
  const { checkpoint } = best
  if (o.latest) checkConsistent(checkpoint, o.latest, await proofOrWhy(source, checkpoint.size, o.latest.size), failures)
  // When the quorum was reached: the quorum-th cosignature in time.
  const reached = o.quorum > 0 ? best.times[o.quorum - 1] : undefined
  return {
    valid: best.names.length,
    quorum: o.quorum,
    names: best.names,
    size: checkpoint.size,
    beyond: Math.max(0, o.size - checkpoint.size),
    ...(reached === undefined ? {} : { cosignedAt: formatLedgerTime(reached * 1000) }),
  }
}

async function proofOrWhy(source: ReadableStore, size1: number, size2: number): Promise<Uint8Array[] | string> {
  if (size1 === 0 || size1 >= size2) return []
  try {
    return await consistencyProofFromStore(source, size1, size2)
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

/** The latest checkpoint must extend the witnessed one. */
function checkConsistent(witnessed: Checkpoint, latest: Checkpoint, proof: Uint8Array[] | string, failures: FailureCollector): void {
  const fail = (kind: 'fork' | 'rollback' | 'truncation', why: string): void =>
    failures.add({ code: 'AUDIT_INCONSISTENT', kind, size: witnessed.size, message: `${kind}: the witnessed checkpoint at size ${witnessed.size} ${why}` })
  if (witnessed.size > latest.size) return fail('rollback', `is beyond the log's latest at ${latest.size}`)
  if (witnessed.size === latest.size) return void (bytesEqual(witnessed.root, latest.root) || fail('fork', 'has another root than the latest checkpoint at that size'))
  if (witnessed.size === 0) return
  if (typeof proof === 'string') return fail('truncation', `cannot be proven a prefix of ${latest.size} from the stored tiles: ${proof}`)
  try {
    verifyConsistency(witnessed.size, latest.size, proof, witnessed.root, latest.root)
  } catch {
    fail('fork', `is not extended by the log's latest checkpoint at ${latest.size}`)
  }
}
