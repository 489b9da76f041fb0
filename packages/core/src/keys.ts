/**
 * Signer and verifier keys of C2SP signed notes (https://c2sp.org/signed-note), in the text
 * formats of Go's `golang.org/x/mod/sumdb/note` package:
 *
 * - verifier key (vkey): `<name>+<8-hex key ID>+<base64(type || public key)>`
 * - signer key (skey):   `PRIVATE+KEY+<name>+<8-hex key ID>+<base64(type || 32-byte seed)>`
 *
 * Two signature types: 0x01, Ed25519 over the note text (logs), and 0x04, timestamped Ed25519
 * cosignatures of checkpoints (witnesses, https://c2sp.org/tlog-cosignature).
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { ed25519Signer, ed25519Verifier } from './internal/ed25519.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesEqual, concatBytes, fromBase64, toBase64, utf8 } from './bytes.js'
import { LedgerError } from './error.js'

/** Signature type byte of Ed25519 note signatures (signed-note). */
export const SIG_TYPE_ED25519 = 0x01
/** Signature type byte of Ed25519 cosignature/v1 witness signatures (tlog-cosignature). */
export const SIG_TYPE_COSIGNATURE_V1 = 0x04

/** Signs note text for one key: what {@link signNote} needs. */
export interface NoteSigner {
  /** Key name, as written in the signature line. */
  name: string
  /** 32-bit key ID, as written in the first 4 bytes of the signature. */
  keyId: number
  /** Signature over `message` (the note text as UTF-8), without the key ID prefix. */
  sign(message: Uint8Array): Uint8Array
}

/** Verifies note signatures of one key: what {@link openNote} needs. */
export interface NoteVerifier {
  /** Key name the signature line must carry. */
  name: string
  /** Key ID the signature must start with. */
  keyId: number
  /** The verifier key text this verifier was made from. */
  vkey: string
  /** True when `signature` (without the key ID prefix) is valid for `message` (note text bytes). */
  verify(message: Uint8Array, signature: Uint8Array): boolean
}

/**
 * A witness key (type 0x04) producing cosignature/v1 signatures. Unlike a {@link NoteSigner}
 * it never signs arbitrary text: it signs only the cosignature/v1 message built from a
 * checkpoint body and a timestamp, so the signature commits to the time it claims.
 */
export interface NoteCosigner {
  /** Cosigner (witness) name, as written in the signature line. */
  name: string
  /** 32-bit key ID computed with type byte 0x04. */
  keyId: number
  /**
   * The `timestamped_signature`: 8-byte big-endian `timestamp` || 64-byte Ed25519 signature over
   * `cosignedMessage(checkpointBody, timestamp)`. Precondition: `timestamp` is a safe integer >= 0
   * (POSIX seconds); `checkpointBody` ends with a newline.
   */
  cosign(checkpointBody: string, timestamp: number): Uint8Array
}

const KEY_ID_RE = /^[0-9a-fA-F]{8}$/
// Unicode spaces (Go's unicode.IsSpace includes U+0085), '+', control characters, and lone
// surrogates (not encodable as UTF-8) are all refused in key names.
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const BAD_NAME_RE = /[\s\u0085+\u0000-\u001f\u007f]|\p{Cs}/u
const PRIVATE_PREFIX = 'PRIVATE+KEY+'
// Hostile key text is bounded before any work: names longer than this are not keys we make.
const MAX_KEY_TEXT = 4096

/** True when `name` is a valid note key name: non-empty, no Unicode space, no '+'. */
export function isValidKeyName(name: string): boolean {
  return typeof name === 'string' && name.length > 0 && !BAD_NAME_RE.test(name)
}

/**
 * Key ID per signed-note: the first 4 bytes, big-endian, of SHA-256(name || 0x0A || type || key).
 * @example keyIdOf('example.com/foo', concatBytes(Uint8Array.of(0x01), publicKey))
 */
export function keyIdOf(name: string, typeAndKey: Uint8Array): number {
  const h = sha256(concatBytes(utf8(name), Uint8Array.of(0x0a), typeAndKey))
  return new DataView(h.buffer, h.byteOffset, 4).getUint32(0)
}

/** The 8-hex-digit form of a key ID, as in key texts. */
export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0')
}

/**
 * A new random Ed25519 log key named `name`: `skey` is the private key text (keep secret),
 * `vkey` the verifier key to publish. Throws `TypeError` on an invalid name.
 * @example const { skey, vkey } = generateSignerKey('example.com/log')
 */
export function generateSignerKey(name: string): { skey: string; vkey: string } {
  return generateKey(name, SIG_TYPE_ED25519)
}

