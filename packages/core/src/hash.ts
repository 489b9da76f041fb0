/**
 * RFC 9162 §2.1.1 hashing with domain separation: leaves and interior nodes are hashed under
 * different one-byte prefixes, so a leaf can never be passed off as a node (second-preimage
 * defence). https://www.rfc-editor.org/rfc/rfc9162#section-2.1.1
 *
 * SHA-256 of leaves comes from Node's built-in OpenSSL when the runtime has it (no native addon:
 * it is part of Node), which is several times faster on the append path, and from @noble/hashes
 * everywhere else. Interior nodes, always 65 bytes, are hashed by a specialised plain-JavaScript
 * SHA-256 (internal/node-sha256.ts), faster still for that size. All are tested to agree byte
 * for byte.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import { hashNodeInto } from './internal/node-sha256.js'

/** Prefix of a leaf hash input. */
export const LEAF_PREFIX = 0x00
/** Prefix of an interior node hash input. */
export const NODE_PREFIX = 0x01
/** Length of every hash in the log. */
export const HASH_SIZE = 32

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Uint8Array
type NodeProcess = { getBuiltinModule?: (id: string) => { hash?: OneShot } | undefined }

const nodeHash: OneShot | undefined = (globalThis as { process?: NodeProcess }).process?.getBuiltinModule?.('node:crypto')?.hash

/** SHA-256 of `bytes` with @noble/hashes alone: the portable reference. */
export function sha256Portable(bytes: Uint8Array): Uint8Array {
  return nobleSha256(bytes)
}

/** SHA-256 of `bytes`. */
export const hashBytes: (bytes: Uint8Array) => Uint8Array = nodeHash
  ? (bytes) => {
      const out = (nodeHash as OneShot)('sha256', bytes, 'buffer')
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
    }
  : nobleSha256

/** Root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Uint8Array = nobleSha256(new Uint8Array(0))

// The input of a leaf hash, 0x00 ‖ entry, is built in one reused buffer when the entry is small
// enough: a fresh array of more than 64 bytes has its own off-heap store, whose allocation and
// collection cost about as much as hashing a few hundred bytes. The hash functions copy what they
// read, and nothing else runs in between.
const LEAF_SCRATCH_MAX = 16 * 1024
let leafScratch = new Uint8Array(1024)

/**
 * Leaf hash of one entry: SHA-256(0x00 ‖ entry bytes).
 * @example hashLeaf(encodeEntry(entry))
 */
export function hashLeaf(entry: Uint8Array): Uint8Array {
  const length = entry.length + 1
  if (length > LEAF_SCRATCH_MAX) {
    const input = new Uint8Array(length)
    input[0] = LEAF_PREFIX
    input.set(entry, 1)
    return hashBytes(input)
  }
  if (length > leafScratch.length) leafScratch = new Uint8Array(Math.min(LEAF_SCRATCH_MAX, 2 ** Math.ceil(Math.log2(length))))
  leafScratch[0] = LEAF_PREFIX
  leafScratch.set(entry, 1)
  return hashBytes(leafScratch.subarray(0, length))
}

/**
 * Interior node hash: SHA-256(0x01 ‖ left ‖ right). Both children are 32-byte hashes (other
 * lengths are hashed as given, for callers that check lengths themselves).
 */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    const input = new Uint8Array(1 + left.length + right.length)
    input[0] = NODE_PREFIX
    input.set(left, 1)
    input.set(right, 1 + left.length)
    return hashBytes(input)
  }
  const out = new Uint8Array(HASH_SIZE)
  hashNodeInto(out, 0, left, 0, right, 0)
  return out
}
