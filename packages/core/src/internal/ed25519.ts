/**
 * Ed25519 signing: Node's built-in OpenSSL when the runtime has it (part of Node, no addon),
 * which is an order of magnitude faster than pure JavaScript and matters because the ledger signs
 * a checkpoint per commit; @noble/curves elsewhere. Ed25519 signatures are deterministic
 * (RFC 8032), so both give the same bytes; a test holds them equal. Verification stays with
 * @noble/curves, whose strict mode is what Go's crypto/ed25519 accepts.
 */
import { ed25519 } from '@noble/curves/ed25519.js'

interface NodeCrypto {
  createPrivateKey(input: { key: Uint8Array; format: 'der'; type: 'pkcs8' }): unknown
  sign(algorithm: null, data: Uint8Array, key: unknown): Uint8Array
}
type NodeProcess = { getBuiltinModule?: (id: string) => NodeCrypto | undefined }

const nodeCrypto = (globalThis as { process?: NodeProcess }).process?.getBuiltinModule?.('node:crypto')

// PKCS #8 wrapping of a raw Ed25519 seed (RFC 8410 §7): a fixed 16-byte prefix, then the seed.
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20])

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
