/**
 * A naive RFC 9162 §2.1 Merkle tree, written straight from the spec's recursive definitions
 * (MTH, PATH, PROOF/SUBPROOF), to check the iterative code against. Subtree hashes are memoised
 * by leaf range, so one tree over N leaves serves every prefix size up to N.
 * https://www.rfc-editor.org/rfc/rfc9162#section-2.1
 */
import { EMPTY_ROOT, hashChildren, hashLeaf, isLedgerError, type NodeId } from '../../src/index.js'

/** Deterministic leaf hashes: leaf i hashes the 4 big-endian bytes of i. */
export function makeLeaves(n: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < n; i++) out.push(hashLeaf(new Uint8Array([i >>> 24, (i >>> 16) & 255, (i >>> 8) & 255, i & 255])))
  return out
}

/** Largest power of two strictly below n (n >= 2). */
function split(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

export class ReferenceTree {
  readonly #memo = new Map<string, Uint8Array>()

  constructor(readonly leaves: readonly Uint8Array[]) {}

  /** MTH(D[start : start+n]). */
  mth(start: number, n: number): Uint8Array {
    if (n === 0) return EMPTY_ROOT
    if (n === 1) return this.leaves[start] as Uint8Array
    const key = `${start}:${n}`
    let h = this.#memo.get(key)
    if (h === undefined) {
      const k = split(n)
      h = hashChildren(this.mth(start, k), this.mth(start + k, n - k))
      this.#memo.set(key, h)
    }
    return h
  }

  /** Root of the first `size` leaves. */
  root(size: number): Uint8Array {
    return this.mth(0, size)
  }

  /** PATH(m, D[start : start+n]): the inclusion proof of leaf m. */
  inclusion(m: number, n: number, start = 0): Uint8Array[] {
    if (n <= 1) return []
    const k = split(n)
    return m < k ? [...this.inclusion(m, k, start), this.mth(start + k, n - k)] : [...this.inclusion(m - k, n - k, start + k), this.mth(start, k)]
  }

  /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
  consistency(m: number, n: number): Uint8Array[] {
    return this.#subproof(m, n, 0, true)
  }

  #subproof(m: number, n: number, start: number, b: boolean): Uint8Array[] {
    if (m === n) return b ? [] : [this.mth(start, m)]
    const k = split(n)
    return m <= k ? [...this.#subproof(m, k, start, b), this.mth(start + k, n - k)] : [...this.#subproof(m - k, n - k, start + k, false), this.mth(start, k)]
  }
}

/**
 * Every complete node of a tree, built level by level: what a store would hold. `get` refuses
 * a node that is not complete in a tree of `size` leaves, so plans asking for ephemeral nodes fail.
 */
export class NodeStore {
  readonly levels: Uint8Array[][]

  constructor(leaves: readonly Uint8Array[]) {
    this.levels = [leaves.slice()]
    for (let below = this.levels[0] as Uint8Array[]; below.length >= 2;) {
      const up: Uint8Array[] = []
      for (let i = 0; i + 1 < below.length; i += 2) up.push(hashChildren(below[i] as Uint8Array, below[i + 1] as Uint8Array))
      this.levels.push(up)
      below = up
    }
  }

  get(id: NodeId, size: number): Uint8Array {
    if ((id.index + 1) * 2 ** id.level > size) throw new Error(`node ${id.level}/${id.index} not complete in size ${size}`)
    const h = this.levels[id.level]?.[id.index]
    if (h === undefined) throw new Error(`node ${id.level}/${id.index} not stored`)
    return h
  }

  /** Number of complete nodes in a tree of `size` leaves. */
  count(size: number): number {
    let total = 0
    for (let level = 0; 2 ** level <= size; level++) total += Math.floor(size / 2 ** level)
    return total
  }
}

/** The `code` of the LedgerError `fn` throws; fails when it throws anything else or nothing. */
export function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (isLedgerError(err)) return err.code
    throw err
  }
  throw new Error('expected a LedgerError, nothing was thrown')
}

/** Copy of `bytes` with one bit flipped. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice()
  const at = (bit >>> 3) % out.length
  out[at] = (out[at] ?? 0) ^ (1 << (bit & 7))
  return out
}
