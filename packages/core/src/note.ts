/**
 * C2SP signed notes (https://c2sp.org/signed-note): a text ending in a newline, a blank line,
 * then one or more lines `— <key name> <base64(key ID || signature)>`. Everything parsed here
 * is attacker-controlled until a signature from a trusted key has verified.
 */
import { bytesEqual, fromBase64, toBase64, utf8 } from './bytes.js'
import { LedgerError } from './error.js'
import { isValidKeyName, type NoteSigner, type NoteVerifier } from './keys.js'

/** One signature line of a note. */
export interface NoteSignature {
  /** Key name of the line. */
  name: string
  /** The 32-bit key ID (first 4 bytes of the decoded signature). */
  keyId: number
  /** The signature proper, without the key ID. */
  signature: Uint8Array
}

/** A parsed signed note. */
export interface Note {
  /** The signed text, ending in a newline (the separating blank line is not part of it). */
  text: string
  /** The signature lines, in order. */
  signatures: NoteSignature[]
}

/** Largest note accepted or produced, in UTF-8 bytes (hostile-input bound). */
export const MAX_NOTE_SIZE = 1024 * 1024
/** Most signature lines accepted or produced (the spec asks for at least 16). */
export const MAX_NOTE_SIGNATURES = 100

const SIG_PREFIX = '\u2014 ' // em dash, space
// Control characters other than newline are forbidden anywhere; lone surrogates are not UTF-8.
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const BAD_CHAR_RE = /[\u0000-\u0009\u000b-\u001f]|\p{Cs}/u

function malformed(message: string, details: Record<string, unknown> = {}): LedgerError {
  return new LedgerError('NOTE_MALFORMED', message, details)
}

/** Checks what both parsing and formatting require of a note text. */
function checkText(text: string): void {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw malformed('note text must end with a newline')
  if (BAD_CHAR_RE.test(text)) throw malformed('note text holds a control character or invalid UTF-16')
}

function checkSize(note: string): void {
  // UTF-16 length <= UTF-8 length, so the cheap test first rejects the huge inputs.
  if (note.length > MAX_NOTE_SIZE || Buffer.byteLength(note, 'utf8') > MAX_NOTE_SIZE) {
    throw malformed(`note larger than ${MAX_NOTE_SIZE} bytes`)
  }
}

/**
 * Parses a signed note strictly: size at most {@link MAX_NOTE_SIZE}, at most
 * {@link MAX_NOTE_SIGNATURES} signatures, valid key names, padded base64 of at least 5 bytes.
 * Verifies nothing: see {@link openNote}. Throws `NOTE_MALFORMED`.
 * @example parseNote('hello\n\n— example.com/foo Uw2QOk…\n').signatures[0]?.keyId
 */
export function parseNote(note: string): Note {
  if (typeof note !== 'string') throw malformed('note is not a string')
  checkSize(note)
  checkText(note)
  // The text is separated from the signatures by the last blank line.
  const split = note.lastIndexOf('\n\n')
  if (split < 0) throw malformed('no blank line before the signatures')
  const text = note.slice(0, split + 1)
  if (split + 2 === note.length) throw malformed('a note needs at least one signature')
  const lines = note.slice(split + 2, -1).split('\n')
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed(`more than ${MAX_NOTE_SIGNATURES} signatures`)
  const signatures = lines.map((line, i) => parseSignatureLine(line, i))
  return { text, signatures }
}

function parseSignatureLine(line: string, index: number): NoteSignature {
  if (!line.startsWith(SIG_PREFIX)) throw malformed('signature line must start with an em dash', { index })
  const rest = line.slice(SIG_PREFIX.length)
  const space = rest.indexOf(' ')
  const name = rest.slice(0, space)
  if (space < 0 || !isValidKeyName(name)) throw malformed('invalid key name in signature line', { index })
  const b64 = rest.slice(space + 1)
  let bytes: Uint8Array
  try {
    bytes = fromBase64(b64)
  } catch (cause) {
    throw new LedgerError('NOTE_MALFORMED', 'signature is not base64', { index }, { cause })
  }
  // Non-zero padding bits would give one signature two spellings; refuse, so parse/format is exact.
  if (toBase64(bytes) !== b64) throw malformed('signature is not canonical base64', { index })
  if (bytes.length < 5) throw malformed('signature shorter than key ID + 1 byte', { index })
  const keyId = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0)
  return { name, keyId, signature: bytes.slice(4) }
}

