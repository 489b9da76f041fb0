/**
 * Witness cosignatures on stored checkpoints (C2SP tlog-cosignature, https://c2sp.org/tlog-cosignature).
 * A witness returns the log's checkpoint with one more signature line; the ledger keeps that
 * version only if it is the same checkpoint: same body, the log's own signature unchanged, and
 * nothing but cosignature lines added. It does not check the cosignatures themselves (the
 * ledger holds no witness keys): an auditor does, with the witnesses' keys it trusts.
 */
import { bytesEqual, LedgerError, openCheckpoint, parseNote, type Checkpoint, type NoteSignature, type NoteVerifier } from '@liuhen/core'

/** Length of a cosignature/v1 signature after the key ID: timestamp (8) and Ed25519 (64). */
const COSIGNATURE_LENGTH = 72

const sameLine = (a: NoteSignature, b: NoteSignature): boolean => a.name === b.name && a.keyId === b.keyId && bytesEqual(a.signature, b.signature)

const sameKey = (a: NoteSignature, b: NoteSignature): boolean => a.name === b.name && a.keyId === b.keyId

function mismatch(message: string, details: Record<string, unknown> = {}): LedgerError {
  return new LedgerError('CHECKPOINT_MISMATCH', message, details)
}

/**
 * Checks that `note` is `stored` (a checkpoint note signed by `log`) with cosignature lines
 * added, and returns its checkpoint. Precondition: `stored` is the note the ledger signed at
 * that size. Allowed: new lines of other keys with a 72-byte cosignature/v1 signature, and a
 * witness's line replaced by a newer one of the same key (as `cosignCheckpoint` does). Refused
 * with `CHECKPOINT_MISMATCH`: another body, the log's signature changed or missing, a stored
 * line dropped, a new line by the log's key, a new line that is not a cosignature. Throws the
 * parse and signature codes of `openCheckpoint` (`NOTE_*`, `CHECKPOINT_*`) for a bad note.
 *
 * @example checkCosignedVersion(stored.text, cosignedByWitness, verifierFromKey(ledger.vkey))
 */
export function checkCosignedVersion(stored: string, note: string, log: NoteVerifier): Checkpoint {
  const { checkpoint, note: added } = openCheckpoint(note, log)
  const before = parseNote(stored)
  if (added.text !== before.text) throw mismatch(`the note's checkpoint body is not the stored checkpoint at size ${checkpoint.size}`, { size: checkpoint.size })
  const isLog = (s: NoteSignature): boolean => s.name === log.name && s.keyId === log.keyId
  for (const old of before.signatures) {
    if (added.signatures.some((s) => sameLine(s, old))) continue
    // A witness may renew its own cosignature; the log's line and others' lines must stay.
    if (isLog(old) || !added.signatures.some((s) => sameKey(s, old))) {
      throw mismatch(`the note drops the signature of ${old.name} on the stored checkpoint at size ${checkpoint.size}`, { size: checkpoint.size, name: old.name })
    }
  }
  for (const line of added.signatures) {
    if (before.signatures.some((s) => sameLine(s, line))) continue
    if (isLog(line)) throw mismatch(`the note holds another signature of the log's own key at size ${checkpoint.size}`, { size: checkpoint.size })
    if (line.signature.length !== COSIGNATURE_LENGTH) {
      throw mismatch(`the line of ${line.name} is not a cosignature/v1 (${line.signature.length} bytes, not ${COSIGNATURE_LENGTH})`, { size: checkpoint.size, name: line.name })
    }
  }
  return checkpoint
}
