/**
 * RFC 9162 §2.1 Merkle proof verification: inclusion (§2.1.3.2) and consistency (§2.1.4.2).
 * Pure functions over 32-byte SHA-256 hashes; every input may come from an attacker (a proof
 * bundle, a witness, a remote log), so sizes, lengths and types are checked before any hashing
 * and every loop is bounded by the bit length of the tree size (at most 53).
 * https://www.rfc-editor.org/rfc/rfc9162#section-2.1
 */
import { bytesEqual, toHex } from './bytes.js'
import { LedgerError } from './error.js'
import { HASH_SIZE } from './hash.js'
import { hashNodeInto } from './internal/node-sha256.js'

/**
 * The hashes of a proof, in order: an array of 32-byte hashes, or all of them packed in one
 * buffer, hash i at bytes `[32i, 32i + 32)` (what {@link parseInclusionProof} gives: no array,
 * no per-hash object).
 */
export type ProofHashes = readonly Uint8Array[] | Uint8Array

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

// The proof is attacker-controlled: check its type and length before touching elements.
function checkProof(proof: unknown, want: number): asserts proof is ProofHashes {
  if (proof instanceof Uint8Array) {
    if (proof.length !== want * HASH_SIZE) {
      throw new LedgerError('PROOF_INVALID', `packed proof has ${proof.length} bytes, want ${want * HASH_SIZE}`, {
        length: proof.length,
        want: want * HASH_SIZE,
      })
    }
    return
  }
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

// The chains below hash into `acc`, a 32-byte accumulator holding the seed, in place: one
// buffer per proof instead of one per level. Hash i of a proof is read where it lies: element i
// of an array, or bytes [32i, 32i + 32) of a packed proof. Lengths are checked beforehand.
function hashWith(acc: Uint8Array, proof: ProofHashes, i: number, siblingOnLeft: boolean): void {
  const bytes = proof instanceof Uint8Array ? proof : (proof[i] as Uint8Array)
  const at = proof instanceof Uint8Array ? i * HASH_SIZE : 0
  if (siblingOnLeft) hashNodeInto(acc, 0, bytes, at, acc, 0)
  else hashNodeInto(acc, 0, acc, 0, bytes, at)
}

// Hashes up through the inner part of an inclusion path: bit i of `index` says whether the node
// at level i is a right child (sibling on the left) or a left child.
function chainInner(acc: Uint8Array, proof: ProofHashes, from: number, to: number, index: number): void {
  let bits = index
  for (let i = from; i < to; i++) {
    hashWith(acc, proof, i, bits % 2 === 1)
    bits = Math.floor(bits / 2)
  }
}

// Like chainInner, but only through the left siblings: this rebuilds the root of the smaller
// tree in a consistency proof, which has no nodes to the right of its last leaf.
function chainInnerRight(acc: Uint8Array, proof: ProofHashes, from: number, to: number, index: number): void {
  let bits = index
  for (let i = from; i < to; i++) {
    if (bits % 2 === 1) hashWith(acc, proof, i, true)
    bits = Math.floor(bits / 2)
  }
}

// Above the fork point the path runs along the right border, where every sibling is on the left.
function chainBorderRight(acc: Uint8Array, proof: ProofHashes, from: number, to: number): void {
  for (let i = from; i < to; i++) hashWith(acc, proof, i, true)
}

// The inclusion path of leaf `index` in a tree of `size` leaves splits in two: `innerLength`
// levels below the point where the path leaves the right border, then `borderLength` left
// siblings. Precondition: `index < size`.
function innerLength(index: number, size: number): number {
  return bitLength(xor(index, size - 1))
}

function borderLength(index: number, inner: number): number {
  return popcount(shiftRight(index, inner))
}

/**
 * Root hash implied by an inclusion proof (RFC 9162 §2.1.3.2), without comparing it to
 * anything. Use {@link verifyInclusion} to check a proof against a trusted root.
 *
 * Preconditions: `0 <= index < size` (safe integers), `leafHash` and every proof hash 32 bytes
 * (`proof` as an array or packed, see {@link ProofHashes}), proof length exactly as RFC 9162
 * requires for `(index, size)`. Otherwise throws `LedgerError` `PROOF_RANGE` (bad index or size)
 * or `PROOF_INVALID` (bad lengths). Returns a new 32-byte array.
 *
 * @example
 * const root = rootFromInclusionProof(3, 8, hashLeaf(entry), proof)
 */
export function rootFromInclusionProof(index: number, size: number, leafHash: Uint8Array, proof: ProofHashes): Uint8Array {
  checkCount('index', index)
  checkCount('size', size)
  if (index >= size) throw new LedgerError('PROOF_RANGE', `index ${index} is not below size ${size}`, { index, size })
  checkHash('leafHash', leafHash)
  const inner = innerLength(index, size)
  const length = inner + borderLength(index, inner)
  checkProof(proof, length)
  const acc = new Uint8Array(leafHash) // a copy (a Buffer's slice would be a view), hashed in place
  chainInner(acc, proof, 0, inner, index)
  chainBorderRight(acc, proof, inner, length)
  return acc
}

/**
 * Checks that `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`
 * (RFC 9162 §2.1.3.2). Returns nothing; throws `LedgerError` on failure: `PROOF_RANGE` for
 * `index >= size` or sizes that are not safe non-negative integers, `PROOF_INVALID` for a proof
 * of the wrong length or hashes that are not 32 bytes, `PROOF_ROOT_MISMATCH` (details
 * `{expected, actual}` in hex) when the proof leads to another root. `proof` is an array of
 * hashes or the packed hashes of a parsed proof ({@link parseInclusionProof}).
 *
 * @example
 * verifyInclusion(3, 8, hashLeaf(entry), proof, checkpoint.root) // throws unless included
 * const p = parseInclusionProof(JSON.parse(text))
 * verifyInclusion(p.index, p.size, hashLeaf(entry), p.proof, checkpoint.root)
 */
export function verifyInclusion(index: number, size: number, leafHash: Uint8Array, proof: ProofHashes, root: Uint8Array): void {
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
 * When `size1 == size2` the proof must be empty and the roots byte-equal. `proof` is an array of
 * hashes or packed ({@link ProofHashes}).
 *
 * @example
 * verifyConsistency(old.size, latest.size, proof, old.root, latest.root)
 */
export function verifyConsistency(size1: number, size2: number, proof: ProofHashes, root1: Uint8Array, root2: Uint8Array): void {
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
  const fullInner = innerLength(size1 - 1, size2)
  const shift = trailingZeros(size1)
  const inner = fullInner - shift // shift < fullInner because size1 < size2
  const seedIsRoot1 = size1 === 2 ** shift
  const start = seedIsRoot1 ? 0 : 1
  const length = start + inner + borderLength(size1 - 1, fullInner)
  checkProof(proof, length)
  const seed = seedIsRoot1 ? root1 : proof instanceof Uint8Array ? proof.subarray(0, HASH_SIZE) : (proof[0] as Uint8Array)
  const mask = shiftRight(size1 - 1, shift)

  const hash1 = new Uint8Array(seed)
  chainInnerRight(hash1, proof, start, start + inner, mask)
  chainBorderRight(hash1, proof, start + inner, length)
  checkRoot('root1', root1, hash1)
  const hash2 = new Uint8Array(seed)
  chainInner(hash2, proof, start, start + inner, mask)
  chainBorderRight(hash2, proof, start + inner, length)
  checkRoot('root2', root2, hash2)
}

/**
 * An inclusion proof as a verifier keeps it once parsed: its hashes decoded once and packed in
 * one buffer (hash i at bytes `[32i, 32i + 32)`), ready for {@link verifyInclusion}.
 */
export interface ParsedInclusionProof {
  /** The leaf's index, a safe integer >= 0. */
  index: number
  /** The tree size the proof is for, a safe integer >= 0. */
  size: number
  /** The proof hashes, packed. */
  proof: Uint8Array
}

// No valid inclusion proof has more hashes than a tree of 2^53 leaves has levels.
const MAX_PROOF_HASHES = 64

/**
 * Parses an inclusion proof in its JSON form, `{ index, size, proof: [hex, …] }` as
 * `Ledger.proveInclusion` and `liuhen prove --json` give it, decoding the hex once. Other fields
 * (the prover's `leafHash`, `root`) are ignored: a verifier hashes the entry itself and takes the
 * root from a checkpoint it verified. Throws `PROOF_RANGE` when index or size is not a safe
 * non-negative integer, `PROOF_INVALID` when `proof` is not an array of at most 64 strings of
 * 64 hex digits. Whether the length fits `(index, size)` is for {@link verifyInclusion}.
 *
 * @example
 * const p = parseInclusionProof(JSON.parse(text))
 * verifyInclusion(p.index, p.size, hashLeaf(entry), p.proof, checkpoint.root)
 */
export function parseInclusionProof(json: unknown): ParsedInclusionProof {
  if (typeof json !== 'object' || json === null) throw new LedgerError('PROOF_INVALID', 'proof is not an object')
  const { index, size, proof } = json as { index?: unknown; size?: unknown; proof?: unknown }
  checkCount('index', index)
  checkCount('size', size)
  if (!Array.isArray(proof)) throw new LedgerError('PROOF_INVALID', 'proof is not an array')
  if (proof.length > MAX_PROOF_HASHES) {
    throw new LedgerError('PROOF_INVALID', `proof has more than ${MAX_PROOF_HASHES} hashes`, { length: proof.length })
  }
  for (let i = 0; i < proof.length; i++) {
    const h: unknown = proof[i]
    if (typeof h !== 'string' || h.length !== 2 * HASH_SIZE) {
      throw new LedgerError('PROOF_INVALID', `proof[${i}] is not ${2 * HASH_SIZE} hex digits`)
    }
  }
  // One decoding for the whole proof. Node's decoder stops at the first non-hex character, so a
  // full-length result means every character was hex.
  const bytes = Buffer.from(proof.join(''), 'hex')
  if (bytes.length !== proof.length * HASH_SIZE) throw new LedgerError('PROOF_INVALID', 'proof hash is not hex')
  return { index, size, proof: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) }
}