/**
 * The text of `note`: its text, a blank line, its signature lines. Throws `NOTE_MALFORMED` when
 * the result would not parse back to `note` (text without final newline, no signatures, bad
 * names, key IDs outside uint32, empty signatures, size limits).
 */
export function formatNote(note: Note): string {
  checkText(note.text)
  if (note.signatures.length === 0) throw malformed('a note needs at least one signature')
  if (note.signatures.length > MAX_NOTE_SIGNATURES) throw malformed(`more than ${MAX_NOTE_SIGNATURES} signatures`)
  let out = note.text + '\n'
  for (const { name, keyId, signature } of note.signatures) {
    if (!isValidKeyName(name)) throw malformed(`invalid key name ${JSON.stringify(name)}`)
    if (!Number.isInteger(keyId) || keyId < 0 || keyId > 0xffff_ffff) throw malformed('key ID is not a uint32')
    if (signature.length === 0) throw malformed('empty signature')
    const bytes = new Uint8Array(4 + signature.length)
    new DataView(bytes.buffer).setUint32(0, keyId)
    bytes.set(signature, 4)
    out += `${SIG_PREFIX}${name} ${toBase64(bytes)}\n`
  }
  checkSize(out)
  return out
}

/**
 * Signs `text` (which must end with a newline) with every signer, in order, and returns the
 * signed note. Throws `NOTE_MALFORMED` on bad text, `TypeError` on no signers or a signer
 * listed twice.
 * @example signNote('hello\n', [signerFromKey(skey)])
 */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkText(text)
  if (signers.length === 0) throw new TypeError('signNote needs at least one signer')
  const seen = new Set<string>()
  const message = utf8(text)
  const signatures = signers.map((s) => {
    const id = `${s.name}+${s.keyId}`
    if (seen.has(id)) throw new TypeError(`signer ${s.name} listed twice`)
    seen.add(id)
    return { name: s.name, keyId: s.keyId, signature: s.sign(message) }
  })
  return formatNote({ text, signatures })
}

/**
 * Verifies a signed note against trusted verifiers, per signed-note: a signature whose name and
 * key ID both match a verifier must verify, or the whole note is rejected (`NOTE_UNVERIFIED`);
 * signatures of unknown keys are returned in `unverified`; at least one known signature must
 * verify (`NOTE_UNVERIFIED`). Each key counts once in `verified` however many lines it has.
 * Takes the note text (parsed with {@link parseNote}, `NOTE_MALFORMED`) or an already parsed
 * note. Two verifiers with the same name and key ID but different keys are a `TypeError`.
 * @example const { text } = openNote(noteText, [verifierFromKey(vkey)])
 */
export function openNote(note: string | Note, verifiers: readonly NoteVerifier[]): { text: string; verified: NoteSignature[]; unverified: NoteSignature[] } {
  const parsed = typeof note === 'string' ? parseNote(note) : note
  const known = indexVerifiers(verifiers)
  const message = utf8(parsed.text)
  const verified = new Map<string, NoteSignature>()
  const unverified: NoteSignature[] = []
  for (const sig of parsed.signatures) {
    const id = `${sig.name}+${sig.keyId}`
    const verifier = known.get(id)
    if (verifier === undefined) {
      if (!unverified.some((u) => sameSignature(u, sig))) unverified.push(sig)
      continue
    }
    if (!verifier.verify(message, sig.signature)) {
      throw new LedgerError('NOTE_UNVERIFIED', `invalid signature from known key ${sig.name}`, {
        name: sig.name,
        keyId: sig.keyId,
      })
    }
    if (!verified.has(id)) verified.set(id, sig)
  }
  if (verified.size === 0) {
    throw new LedgerError('NOTE_UNVERIFIED', 'no signature from a known key', {
      names: parsed.signatures.map((s) => s.name),
    })
  }
  return { text: parsed.text, verified: [...verified.values()], unverified }
}

function indexVerifiers(verifiers: readonly NoteVerifier[]): Map<string, NoteVerifier> {
  const known = new Map<string, NoteVerifier>()
  for (const v of verifiers) {
    const id = `${v.name}+${v.keyId}`
    const prior = known.get(id)
    if (prior !== undefined && prior.vkey !== v.vkey) {
      throw new TypeError(`two verifiers share name ${v.name} and key ID ${v.keyId}`)
    }
    known.set(id, v)
  }
  return known
}

function sameSignature(a: NoteSignature, b: NoteSignature): boolean {
  return a.name === b.name && a.keyId === b.keyId && bytesEqual(a.signature, b.signature)
}
