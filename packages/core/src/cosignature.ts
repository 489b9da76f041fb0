/**
 * C2SP tlog-cosignature v1 (https://c2sp.org/tlog-cosignature): a witness's timestamped Ed25519
 * signature (key type 0x04) on a checkpoint, carried as one more signature line of the note.
 * The witness signs `cosignature/v1\ntime <timestamp>\n<checkpoint body>`; the line holds
 * key ID (4) || timestamp (8, big-endian) || Ed25519 signature (64).
 */
import { utf8 } from './bytes.js'
import { parseCheckpoint } from './checkpoint.js'
import { LedgerError } from './error.js'
import { SIG_TYPE_COSIGNATURE_V1, cosignedMessageBytes, keyTypeOf, type NoteCosigner, type NoteVerifier } from './keys.js'
import { formatNote, parseNote } from './note.js'

/** A cosignature of a known witness that verified. */
export interface VerifiedCosignature {
  /** Witness (cosigner) name. */
  name: string
  /** Witness key ID (type 0x04). */
  keyId: number
  /** When the witness cosigned, POSIX seconds. */
  timestamp: number
}

/**
 * The exact bytes a witness signs for `checkpointBody` at `timestamp` (POSIX seconds, a safe
 * integer >= 0; `RangeError` otherwise): `cosignature/v1\ntime <ts>\n<body>`. The body must be a
 * checkpoint (`CHECKPOINT_MALFORMED` otherwise).
 * @example cosignedMessage('example.com/behind-the-sofa\n20852163\nCsUY…=\n', 1679315147)
 */
export function cosignedMessage(checkpointBody: string, timestamp: number): Uint8Array {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError('timestamp must be a safe integer >= 0 (POSIX seconds)')
  }
  parseCheckpoint(checkpointBody)
  return cosignedMessageBytes(utf8(checkpointBody), BigInt(timestamp))
}

/**
 * Adds `cosigner`'s cosignature at `timestamp` to a signed checkpoint note and returns the new
 * note text (the input's lines, byte for byte, plus one line; an earlier cosignature by the
 * same key is replaced). Checks only that the note parses (`NOTE_MALFORMED`) and holds a
 * checkpoint (`CHECKPOINT_MALFORMED`): a witness must first have opened the checkpoint with
 * the log's key and checked consistency with what it saw before.
 * @example cosignCheckpoint(signedNote, cosignerFromKey(witnessSkey), Math.floor(Date.now() / 1000))
 */
export function cosignCheckpoint(signedNote: string, cosigner: NoteCosigner, timestamp: number): string {
  const note = parseNote(signedNote)
  parseCheckpoint(note.text)
  const signature = cosigner.cosign(note.text, timestamp)
  const others = note.signatures.filter((s) => s.name !== cosigner.name || s.keyId !== cosigner.keyId)
  return formatNote({
    text: note.text,
    signatures: [...others, { name: cosigner.name, keyId: cosigner.keyId, signature }],
  })
}

/**
 * The witnesses (type 0x04 verifiers, `TypeError` for others: check that with `keyTypeOf`)
 * whose cosignature on the checkpoint in `signedNote` verifies, one entry per witness in the
 * order of `witnesses`, with the signed timestamp. Lines of unknown keys are ignored; a line of
 * a known witness that fails to verify rejects the note (`NOTE_UNVERIFIED`, per signed-note), as
 * does a verified timestamp above 2^53 - 1. Does not check the log's own signature: use
 * `openCheckpoint` for that. Throws `NOTE_MALFORMED` / `CHECKPOINT_MALFORMED` on bad input.
 * @example verifyCosignatures(note, witnessVkeys.map(verifierFromKey)).length >= quorum
 */
export function verifyCosignatures(signedNote: string, witnesses: readonly NoteVerifier[]): VerifiedCosignature[] {
  const note = parseNote(signedNote)
  parseCheckpoint(note.text)
  const message = utf8(note.text)
  for (const w of witnesses) {
    if (keyTypeOf(w.vkey) !== SIG_TYPE_COSIGNATURE_V1) throw new TypeError(`${w.name} is not a cosignature/v1 key`)
  }
  const out: VerifiedCosignature[] = []
  for (const w of witnesses) {
    let found: VerifiedCosignature | undefined
    for (const sig of note.signatures) {
      if (sig.name !== w.name || sig.keyId !== w.keyId) continue
      // The length is checked before reading the timestamp: `verify` refuses other lengths.
      if (sig.signature.length !== 72 || !w.verify(message, sig.signature)) {
        throw new LedgerError('NOTE_UNVERIFIED', `invalid cosignature from witness ${w.name}`, {
          name: w.name,
          keyId: w.keyId,
        })
      }
      const view = new DataView(sig.signature.buffer, sig.signature.byteOffset, 8)
      const timestamp = Number(view.getBigUint64(0))
      if (!Number.isSafeInteger(timestamp)) {
        throw new LedgerError('NOTE_UNVERIFIED', `cosignature timestamp beyond 2^53 - 1 from ${w.name}`)
      }
      found ??= { name: w.name, keyId: w.keyId, timestamp }
    }
    if (found !== undefined) out.push(found)
  }
  return out
}
