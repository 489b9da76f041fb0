/**
 * C2SP checkpoints (https://c2sp.org/tlog-checkpoint): the note text `origin\nsize\nroot\n`
 * (plus optional extension lines) of a signed note, signed by the log under its origin name.
 */
import { fromBase64, toBase64 } from './bytes.js'
import { LedgerError } from './error.js'
import { HASH_SIZE } from './hash.js'
import type { NoteSigner, NoteVerifier } from './keys.js'
import { MAX_NOTE_SIZE, openNote, parseNote, signNote, type Note, type NoteSignature } from './note.js'

/** A log's tree head: origin, tree size and RFC 6962 root, with optional extension lines. */
export interface Checkpoint {
  /** The log's identity; also the key name of the log's signature. */
  origin: string
  /** Number of leaves, a safe integer >= 0. */
  size: number
  /** The 32-byte RFC 6962 root hash of the first `size` leaves. */
  root: Uint8Array
  /** Opaque extension lines (non-empty, without newlines); usually empty. */
  extensions: string[]
}

const SIZE_RE = /^(?:0|[1-9][0-9]{0,15})$/
// Control characters are refused in every line (the note layer refuses them too).
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const BAD_LINE_RE = /[\u0000-\u001f]|\p{Cs}/u

function malformed(message: string, details: Record<string, unknown> = {}): LedgerError {
  return new LedgerError('CHECKPOINT_MALFORMED', message, details)
}

function checkLine(line: string, what: string): void {
  if (typeof line !== 'string' || line.length === 0) throw malformed(`${what} must be a non-empty line`)
  if (BAD_LINE_RE.test(line)) throw malformed(`${what} holds a newline or control character`)
}

/**
 * The checkpoint body (note text): origin, decimal size, base64 root, extension lines, each
 * ending in a newline. Throws `CHECKPOINT_MALFORMED` on a value that would not parse back.
 * @example formatCheckpoint({ origin: 'example.com/log', size: 0, root: EMPTY_ROOT, extensions: [] })
 */
export function formatCheckpoint(cp: Checkpoint): string {
  checkLine(cp.origin, 'origin')
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) throw malformed('size must be a safe integer >= 0')
  if (!(cp.root instanceof Uint8Array) || cp.root.length !== HASH_SIZE) throw malformed('root must be 32 bytes')
  cp.extensions.forEach((e, i) => checkLine(e, `extension line ${i}`))
  return [cp.origin, String(cp.size), toBase64(cp.root), ...cp.extensions].join('\n') + '\n'
}

/**
 * Parses a checkpoint body strictly: at least three non-empty lines, each ending in a newline;
 * size in decimal without leading zeros and at most 2^53 - 1; root padded base64 of 32 bytes;
 * extension lines non-empty. Throws `CHECKPOINT_MALFORMED`.
 * @example parseCheckpoint(openNote(text, [verifier]).text).size
 */
export function parseCheckpoint(body: string): Checkpoint {
  if (typeof body !== 'string' || body.length > MAX_NOTE_SIZE) throw malformed('checkpoint body too large')
  if (!body.endsWith('\n')) throw malformed('checkpoint body must end with a newline')
  const lines = body.slice(0, -1).split('\n')
  if (lines.length < 3) throw malformed('checkpoint needs origin, size and root lines')
  const [origin = '', sizeText = '', rootText = '', ...extensions] = lines
  checkLine(origin, 'origin')
  if (!SIZE_RE.test(sizeText)) throw malformed('size is not a decimal without leading zeros', { size: sizeText })
  const size = Number(sizeText)
  if (!Number.isSafeInteger(size)) throw malformed('size exceeds 2^53 - 1', { size: sizeText })
  let root: Uint8Array
  try {
    root = fromBase64(rootText)
  } catch (cause) {
    throw new LedgerError('CHECKPOINT_MALFORMED', 'root is not base64', {}, { cause })
  }
  if (root.length !== HASH_SIZE) throw malformed('root is not 32 bytes', { length: root.length })
  if (toBase64(root) !== rootText) throw malformed('root is not canonical base64')
  extensions.forEach((e, i) => checkLine(e, `extension line ${i}`))
  return { origin, size, root, extensions }
}

/**
 * The signed checkpoint note: `cp` formatted and signed by the log's signer, whose key name must
 * be the origin (`CHECKPOINT_ORIGIN_MISMATCH` otherwise).
 * @example signCheckpoint({ origin, size, root, extensions: [] }, signerFromKey(skey))
 */
export function signCheckpoint(cp: Checkpoint, signer: NoteSigner): string {
  if (signer.name !== cp.origin) {
    throw new LedgerError('CHECKPOINT_ORIGIN_MISMATCH', 'signer name differs from the origin', {
      expected: cp.origin,
      actual: signer.name,
    })
  }
  return signNote(formatCheckpoint(cp), [signer])
}

/**
 * Opens a signed checkpoint with the log's verifier. In order: the note must parse
 * (`NOTE_MALFORMED`), its text must be a checkpoint (`CHECKPOINT_MALFORMED`), the origin must
 * equal `options.origin` when given and the verifier's name (`CHECKPOINT_ORIGIN_MISMATCH`), and
 * the log's signature must verify (`NOTE_UNVERIFIED`). Other signatures (witnesses, rotated
 * keys) are ignored here; see `verifyCosignatures` for witnesses.
 * @example const { checkpoint } = openCheckpoint(text, verifierFromKey(vkey), { origin: 'example.com/log' })
 */
export function openCheckpoint(note: string, verifier: NoteVerifier, options: { origin?: string } = {}): { checkpoint: Checkpoint; note: Note; verified: NoteSignature[] } {
  const parsed = parseNote(note)
  const checkpoint = parseCheckpoint(parsed.text)
  for (const expected of [options.origin, verifier.name]) {
    if (expected !== undefined && checkpoint.origin !== expected) {
      throw new LedgerError('CHECKPOINT_ORIGIN_MISMATCH', `checkpoint origin is not ${expected}`, {
        expected,
        actual: checkpoint.origin,
      })
    }
  }
  const { verified } = openNote(parsed, [verifier])
  return { checkpoint, note: parsed, verified }
}