/**
 * A new random cosignature/v1 witness key (type 0x04) named `name`; see {@link generateSignerKey}.
 * @example const { skey, vkey } = generateCosignerKey('witness.example.com/w1')
 */
export function generateCosignerKey(name: string): { skey: string; vkey: string } {
  return generateKey(name, SIG_TYPE_COSIGNATURE_V1)
}

/**
 * The signer of an Ed25519 (type 0x01) private key text. Throws `KEY_MALFORMED` on anything
 * else, including a key ID that does not match the key.
 * @example signNote('hello\n', [signerFromKey(skey)])
 */
export function signerFromKey(skey: string): NoteSigner {
  const { name, keyId, seed } = parseSignerKey(skey, SIG_TYPE_ED25519)
  return { name, keyId, sign: ed25519Signer(seed) }
}

/**
 * The cosigner of a cosignature/v1 (type 0x04) private key text, for witnesses. Throws
 * `KEY_MALFORMED` on anything else.
 * @example cosignCheckpoint(note, cosignerFromKey(skey), Math.floor(Date.now() / 1000))
 */
export function cosignerFromKey(skey: string): NoteCosigner {
  const { name, keyId, seed } = parseSignerKey(skey, SIG_TYPE_COSIGNATURE_V1)
  const sign = ed25519Signer(seed)
  return {
    name,
    keyId,
    cosign(checkpointBody, timestamp) {
      const message = cosignedMessageBytes(utf8(checkpointBody), checkedTimestamp(timestamp))
      const out = new Uint8Array(8 + 64)
      new DataView(out.buffer).setBigUint64(0, BigInt(timestamp))
      out.set(sign(message), 8)
      return out
    },
  }
}

/**
 * The verifier of a verifier key text of type 0x01 (Ed25519) or 0x04 (cosignature/v1; its
 * `verify` takes the 72-byte timestamped signature and rebuilds the cosigned message from the
 * note text). Throws `KEY_MALFORMED` on other types, bad text, an invalid public key, or a key
 * ID that does not match the key.
 *
 * Verification is strict RFC 8032 (no ZIP-215 leniency; internal/ed25519.ts). Auditors verify
 * the same checkpoint again and again (one per proof), so the verifier remembers the last 16
 * signatures that verified with their exact message, and a repeat costs a comparison; see
 * {@link verifierFromKeyWith} to change that.
 * @example openNote(note, [verifierFromKey('example.com/foo+530d903a+Aekye…')])
 */
export function verifierFromKey(vkey: string): NoteVerifier {
  return verifierFromKeyWith(vkey, {})
}

/**
 * {@link verifierFromKey} with options: `remember`, how many verified signatures to remember
 * (default 16; 0 verifies every signature in full, as when measuring verification). Throws
 * `RangeError` when `remember` is not a safe integer >= 0.
 * @example verifierFromKeyWith(vkey, { remember: 0 })
 */
export function verifierFromKeyWith(vkey: string, options: { remember?: number }): NoteVerifier {
  const { name, keyId, type, key } = parseVerifierKey(vkey)
  const remember = options.remember ?? 16
  if (!Number.isSafeInteger(remember) || remember < 0) throw new RangeError('remember must be a safe integer >= 0')
  const verifySignature = ed25519Verifier(key)
  const verified = new Map<string, Uint8Array>()
  const ok = (sig: Uint8Array, msg: Uint8Array): boolean => {
    if (remember === 0) return verifySignature(msg, sig)
    const id = toBase64(sig)
    const seen = verified.get(id)
    if (seen && bytesEqual(seen, msg)) return true
    const valid = verifySignature(msg, sig)
    if (valid) {
      if (verified.size >= remember) verified.delete(verified.keys().next().value as string)
      verified.set(id, msg.slice())
    }
    return valid
  }
  if (type === SIG_TYPE_ED25519) {
    return { name, keyId, vkey, verify: (message, signature) => ok(signature, message) }
  }
  return {
    name,
    keyId,
    vkey,
    verify(message, signature) {
      if (signature.length !== 8 + 64) return false
      const view = new DataView(signature.buffer, signature.byteOffset, 8)
      const timestamp = view.getBigUint64(0)
      if (timestamp > 0x7fff_ffff_ffff_ffffn) return false // tlog-cosignature: at most 2^63 - 1
      return ok(signature.subarray(8), cosignedMessageBytes(message, timestamp))
    },
  }
}

/**
 * The signature type byte of a verifier key text (0x01 or 0x04). Throws `KEY_MALFORMED` like
 * {@link verifierFromKey}.
 */
export function keyTypeOf(vkey: string): number {
  return parseVerifierKey(vkey).type
}

