/**
 * Compact range over `[0, size)`: the roots of the perfect subtrees that make up the first
 * `size` leaves (the "frontier"), enough to append leaves and compute the root in O(log n)
 * memory. This is on the append hot path: no copies, one hash per merged node.
 * https://github.com/transparency-dev/merkle/blob/main/docs/compact_ranges.md
 */
import { EMPTY_ROOT, HASH_SIZE, hashChildren } from './hash.js'
import { popcount } from './merkle.js'

function checkHash(name: string, h: unknown): asserts h is Uint8Array {
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) throw new TypeError(`${name} is not a ${HASH_SIZE}-byte hash`)
}

/**
 * The frontier of a Merkle tree under construction: append leaf hashes, read the root, and
 * learn of each complete node as it is created (to store it for proofs).
 *
 * Hash bytes are shared, never copied on the hot path: hashes passed to `append` are kept by
 * reference, and those returned by `hashes`, `root()` and `onNode` may be the range's own.
 * Treat every hash as immutable.
 *
 * @example
 * const range = CompactRange.empty()
 * range.append(hashLeaf(bytes), (level, index, hash) => nodes.set(`${level}/${index}`, hash))
 * const root = range.root()
 */
export class CompactRange {
  #size: number
  // Roots of the perfect subtrees of [0, size), largest (leftmost) first: one per set bit of size.
  readonly #nodes: Uint8Array[]

  private constructor(size: number, nodes: Uint8Array[]) {
    this.#size = size
    this.#nodes = nodes
  }

  /**
   * The range of the empty tree.
   * @example CompactRange.empty().root() // EMPTY_ROOT
   */
  static empty(): CompactRange {
    return new CompactRange(0, [])
  }

  /**
   * The range of a tree of `size` leaves from its frontier: the roots of the perfect subtrees of
   * `[0, size)`, largest (leftmost) first, one per set bit of `size`. Throws `RangeError` when
   * `size` is not a safe non-negative integer or the count is not `popcount(size)`, `TypeError`
   * when a hash is not 32 bytes. The hashes are copied.
   *
   * @example
   * CompactRange.fromFrontier(5, [root0to4, leaf4]) // 5 = 4 + 1
   */
  static fromFrontier(size: number, hashes: readonly Uint8Array[]): CompactRange {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError('size is not a safe non-negative integer')
    const want = popcount(size)
    if (hashes.length !== want) throw new RangeError(`size ${size} needs ${want} frontier hashes, got ${hashes.length}`)
    const nodes: Uint8Array[] = []
    for (let i = 0; i < hashes.length; i++) {
      const h = hashes[i]
      checkHash(`hashes[${i}]`, h)
      nodes.push(h.slice())
    }
    return new CompactRange(size, nodes)
  }

  /** Number of leaves in the range. */
  get size(): number {
    return this.#size
  }

  /**
   * The frontier hashes, largest subtree first, in a new array (see {@link CompactRange.fromFrontier}).
   * @example CompactRange.fromFrontier(r.size, r.hashes) // an equal range
   */
  get hashes(): Uint8Array[] {
    return this.#nodes.slice()
  }

  /**
   * Appends one leaf hash (32 bytes, else `TypeError`). `onNode` is called for every complete
   * node this creates: the leaf itself first (level 0, index = the old size), then each merged
   * parent in increasing level. A node's index counts nodes of its level from the left.
   *
   * @example
   * range.append(hashLeaf(bytes), (level, index, hash) => batch.putNode(level, index, hash))
   */
  append(leafHash: Uint8Array, onNode?: (level: number, index: number, hash: Uint8Array) => void): void {
    checkHash('leafHash', leafHash)
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError('compact range is full')
    const nodes = this.#nodes
    let index = this.#size
    let level = 0
    let hash = leafHash
    onNode?.(level, index, hash)
    // Each trailing one bit of the old size is a left sibling waiting for this right node.
    while (index % 2 === 1) {
      hash = hashChildren(nodes.pop() as Uint8Array, hash)
      level++
      index = (index - 1) / 2
      onNode?.(level, index, hash)
    }
    nodes.push(hash)
    this.#size++
  }

  /**
   * The root hash of the first `size` leaves (RFC 9162 §2.1.1 MTH); `EMPTY_ROOT` when empty.
   * @example CompactRange.empty().root() // EMPTY_ROOT
   */
  root(): Uint8Array {
    const nodes = this.#nodes
    let h = nodes[nodes.length - 1]
    if (h === undefined) return EMPTY_ROOT
    for (let i = nodes.length - 2; i >= 0; i--) h = hashChildren(nodes[i] as Uint8Array, h)
    return h
  }

  /**
   * An independent copy: appends to one do not affect the other.
   * @example const next = range.clone(); next.append(leaf)
   */
  clone(): CompactRange {
    return new CompactRange(this.#size, this.#nodes.slice())
  }
}
