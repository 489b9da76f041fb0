/**
 * RFC 9162 §2.1 Merkle proof verification: inclusion (§2.1.3.2) and consistency (§2.1.4.2).
 * Pure functions over 32-byte SHA-256 hashes; every input may come from an attacker (a proof
 * bundle, a witness, a remote log), so sizes, lengths and types are checked before any hashing
 * and every loop is bounded by the bit length of the tree size (at most 53).
 * https://www.rfc-editor.org/rfc/rfc9162#section-2.1
 */
import { bytesEqual, toHex } from './bytes.js'
import { LedgerError } from './error.js'
import { HASH_SIZE, hashChildren } from './hash.js'

// Sizes and indices are JS numbers, exact up to 2^53 - 1. Bitwise operators work on 32 bits
// only, so the helpers below split a number into its high and low 32-bit halves.
const TWO_32 = 2 ** 32

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555)
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff
}

/** @internal Number of set bits of a safe non-negative integer. */
export function popcount(n: number): number {
  return popcount32(Math.floor(n / TWO_32)) + popcount32(n >>> 0)
}

/** @internal Bit length of a safe non-negative integer (0 for 0). */
export function bitLength(n: number): number {
  const hi = Math.floor(n / TWO_32)
  return hi > 0 ? 64 - Math.clz32(hi) : 32 - Math.clz32(n >>> 0)
}

/** @internal Number of trailing zero bits of a safe positive integer. */
export function trailingZeros(n: number): number {
  const lo = n >>> 0
  if (lo !== 0) return 31 - Math.clz32(lo & -lo)
  const hi = Math.floor(n / TWO_32)
  return 32 + 31 - Math.clz32(hi & -hi)
}

/** @internal Bitwise XOR of two safe non-negative integers. */
export function xor(a: number, b: number): number {
  const hi = (Math.floor(a / TWO_32) ^ Math.floor(b / TWO_32)) >>> 0
  return hi * TWO_32 + (((a >>> 0) ^ (b >>> 0)) >>> 0)
}

/** @internal `n >> k` for a safe non-negative integer (division by a power of two is exact). */
export function shiftRight(n: number, k: number): number {
  return Math.floor(n / 2 ** k)
}

/** True when `n` is a safe non-negative integer: a valid tree size or index. */
function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
}

function checkCount(name: string, n: unknown): asserts n is number {
  if (!isCount(n)) {
    throw new LedgerError('PROOF_RANGE', `${name} is not a safe non-negative integer`, { [name]: String(n) })
  }
}

function checkHash(name: string, h: unknown): asserts h is Uint8Array {
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
    const length = h instanceof Uint8Array ? h.length : null
    throw new LedgerError('PROOF_INVALID', `${name} is not a ${HASH_SIZE}-byte hash`, { length })
  }
}

// The proof array is attacker-controlled: check its type and length before touching elements.
function checkProof(proof: unknown, want: number): asserts proof is readonly Uint8Array[] {
  if (!Array.isArray(proof)) throw new LedgerError('PROOF_INVALID', 'proof is not an array')
  if (proof.length !== want) {
    throw new LedgerError('PROOF_INVALID', `proof has ${proof.length} hashes, want ${want}`, {
      length: proof.length,
      want,
    })
  }
  for (let i = 0; i < proof.length; i++) checkHash(`proof[${i}]`, proof[i])
}

function checkRoot(name: string, expected: Uint8Array, actual: Uint8Array): void {
  // Equal sizes compare roots of any length (as published vectors expect), but never non-bytes.
  if (!(expected instanceof Uint8Array) || !(actual instanceof Uint8Array)) {
    throw new LedgerError('PROOF_INVALID', `${name} is not a byte array`)
  }
  if (!bytesEqual(expected, actual)) {
    throw new LedgerError('PROOF_ROOT_MISMATCH', `${name} does not match the proof`, {
      which: name,
      expected: toHex(expected),
      actual: toHex(actual),
    })
  }
}

// Hashes the seed up through the inner part of an inclusion path: bit i of `index` says
// whether the node at level i is a right child (sibling on the left) or a left child.
function chainInner(seed: Uint8Array, proof: readonly Uint8Array[], from: number, to: number, index: number): Uint8Array {
  let h = seed
  for (let i = from; i < to; i++) {
    const sibling = proof[i] as Uint8Array
    h = shiftRight(index, i - from) % 2 === 0 ? hashChildren(h, sibling) : hashChildren(sibling, h)
  }
  return h
}

// Like chainInner, but only through the left siblings: this rebuilds the root of the smaller
// tree in a consistency proof, which has no nodes to the right of its last leaf.
function chainInnerRight(seed: Uint8Array, proof: readonly Uint8Array[], from: number, to: number, index: number): Uint8Array {
  let h = seed
  for (let i = from; i < to; i++) {
    if (shiftRight(index, i - from) % 2 === 1) h = hashChildren(proof[i] as Uint8Array, h)
  }
  return h
}