function generateKey(name: string, type: number): { skey: string; vkey: string } {
  if (!isValidKeyName(name)) throw new TypeError(`invalid key name ${JSON.stringify(name)}`)
  const seed = ed25519.utils.randomSecretKey()
  const pub = concatBytes(Uint8Array.of(type), ed25519.getPublicKey(seed))
  const id = formatKeyId(keyIdOf(name, pub))
  const skey = `${PRIVATE_PREFIX}${name}+${id}+${toBase64(concatBytes(Uint8Array.of(type), seed))}`
  return { skey, vkey: `${name}+${id}+${toBase64(pub)}` }
}

function malformed(message: string): LedgerError {
  return new LedgerError('KEY_MALFORMED', message)
}

/** Splits `name+id+base64` (names hold no '+', base64 may). */
function splitKeyText(text: string): { name: string; keyId: number; bytes: Uint8Array } {
  if (typeof text !== 'string' || text.length > MAX_KEY_TEXT) throw malformed('key text too long')
  const a = text.indexOf('+')
  const b = text.indexOf('+', a + 1)
  if (a < 0 || b < 0) throw malformed('key text is not name+id+key')
  const name = text.slice(0, a)
  const idText = text.slice(a + 1, b)
  if (!isValidKeyName(name)) throw malformed('invalid key name')
  if (!KEY_ID_RE.test(idText)) throw malformed('key ID is not 8 hex digits')
  let bytes: Uint8Array
  try {
    bytes = fromBase64(text.slice(b + 1))
  } catch (cause) {
    throw new LedgerError('KEY_MALFORMED', 'key material is not base64', {}, { cause })
  }
  return { name, keyId: Number.parseInt(idText, 16), bytes }
}

function parseVerifierKey(vkey: string): { name: string; keyId: number; type: number; key: Uint8Array } {
  const { name, keyId, bytes } = splitKeyText(vkey)
  const type = bytes[0]
  if (type !== SIG_TYPE_ED25519 && type !== SIG_TYPE_COSIGNATURE_V1) {
    throw malformed(`unsupported key type ${String(type)}`)
  }
  const key = bytes.subarray(1)
  if (key.length !== 32 || !ed25519.utils.isValidPublicKey(key, false)) {
    throw malformed('invalid Ed25519 public key')
  }
  if (keyIdOf(name, bytes) !== keyId) throw malformed('key ID does not match the key')
  return { name, keyId, type, key }
}

function parseSignerKey(skey: string, type: number): { name: string; keyId: number; seed: Uint8Array } {
  if (typeof skey !== 'string' || !skey.startsWith(PRIVATE_PREFIX)) throw malformed('not a PRIVATE+KEY text')
  const { name, keyId, bytes } = splitKeyText(skey.slice(PRIVATE_PREFIX.length))
  if (bytes[0] !== type) throw malformed(`key type ${String(bytes[0])}, expected ${type}`)
  const seed = bytes.subarray(1)
  if (seed.length !== 32) throw malformed('Ed25519 seed is not 32 bytes')
  const pub = concatBytes(Uint8Array.of(type), ed25519.getPublicKey(seed))
  if (keyIdOf(name, pub) !== keyId) throw malformed('key ID does not match the key')
  return { name, keyId, seed: seed.slice() }
}

/**
 * @internal The cosignature/v1 signed message for an already-validated checkpoint body and a
 * timestamp up to 2^63 - 1 (the verifier reads it from attacker-controlled bytes). Public form:
 * `cosignedMessage` in cosignature.ts. It lives here so that keys.ts imports no other module.
 */
export function cosignedMessageBytes(body: Uint8Array, timestamp: bigint): Uint8Array {
  return concatBytes(utf8(`cosignature/v1\ntime ${timestamp.toString(10)}\n`), body)
}

function checkedTimestamp(timestamp: number): bigint {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError('timestamp must be a safe integer >= 0 (POSIX seconds)')
  }
  return BigInt(timestamp)
}

/**
 * The verifier key text of a private key text (type 0x01 or 0x04), as published beside a log or
 * a witness. Throws `KEY_MALFORMED` like {@link signerFromKey}.
 * @example vkeyOfSignerKey(readFileSync('signer.key', 'utf8').trim())
 */
export function vkeyOfSignerKey(skey: string): string {
  // The key's type is the first byte of its base64 field; parseSignerKey checks the rest.
  const field = skey.split('+')[4] ?? ''
  const type = /^[A-Za-z0-9+/=]+$/.test(field) ? (Buffer.from(field, 'base64')[0] ?? 0) : 0
  const { name, keyId, seed } = parseSignerKey(skey, type)
  return `${name}+${formatKeyId(keyId)}+${toBase64(concatBytes(Uint8Array.of(type), ed25519.getPublicKey(seed)))}`
}
