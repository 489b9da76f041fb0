/**
 * The tree an audit recomputes, with tamper localisation. Entries are hashed into a compact
 * range and every complete node at a tile level is compared with the stored tile. A stored hash
 * that differs does not say by itself which side changed: the entry or the tile. The signed
 * checkpoints decide. On the first differing leaf the tracker forks a second tree, built from
 * the stored leaf hashes instead of the entries', and the next signed root says which one is
 * the signed history: the entries' (the tile was rewritten: `AUDIT_NODE_MISMATCH`) or the
 * tiles' (the entry was changed: `AUDIT_ENTRY_CORRUPT`). Memory: two compact ranges plus the
 * differences seen since the last signed root, at most `maxPending` of them.
 */
import { CompactRange, TILE_HEIGHT, bytesEqual, type ReadableStore } from '@liuhen/core'
import { frontierFromStore } from '../nodes.js'
import type { FailureCollector } from './collector.js'
import type { TileWalker } from './tiles.js'

interface NodeDiff {
  level: number
  index: number
  /** Recomputed. */
  expected: Uint8Array
  /** Stored. */
  actual: Uint8Array
  /** Level 0 only: the entry was already reported undecodable or out of place. */
  reported?: boolean
}

interface TileNode {
  level: number
  index: number
  hash: Uint8Array
}

/** How a signed root compared with the recomputed tree. */
export type Resolution = 'match' | 'entries-changed' | 'mismatch'

export class TreeTracker {
  main = CompactRange.empty()
  #alt: CompactRange | undefined
  #leafDiffs: NodeDiff[] = []
  #mainDiffs: NodeDiff[] = []
  #altDiffs: NodeDiff[] = []
  #pendingOmitted = 0
  /** True once the tree cannot be recomputed (an entry and its stored leaf hash both missing). */
  broken = false
  /** True while the entries are known to differ from the signed tree and no rebase was possible. */
  diverged = false
  /** Size of the last signed root that matched: entries below it are covered by a signature. */
  lastGoodSize = 0
  /** Entry leaf hashes of leaves whose stored hash differs; refs may bind either (see audit). */
  readonly overrides = new Map<number, Uint8Array>()

  constructor(
    readonly source: ReadableStore,
    readonly tiles: TileWalker,
    readonly failures: FailureCollector,
    readonly maxPending: number,
  ) {}

  /**
   * Appends leaf `index` (the next one); `entryHash` is undefined when the entry is missing;
   * `reported` when the entry already has a failure that explains a changed leaf hash. Returns a
   * promise only when a stored tile must be read first (see TileWalker).
   */
  append(index: number, entryHash: Uint8Array | undefined, reported = false): Promise<void> | undefined {
    if (this.broken) return undefined
    const stored = this.tiles.hash(0, index)
    if (stored instanceof Promise) return stored.then((s) => this.#appendLeaf(index, entryHash, reported, s))
    return this.#appendLeaf(index, entryHash, reported, stored)
  }

  #appendLeaf(index: number, entryHash: Uint8Array | undefined, reported: boolean, stored: Uint8Array | undefined): Promise<void> | undefined {
    const mainLeaf = entryHash ?? stored
    if (!mainLeaf) {
      this.broken = true
      this.failures.fail('AUDIT_ENTRY_MISSING', `entry ${index} and its stored leaf hash are both missing: the tree cannot be recomputed past it`, { index })
      return undefined
    }
    if (entryHash && stored && !bytesEqual(entryHash, stored)) {
      this.#alt ??= this.main.clone()
      this.#push(this.#leafDiffs, { level: 0, index, expected: entryHash, actual: Uint8Array.from(stored), reported })
      if (this.overrides.size < this.maxPending) this.overrides.set(index, entryHash)
    }
    const mainNodes = this.#grow(this.main, mainLeaf)
    const altNodes = this.#alt ? this.#grow(this.#alt, stored ?? mainLeaf) : undefined
    // Only one leaf in 256 completes a node at a tile level: the others are done here.
    if (!mainNodes && !altNodes) return undefined
    return this.#compare(mainNodes, this.#mainDiffs).then(() => this.#compare(altNodes, this.#altDiffs))
  }

  /** Nodes at tile levels the last #grow completed; undefined when none (nearly always). */
  #grown: TileNode[] | undefined
  readonly #onNode = (level: number, index: number, hash: Uint8Array): void => {
    if (level > 0 && level % TILE_HEIGHT === 0) (this.#grown ??= []).push({ level, index, hash })
  }