// Above the fork point the path runs along the right border, where every sibling is on the left.
function chainBorderRight(seed: Uint8Array, proof: readonly Uint8Array[], from: number): Uint8Array {
  let h = seed
  for (let i = from; i < proof.length; i++) h = hashChildren(proof[i] as Uint8Array, h)
  return h
}

/**
 * Splits the inclusion path of leaf `index` in a tree of `size` leaves: `inner`
 * levels below the point where the path leaves the right border, then `border` left siblings.
 * Precondition: `index < size`.
 */
function decomposeInclusion(index: number, size: number): { inner: number; border: number } {
  const inner = bitLength(xor(index, size - 1))
  return { inner, border: popcount(shiftRight(index, inner)) }
}

/**
 * Root hash implied by an inclusion proof (RFC 9162 §2.1.3.2), without comparing it to
 * anything. Use {@link verifyInclusion} to check a proof against a trusted root.
 *
 * Preconditions: `0 <= index < size` (safe integers), `leafHash` and every proof hash 32 bytes,
 * proof length exactly as RFC 9162 requires for `(index, size)`. Otherwise throws `LedgerError`
 * `PROOF_RANGE` (bad index or size) or `PROOF_INVALID` (bad lengths).
 *
 * @example
 * const root = rootFromInclusionProof(3, 8, hashLeaf(entry), proof)
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  checkCount('index', index)
  checkCount('size', size)
  if (index >= size) throw new LedgerError('PROOF_RANGE', `index ${index} is not below size ${size}`, { index, size })
  checkHash('leafHash', leafHash)
  const { inner, border } = decomposeInclusion(index, size)
  checkProof(proof, inner + border)
  return chainBorderRight(chainInner(leafHash, proof, 0, inner, index), proof, inner)
}

/**
 * Checks that `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`
 * (RFC 9162 §2.1.3.2). Returns nothing; throws `LedgerError` on failure: `PROOF_RANGE` for
 * `index >= size` or sizes that are not safe non-negative integers, `PROOF_INVALID` for a proof
 * of the wrong length or hashes that are not 32 bytes, `PROOF_ROOT_MISMATCH` (details
 * `{expected, actual}` in hex) when the proof leads to another root.
 *
 * @example
 * verifyInclusion(3, 8, hashLeaf(entry), proof, checkpoint.root) // throws unless included
 */
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkHash('root', root)
  checkRoot('root', root, rootFromInclusionProof(index, size, leafHash, proof))
}

/**
 * Checks that the tree of `size1` leaves with root `root1` is a prefix of the tree of `size2`
 * leaves with root `root2` (RFC 9162 §2.1.4.2). Returns nothing; throws `LedgerError`:
 * - `PROOF_RANGE` when a size is not a safe non-negative integer, `size1 > size2`, or
 *   `size1 == 0` (an empty tree proves nothing; callers that accept any tree as an extension of
 *   the empty one, as C2SP tlog-witness does, check that case themselves);
 * - `PROOF_INVALID` for a proof of the wrong length or hashes that are not 32 bytes;
 * - `PROOF_ROOT_MISMATCH` (details `{which, expected, actual}`) when a root does not follow.
 *
 * When `size1 == size2` the proof must be empty and the roots byte-equal.
 *
 * @example
 * verifyConsistency(old.size, latest.size, proof, old.root, latest.root)
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  checkCount('size1', size1)
  checkCount('size2', size2)
  if (size1 === 0) throw new LedgerError('PROOF_RANGE', 'consistency from the empty tree proves nothing', { size1, size2 })
  if (size1 > size2) throw new LedgerError('PROOF_RANGE', `size1 ${size1} exceeds size2 ${size2}`, { size1, size2 })
  if (size1 === size2) {
    checkProof(proof, 0)
    checkRoot('root2', root1, root2)
    return
  }
  checkHash('root1', root1)
  checkHash('root2', root2)

  // The proof is the inclusion path of the node ending at size1 (the largest perfect subtree
  // whose last leaf is size1 - 1) in the tree of size2, from level `shift` upwards; that node
  // itself comes first unless size1 is a power of two, in which case it is root1.
  const { inner: fullInner, border } = decomposeInclusion(size1 - 1, size2)
  const shift = trailingZeros(size1)
  const inner = fullInner - shift // shift < fullInner because size1 < size2
  const seedIsRoot1 = size1 === 2 ** shift
  const start = seedIsRoot1 ? 0 : 1
  checkProof(proof, start + inner + border)
  const seed = seedIsRoot1 ? root1 : (proof[0] as Uint8Array)
  const mask = shiftRight(size1 - 1, shift)

  const hash1 = chainBorderRight(chainInnerRight(seed, proof, start, start + inner, mask), proof, start + inner)
  checkRoot('root1', root1, hash1)
  const hash2 = chainBorderRight(chainInner(seed, proof, start, start + inner, mask), proof, start + inner)
  checkRoot('root2', root2, hash2)
}
