/**
 * Ed25519 through Node's built-in OpenSSL when the runtime has it (part of Node, no addon), an
 * order of magnitude faster than pure JavaScript; @noble/curves elsewhere and as the reference.
 *
 * Signing: the ledger signs a checkpoint per commit. Ed25519 signatures are deterministic
 * (RFC 8032), so both give the same bytes; a test holds them equal.
 *
 * Verification answers exactly what @noble/curves' strict mode (`zip215: false`, what the log's
 * verifiers have always used) answers, for every input; OpenSSL only makes acceptance fast. Its
 * check differs from noble's: it compares ENC([S]B - [k]A) with R byte for byte (cofactorless),
 * where noble checks [8](R + [k]A - [S]B) = 0 (cofactored) and also refuses a small-order A. So:
 * - A is decoded once with noble (canonical encoding) and must not be of small order, else every
 *   signature goes to noble (which refuses them all);
 * - S < L is checked here, whatever the OpenSSL build checks;
 * - then an OpenSSL "valid" implies noble's: R is the canonical encoding of [S]B - [k]A with k =
 *   SHA-512(R ‖ A ‖ M) mod L in both, so R decodes and R + [k]A - [S]B is the identity;
 * - an OpenSSL "invalid" is handed to noble, which accepts the rare signatures that only the
 *   cofactored equation accepts and refuses the rest.
 * Tests hold both verifiers equal on edge cases (non-canonical S, R and A, small-order and
 * mixed-order points) and on random signatures.
 */
import { ed25519 } from '@noble/curves/ed25519.js'

interface NodeCrypto {
  createPrivateKey(input: { key: Uint8Array; format: 'der'; type: 'pkcs8' }): unknown
  createPublicKey(input: { key: Uint8Array; format: 'der'; type: 'spki' }): unknown
  sign(algorithm: null, data: Uint8Array, key: unknown): Uint8Array
  verify(algorithm: null, data: Uint8Array, key: unknown, signature: Uint8Array): boolean
}
type NodeProcess = { getBuiltinModule?: (id: string) => NodeCrypto | undefined }

const nodeCrypto = (globalThis as { process?: NodeProcess }).process?.getBuiltinModule?.('node:crypto')

// PKCS #8 wrapping of a raw Ed25519 seed (RFC 8410 §7): a fixed 16-byte prefix, then the seed.
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20])
// SubjectPublicKeyInfo wrapping of a raw Ed25519 public key (RFC 8410 §4): 12 bytes, then the key.
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00])
// L = 2^252 + 27742317777372353535851937790883648493, the order of the base point, little-endian.
const L = Uint8Array.from([0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10])

/** A signing function for `seed` (32 bytes), prepared once. */
export function ed25519Signer(seed: Uint8Array): (message: Uint8Array) => Uint8Array {
  if (!nodeCrypto) return (message) => ed25519.sign(message, seed)
  const der = new Uint8Array(PKCS8_PREFIX.length + seed.length)
  der.set(PKCS8_PREFIX)
  der.set(seed, PKCS8_PREFIX.length)
  const key = nodeCrypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
  return (message) => {
    const sig = nodeCrypto.sign(null, message, key)
    return new Uint8Array(sig.buffer, sig.byteOffset, sig.byteLength)
  }
}

/** Pure-JavaScript signing, the portable reference. */
export function ed25519SignPortable(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, seed)
}

/** Strict RFC 8032 verification by @noble/curves alone (no ZIP-215 leniency): the reference. */
export function ed25519VerifyPortable(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false })
  } catch {
    return false // attacker-controlled bytes of the wrong shape
  }
}

/** True when the scalar S of a 64-byte signature (its last 32 bytes, little-endian) is below L. */
function canonicalS(signature: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const s = signature[32 + i] as number
    const l = L[i] as number
    if (s !== l) return s < l
  }
  return false // S = L
}

/**
 * A verifying function for the Ed25519 public key `publicKey` (32 bytes), prepared once: true
 * exactly when {@link ed25519VerifyPortable} is, fast through OpenSSL when Node has it.
 */
export function ed25519Verifier(publicKey: Uint8Array): (message: Uint8Array, signature: Uint8Array) => boolean {
  const key = publicKey.slice()
  const portable = (message: Uint8Array, signature: Uint8Array): boolean => ed25519VerifyPortable(key, message, signature)
  const native = nodeCrypto && nativeKey(nodeCrypto, key)
  if (!nodeCrypto || native === undefined) return portable
  return (message, signature) => {
    if (signature instanceof Uint8Array && signature.length === 64 && canonicalS(signature) && nativeValid(nodeCrypto, native, message, signature)) {
      return true
    }
    return portable(message, signature)
  }
}

function nativeValid(crypto: NodeCrypto, key: unknown, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return crypto.verify(null, message, key, signature)
  } catch {
    return false // a message that is not bytes: noble decides
  }
}

// OpenSSL's key for `key`, or undefined when noble must decide alone: A not canonically encoded
// or of small order (noble refuses every signature), or OpenSSL refusing the key.
function nativeKey(crypto: NodeCrypto, key: Uint8Array): unknown {
  try {
    if (key.length !== 32 || ed25519.Point.fromBytes(key, false).isSmallOrder()) return undefined
    const der = new Uint8Array(SPKI_PREFIX.length + key.length)
    der.set(SPKI_PREFIX)
    der.set(key, SPKI_PREFIX.length)
    return crypto.createPublicKey({ key: der, format: 'der', type: 'spki' })
  } catch {
    return undefined
  }
}