  #grow(range: CompactRange, leaf: Uint8Array): TileNode[] | undefined {
    this.#grown = undefined
    range.append(leaf, this.#onNode)
    return this.#grown
  }

  async #compare(nodes: TileNode[] | undefined, into: NodeDiff[]): Promise<void> {
    for (const n of nodes ?? []) {
      const stored = await this.tiles.hash(n.level / TILE_HEIGHT, n.index)
      if (stored && !bytesEqual(stored, n.hash)) this.#push(into, { level: n.level, index: n.index, expected: n.hash, actual: Uint8Array.from(stored) })
    }
  }

  #push(list: NodeDiff[], diff: NodeDiff): void {
    if (list.length < this.maxPending) list.push(diff)
    else this.#pendingOmitted++
  }

  /**
   * Compares the signed `root` at the current size with the recomputed tree and settles the
   * pending differences. Returns `match` when the entries give `root`, `entries-changed` when
   * the stored leaf hashes give it (the entries named in `AUDIT_ENTRY_CORRUPT` failures), and
   * `mismatch` when neither does (reported by the caller, who knows where the root came from).
   */
  async resolve(root: Uint8Array): Promise<Resolution> {
    const size = this.main.size
    if (bytesEqual(this.main.root(), root)) {
      this.#flush('entries')
      this.lastGoodSize = size
      this.diverged = false
      return 'match'
    }
    const alt = this.#alt
    if (alt && bytesEqual(alt.root(), root)) {
      this.#flush('tiles')
      this.main = alt
      this.lastGoodSize = size
      this.diverged = false
      return 'entries-changed'
    }
    this.#flush('neither')
    await this.#rebase(size, root)
    return 'mismatch'
  }

  /** Settles differences no signed root covers (after the last checkpoint): entries are primary. */
  settleUnsigned(): void {
    this.#flush('unsigned')
  }

  #flush(winner: 'entries' | 'tiles' | 'neither' | 'unsigned'): void {
    const f = this.failures
    const leafCode = winner === 'entries' || winner === 'unsigned' ? 'AUDIT_NODE_MISMATCH' : 'AUDIT_ENTRY_CORRUPT'
    for (const d of this.#leafDiffs) {
      const why =
        leafCode === 'AUDIT_NODE_MISMATCH'
          ? `stored leaf hash of entry ${d.index} differs from the entry's${winner === 'unsigned' ? ' (no signed checkpoint covers it)' : '; the entry matches the signed root'}`
          : `entry ${d.index} was changed: its leaf hash is not the one that was signed`
      if (leafCode === 'AUDIT_ENTRY_CORRUPT') {
        // An entry already reported (undecodable, out of place) is not reported twice.
        if (!d.reported) f.fail(leafCode, why, { index: d.index }, d.actual, d.expected)
      } else f.fail(leafCode, why, { index: d.index }, d.expected, d.actual)
    }
    const nodeDiffs = winner === 'tiles' ? this.#altDiffs : this.#mainDiffs
    if (winner === 'neither' && this.#leafDiffs.length === 0 && nodeDiffs[0]) {
      // Entries and level-0 tiles changed together: the first higher node still localises it.
      const d = nodeDiffs[0]
      const first = d.index * 2 ** d.level
      f.fail(
        'AUDIT_ENTRY_CORRUPT',
        `entries in [${first}, ${first + 2 ** d.level}) differ from the tree that was signed (entries and leaf tiles rewritten together)`,
        { index: first },
        d.actual,
        d.expected,
      )
    } else if (winner !== 'neither') {
      for (const d of nodeDiffs) {
        f.fail('AUDIT_NODE_MISMATCH', `stored node ${d.level}/${d.index} differs from the recomputed one`, { index: d.index * 2 ** d.level }, d.expected, d.actual)
      }
    }
    if (this.#pendingOmitted > 0) f.omitted += this.#pendingOmitted
    this.#leafDiffs = []
    this.#mainDiffs = []
    this.#altDiffs = []
    this.#pendingOmitted = 0
    this.#alt = undefined
  }

  /**
   * After a mismatch, continues from the signed tree when the stored tiles still hold it, so one
   * rewritten range is reported once and not at every later checkpoint.
   */
  async #rebase(size: number, root: Uint8Array): Promise<void> {
    try {
      const frontier = await frontierFromStore(this.source, size)
      const range = CompactRange.fromFrontier(size, frontier)
      if (bytesEqual(range.root(), root)) {
        this.main = range
        this.lastGoodSize = size
        this.diverged = false
        return
      }
    } catch {
      // tiles missing or lying: stay on the entries' tree
    }
    this.diverged = true
  }
}
