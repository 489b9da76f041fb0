/**
 * C2SP signed notes and checkpoints, read independently of Liuhen's code: a verifier key
 * (https://c2sp.org/signed-note, "Verifier keys"), a signed note checked against it, and the
 * checkpoint in its text (https://c2sp.org/tlog-checkpoint). Plain JavaScript on node:crypto
 * only, written from the spec texts, so that tests can check Liuhen's files against the spec
 * rather than against Liuhen. Every failure throws an Error whose message says what failed.
 */
import { createHash, createPublicKey, verify } from 'node:crypto'

/** Largest note accepted: 16 signatures must fit (signed-note), post-quantum ones are ~5 kB. */
export const MAX_NOTE_BYTES = 1 << 20
/** Most signature lines accepted; signed-note requires at least 16. */
export const MAX_SIGNATURES = 100

const ED25519 = 0x01
// DER of SubjectPublicKeyInfo { id-Ed25519 (1.3.101.112) } up to the 32-byte key (RFC 8410 §4).
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
// signed-note: key names are non-empty and hold no Unicode space and no '+'.
const KEY_NAME = /^[^\s+]+$/u

/** Standard padded base64 (RFC 4648 §4), strictly: Buffer.from alone would skip bad characters. */
function decodeBase64(text, what) {
  if (!BASE64.test(text)) throw new Error(`${what} is not base64`)
  const bytes = Buffer.from(text, 'base64')
  if (bytes.toString('base64') !== text) throw new Error(`${what} is not canonical base64`)
  return bytes
}

/** Key ID = SHA-256(key name || 0x0A || type || public key)[:4], as a big-endian uint32. */
function keyIdOf(name, typeAndKey) {
  return createHash('sha256').update(name, 'utf8').update('\n').update(typeAndKey).digest().readUInt32BE(0)
}

/**
 * Parses an Ed25519 verifier key `<name>+<8 hex key ID>+<base64(0x01 || 32-byte key)>` and checks
 * that its key ID is the one signed-note derives from the name and key.
 * @example parseVkey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k').name
 */
export function parseVkey(vkeyText) {
  if (typeof vkeyText !== 'string' || vkeyText.length > 4096) throw new Error('verifier key is not a short string')
  const text = vkeyText.trim()
  // The name holds no '+' and the ID is hex, so the first two '+' split; base64 may hold more.
  const a = text.indexOf('+')
  const b = text.indexOf('+', a + 1)
  if (a <= 0 || b < 0) throw new Error('verifier key is not <name>+<id>+<key>')
  const name = text.slice(0, a)
  const idHex = text.slice(a + 1, b)
  if (!KEY_NAME.test(name)) throw new Error('verifier key name is empty or holds a space or +')
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new Error('verifier key ID is not 8 lowercase hex digits')
  const typeAndKey = decodeBase64(text.slice(b + 1), 'verifier key material')
  if (typeAndKey[0] !== ED25519) throw new Error(`verifier key type is ${typeAndKey[0]}, only Ed25519 (0x01) is supported`)
  if (typeAndKey.length !== 33) throw new Error('Ed25519 verifier key is not 32 bytes')
  const keyId = Number.parseInt(idHex, 16)
  if (keyIdOf(name, typeAndKey) !== keyId) throw new Error('verifier key ID does not match its name and key')
  const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, typeAndKey.subarray(1)]), format: 'der', type: 'spki' })
  return { name, keyId, key }
}

/** The note as text: valid UTF-8 with no control character but newline (signed-note "Format"). */
function noteText(note) {
  const bytes = typeof note === 'string' ? Buffer.from(note, 'utf8') : note
  if (!(bytes instanceof Uint8Array)) throw new Error('signed note is neither text nor bytes')
  if (bytes.length > MAX_NOTE_BYTES) throw new Error(`signed note is ${bytes.length} bytes, over ${MAX_NOTE_BYTES}`)
  let text
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    throw new Error('signed note is not valid UTF-8')
  }
  // eslint-disable-next-line no-control-regex -- control characters are what the spec forbids
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw new Error('signed note holds a control character')
  if (typeof note === 'string' && text !== note) throw new Error('signed note holds a lone surrogate')
  return text
}

