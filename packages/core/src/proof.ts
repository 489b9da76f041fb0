/**
 * RFC 9162 §2.1 proof generation as pure plans: which stored nodes a proof needs, and how to
 * turn their hashes into the proof. Only complete nodes (perfect subtrees inside the tree) are
 * ever stored; a proof hash over a partial subtree on the right border (an "ephemeral" node) is
 * rehashed from the complete nodes that cover its leaves.
 * https://www.rfc-editor.org/rfc/rfc9162#section-2.1.3.1
 */
import { LedgerError } from './error.js'
import { EMPTY_ROOT, HASH_SIZE, hashChildren } from './hash.js'
import { bitLength, shiftRight, trailingZeros } from './merkle.js'

/**
 * A complete node: the perfect subtree over leaves `[index·2^level, (index+1)·2^level)`.
 * Level 0 nodes are leaf hashes.
 *
 * @example
 * const id: NodeId = { level: 1, index: 3 } // covers leaves 6 and 7
 */
export interface NodeId {
  level: number
  index: number
}

/**
 * A proof to be built from stored nodes: fetch the hashes of `ids` (all complete in the tree
 * the plan was made for), in the same order, and pass them to `build`, which returns the proof
 * hashes (for a root plan, `[root]`). `build` throws `RangeError` when given the wrong number of
 * hashes or hashes that are not 32 bytes.
 *
 * @example
 * const plan = planInclusion(5, 11)
 * const proof = plan.build(await Promise.all(plan.ids.map((id) => store.node(id))))
 */
export interface ProofPlan {
  ids: NodeId[]
  /**
   * How many consecutive `ids` make each proof hash, in order: 1 for a stored node, more for an
   * ephemeral one (its covering complete nodes, folded right). Lets a caller that caches the
   * fold of an ephemeral node, which never changes once its leaves exist, skip `build`.
   */
  groups: readonly number[]
  build(hashes: readonly Uint8Array[]): Uint8Array[]
}

function checkCount(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new LedgerError('PROOF_RANGE', `${name} is not a safe non-negative integer`, { [name]: String(n) })
  }
}

// Each proof hash is made of `counts[k]` consecutive ids: one for a complete node, several for
// an ephemeral node (its covering complete nodes, left to right).
class Builder {
  readonly ids: NodeId[] = []
  readonly counts: number[] = []

  one(level: number, index: number): void {
    this.ids.push({ level, index })
    this.counts.push(1)
  }

  /** The complete nodes covering `[begin, end)`, `begin` aligned to a power of two > end - begin. */
  range(begin: number, end: number): void {
    let pos = begin
    let count = 0
    while (pos < end) {
      const level = bitLength(end - pos) - 1
      this.ids.push({ level, index: shiftRight(pos, level) })
      pos += 2 ** level
      count++
    }
    if (count > 0) this.counts.push(count)
  }

  /** Siblings on the path from node (level, index) up to the root of the tree of `size` leaves. */
  path(level: number, index: number, size: number): void {
    // At most bitLength(size) iterations: the loop ends once the node covers [0, size).
    while (index > 0 || 2 ** level < size) {
      const width = 2 ** level
      if (index % 2 === 1) {
        this.one(level, index - 1)
      } else {
        const begin = (index + 1) * width
        if (begin + width <= size) this.one(level, index + 1)
        else if (begin < size) this.range(begin, size) // partial sibling: ephemeral
        // else: no sibling inside the tree; the node is promoted unchanged (RFC 9162 §2.1.1)
      }
      level++
      index = Math.floor(index / 2)
    }
  }

  plan(): ProofPlan {
    const ids = this.ids
    const counts = this.counts
    return {
      ids,
      groups: counts,
      build(hashes: readonly Uint8Array[]): Uint8Array[] {
        if (hashes.length !== ids.length) {
          throw new RangeError(`plan needs ${ids.length} hashes, got ${hashes.length}`)
        }
        for (const h of hashes) {
          if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) throw new RangeError('node hash is not 32 bytes')
        }
        const out: Uint8Array[] = []
        let at = 0
        for (const count of counts) {
          out.push(foldRight(hashes, at, at + count))
          at += count
        }
        return out
      },
    }
  }
}

// MTH over consecutive perfect subtrees, largest first: H(h0, H(h1, ... H(hn-2, hn-1))).
function foldRight(hashes: readonly Uint8Array[], from: number, to: number): Uint8Array {
  let h = hashes[to - 1] as Uint8Array
  for (let i = to - 2; i >= from; i--) h = hashChildren(hashes[i] as Uint8Array, h)
  return h
}

/**
 * Plans the inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1),
 * ordered from the leaf's sibling up to the root, as {@link verifyInclusion} expects.
 * Preconditions: `0 <= index < size`, safe integers; otherwise throws `LedgerError` `PROOF_RANGE`.
 *
 * @example
 * planInclusion(2, 3).ids // [{ level: 1, index: 0 }]: leaf 2 has no sibling in a 3-leaf tree
 * planInclusion(0, 3).ids // [{ level: 0, index: 1 }, { level: 0, index: 2 }]
 */
export function planInclusion(index: number, size: number): ProofPlan {
  checkCount('index', index)
  checkCount('size', size)
  if (index >= size) throw new LedgerError('PROOF_RANGE', `index ${index} is not below size ${size}`, { index, size })
  const b = new Builder()
  b.path(0, index, size)
  return b.plan()
}

/**
 * Plans the consistency proof from the tree of `size1` leaves to the tree of `size2` leaves
 * (RFC 9162 §2.1.4.1), as {@link verifyConsistency} expects. `size1 == size2` gives the empty
 * proof. Preconditions: `0 < size1 <= size2`, safe integers; otherwise throws `LedgerError`
 * `PROOF_RANGE`.
 *
 * @example
 * const plan = planConsistency(checkpoint.size, latest.size)
 */
export function planConsistency(size1: number, size2: number): ProofPlan {
  checkCount('size1', size1)
  checkCount('size2', size2)
  if (size1 === 0) throw new LedgerError('PROOF_RANGE', 'no consistency proof from the empty tree', { size1, size2 })
  if (size1 > size2) throw new LedgerError('PROOF_RANGE', `size1 ${size1} exceeds size2 ${size2}`, { size1, size2 })
  const b = new Builder()
  if (size1 < size2) {
    // The largest perfect subtree ending at size1, then its inclusion path in the size2 tree.
    // When size1 is a power of two that subtree is the old root, which the verifier holds.
    const level = trailingZeros(size1)
    const index = shiftRight(size1 - 1, level)
    if (index > 0) b.one(level, index)
    b.path(level, index, size2)
  }
  return b.plan()
}

/**
 * Plans the root hash of the first `size` leaves: `build` returns `[root]`. For `size == 0`
 * there are no ids and the root is `EMPTY_ROOT`. Precondition: `size` a safe non-negative
 * integer; otherwise throws `LedgerError` `PROOF_RANGE`.
 *
 * @example
 * const plan = planRoot(5) // ids: [{ level: 2, index: 0 }, { level: 0, index: 4 }]
 * const [root] = plan.build(hashes)
 */
export function planRoot(size: number): ProofPlan {
  checkCount('size', size)
  if (size === 0) {
    return {
      ids: [],
      groups: [],
      build(hashes: readonly Uint8Array[]): Uint8Array[] {
        if (hashes.length !== 0) throw new RangeError(`plan needs 0 hashes, got ${hashes.length}`)
        return [EMPTY_ROOT]
      },
    }
  }
  const b = new Builder()
  b.range(0, size)
  return b.plan()
}
