/**
 * A witness step (C2SP tlog-witness, https://c2sp.org/tlog-witness): check a log's new
 * checkpoint against the last one this witness cosigned and cosign it (C2SP tlog-cosignature).
 * Pure: the caller keeps the state, and must persist `state` before publishing `cosigned`.
 */
import { bytesEqual, cosignCheckpoint, openCheckpoint, verifierFromKey, verifyConsistency, type NoteCosigner } from '@liuhen/core'
import { VerifyError } from './error.js'

/** What a witness remembers of one log. */
export interface WitnessState {
  /** The log's origin line. */
  origin: string
  /** The log's verifier key. */
  vkey: string
  /** The last checkpoint note this witness cosigned, if any. */
  last?: string
}

/**
 * Verifies `newNote` (signed by the log's key, with the state's origin) and its consistency
 * with `state.last` using `consistencyProof` (RFC 9162 hashes), then cosigns it at `timestamp`
 * (POSIX seconds). From an empty or absent last checkpoint any new one is consistent, with an
 * empty proof, as tlog-witness says. Refuses: `NOTE_UNVERIFIED` / `NOTE_MALFORMED` /
 * `CHECKPOINT_MALFORMED` / `CHECKPOINT_ORIGIN_MISMATCH` (bad checkpoint), `WITNESS_ROLLBACK`
 * (smaller than the last one), `WITNESS_FORK` (same size, other root), `WITNESS_PROOF_INVALID`
 * (the proof does not verify: a fork, or a bad proof).
 *
 * @example
 * const { cosigned, state: next } = witnessCheckpoint(state, note, proof, cosignerFromKey(skey), Math.floor(Date.now() / 1000))
 */
export function witnessCheckpoint(state: WitnessState, newNote: string, consistencyProof: readonly Uint8Array[], cosigner: NoteCosigner, timestamp: number): { cosigned: string; state: WitnessState } {
  const verifier = verifierFromKey(state.vkey)
  const { checkpoint: next } = openCheckpoint(newNote, verifier, { origin: state.origin })
  const old = state.last === undefined ? undefined : openCheckpoint(state.last, verifier, { origin: state.origin }).checkpoint
  const oldSize = old?.size ?? 0
  const details = { oldSize, newSize: next.size }
  if (next.size < oldSize) throw new VerifyError('WITNESS_ROLLBACK', `checkpoint at size ${next.size} is older than the last cosigned (${oldSize})`, details)
  if (old && oldSize === next.size && !bytesEqual(old.root, next.root)) {
    throw new VerifyError('WITNESS_FORK', `two checkpoints at size ${next.size} with different roots`, details)
  }
  if (oldSize === 0 || oldSize === next.size) {
    if (consistencyProof.length !== 0) throw new VerifyError('WITNESS_PROOF_INVALID', `a proof from size ${oldSize} to ${next.size} must be empty`, details)
  } else {
    try {
      verifyConsistency(oldSize, next.size, consistencyProof, (old as { root: Uint8Array }).root, next.root)
    } catch (cause) {
      throw new VerifyError('WITNESS_PROOF_INVALID', `no consistency from size ${oldSize} to ${next.size}`, details, { cause })
    }
  }
  const cosigned = cosignCheckpoint(newNote, cosigner, timestamp)
  return { cosigned, state: { origin: state.origin, vkey: state.vkey, last: newNote } }
}