/**
 * Verifies a signed note with one Ed25519 verifier key and returns its text (ending in a newline).
 * Signatures by other keys (another name or key ID) are ignored, as signed-note requires; every
 * signature by this key must verify, and there must be at least one.
 * @example openSignedNote(readFileSync('checkpoint'), vkey) // 'example.com/log\n15\n…\n'
 */
export function openSignedNote(note, vkeyText) {
  const vkey = parseVkey(vkeyText)
  const text = noteText(note)
  // The text is separated from the signatures by the last empty line.
  const split = text.lastIndexOf('\n\n')
  if (split < 0 || !text.endsWith('\n')) throw new Error('signed note has no blank line before its signatures, or does not end in a newline')
  const body = text.slice(0, split + 1)
  const lines = text.slice(split + 2, -1).split('\n')
  if (lines.length > MAX_SIGNATURES) throw new Error(`signed note has ${lines.length} signature lines, over ${MAX_SIGNATURES}`)
  let verified = 0
  for (const [i, line] of lines.entries()) {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line)
    if (!m || !KEY_NAME.test(m[1])) throw new Error(`signature line ${i + 1} is not "— <key name> <base64>"`)
    const sig = decodeBase64(m[2], `signature line ${i + 1}`)
    if (sig.length < 5) throw new Error(`signature line ${i + 1} is shorter than a key ID and a signature`)
    if (m[1] !== vkey.name || sig.readUInt32BE(0) !== vkey.keyId) continue
    if (sig.length !== 4 + 64) throw new Error(`signature by ${vkey.name} is ${sig.length - 4} bytes, an Ed25519 signature is 64`)
    if (!verify(null, Buffer.from(body, 'utf8'), vkey.key, sig.subarray(4))) throw new Error(`signature by ${vkey.name} does not verify`)
    verified++
  }
  if (verified === 0) throw new Error(`signed note has no signature by ${vkey.name}+${vkey.keyId.toString(16).padStart(8, '0')}`)
  return body
}

/**
 * Parses a checkpoint's note text: origin, tree size (decimal, no leading zeros), root (base64 of
 * 32 bytes), then optional non-empty extension lines.
 * @example parseCheckpointText('example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n').size // 0
 */
export function parseCheckpointText(body) {
  const lines = body.slice(0, -1).split('\n')
  if (!body.endsWith('\n') || lines.length < 3) throw new Error('checkpoint needs origin, size and root lines')
  const [origin, sizeText, rootText, ...extensions] = lines
  if (origin === '') throw new Error('checkpoint origin is empty')
  if (!/^(?:0|[1-9][0-9]{0,15})$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) throw new Error(`checkpoint size ${JSON.stringify(sizeText.slice(0, 40))} is not a decimal below 2^53`)
  const root = decodeBase64(rootText, 'checkpoint root')
  if (root.length !== 32) throw new Error(`checkpoint root is ${root.length} bytes, not 32`)
  if (extensions.some((e) => e === '')) throw new Error('checkpoint has an empty extension line')
  return { origin, size: Number(sizeText), root, extensions }
}

/**
 * Verifies a signed checkpoint with an Ed25519 verifier key and parses it. Its origin must be
 * `origin`, by default the key's name (tlog-checkpoint: the log's key name SHOULD be the origin).
 * @example verifyCheckpoint(readFileSync('log/checkpoint'), vkey).size
 */
export function verifyCheckpoint(note, vkeyText, options = {}) {
  const checkpoint = parseCheckpointText(openSignedNote(note, vkeyText))
  const origin = options.origin ?? parseVkey(vkeyText).name
  if (checkpoint.origin !== origin) throw new Error(`checkpoint origin ${JSON.stringify(checkpoint.origin)} is not ${JSON.stringify(origin)}`)
  return checkpoint
}
