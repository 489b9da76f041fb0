/**
 * The offline proof bundle, `liuhen-bundle/1` (BUNDLE.md): parsed strictly, because a bundle
 * arrives from anywhere. Every field is checked for type, size and canonical form before any
 * hashing, so that two different files can never verify as the same bundle.
 */
import { HASH_SIZE, fromBase64, toBase64 } from '@liuhen/core'
import { VerifyError } from './error.js'

/** The format tag of this version. */
export const BUNDLE_FORMAT = 'liuhen-bundle/1'
/** Largest bundle accepted, in UTF-16 code units of its JSON text. */
export const MAX_BUNDLE_SIZE = 64 * 1024 * 1024
/** Most entries in one bundle. */
export const MAX_BUNDLE_ENTRIES = 10_000
/** Largest entry, in bytes. */
export const MAX_ENTRY_SIZE = 1024 * 1024
/** Most hashes in one inclusion proof (a tree of 2^63 leaves needs 63). */
export const MAX_PROOF_LENGTH = 64

/** One entry of a bundle: its exact bytes and its inclusion proof against the checkpoint. */
export interface BundleEntry {
  index: number
  /** The entry bytes, standard padded base64. */
  entry: string
  /** RFC 9162 inclusion proof, each hash standard padded base64. */
  proof: string[]
}

/** A parsed bundle. The first entry is the subject; the others are what its references reach. */
export interface Bundle {
  format: typeof BUNDLE_FORMAT
  /** The log's verifier key (C2SP vkey). */
  vkey: string
  /** The signed checkpoint (C2SP signed-note text) the proofs lead to. */
  checkpoint: string
  entries: BundleEntry[]
}

function malformed(message: string, details: Record<string, unknown> = {}): VerifyError {
  return new VerifyError('BUNDLE_MALFORMED', message, details)
}

/** Strict base64: the regular form, and the one encoding of its bytes (no stray low bits). */
export function decodeBase64(text: unknown, what: string, maxBytes: number): Uint8Array {
  if (typeof text !== 'string' || text.length > Math.ceil(maxBytes / 3) * 4) throw malformed(`${what} is not base64 of at most ${maxBytes} bytes`)
  let bytes: Uint8Array
  try {
    bytes = fromBase64(text)
  } catch {
    throw malformed(`${what} is not standard padded base64`)
  }
  if (toBase64(bytes) !== text) throw malformed(`${what} is not canonical base64`)
  return bytes
}

function exactKeys(value: unknown, keys: readonly string[], what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed(`${what} is not an object`)
  const have = Object.keys(value)
  if (have.length !== keys.length || !keys.every((k) => Object.hasOwn(value, k))) {
    throw malformed(`${what} must have exactly the keys ${keys.join(', ')}`, { keys: have.slice(0, 20) })
  }
  return value as Record<string, unknown>
}

/**
 * Parses a bundle from its JSON text (or an already parsed value) strictly: exactly the keys of
 * {@link Bundle}, the known format tag, at most {@link MAX_BUNDLE_ENTRIES} entries with distinct
 * indexes, canonical base64 everywhere, proofs of 32-byte hashes. Verifies nothing.
 * Throws `BUNDLE_MALFORMED`.
 * @example const bundle = parseBundle(await readFile('chain.json', 'utf8'))
 */
export function parseBundle(json: unknown): Bundle {
  let value = json
  if (typeof json === 'string') {
    if (json.length > MAX_BUNDLE_SIZE) throw malformed(`bundle larger than ${MAX_BUNDLE_SIZE} characters`)
    try {
      value = JSON.parse(json)
    } catch (cause) {
      throw new VerifyError('BUNDLE_MALFORMED', 'bundle is not JSON', {}, { cause })
    }
  }
  const b = exactKeys(value, ['format', 'vkey', 'checkpoint', 'entries'], 'bundle')
  const format = b['format']
  // Attacker-controlled: only a string is quoted (String() of an object may throw or run its code).
  if (format !== BUNDLE_FORMAT) throw malformed(`unknown bundle format ${typeof format === 'string' ? JSON.stringify(format.slice(0, 40)) : `(${typeof format})`}`)
  if (typeof b['vkey'] !== 'string' || b['vkey'].length > 1024) throw malformed('vkey is not a key text')
  if (typeof b['checkpoint'] !== 'string' || b['checkpoint'].length > 1024 * 1024) throw malformed('checkpoint is not note text')
  const list = b['entries']
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BUNDLE_ENTRIES) throw malformed(`entries must be a list of 1 to ${MAX_BUNDLE_ENTRIES}`)
  const seen = new Set<number>()
  const entries = list.map((raw: unknown, i): BundleEntry => {
    const e = exactKeys(raw, ['index', 'entry', 'proof'], `entries[${i}]`)
    const index = e['index']
    if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) throw malformed(`entries[${i}].index is not a non-negative integer`)
    if (seen.has(index)) throw malformed(`entry ${index} appears twice`)
    seen.add(index)
    const entry = e['entry']
    decodeBase64(entry, `entries[${i}].entry`, MAX_ENTRY_SIZE)
    const proof = e['proof']
    if (!Array.isArray(proof) || proof.length > MAX_PROOF_LENGTH) throw malformed(`entries[${i}].proof is not a list of at most ${MAX_PROOF_LENGTH}`)
    proof.forEach((h: unknown, k) => {
      if (decodeBase64(h, `entries[${i}].proof[${k}]`, HASH_SIZE).length !== HASH_SIZE) throw malformed(`entries[${i}].proof[${k}] is not 32 bytes`)
    })
    return { index, entry: entry as string, proof: proof as string[] }
  })
  return { format: BUNDLE_FORMAT, vkey: b['vkey'], checkpoint: b['checkpoint'], entries }
}
