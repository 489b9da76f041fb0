/**
 * The read side of a ledger: entries, proofs and roots at a head, with the tile cache as its
 * field. The engine keeps one and moves its head after each commit; a process that only reads
 * (an auditor's command, a follower) opens one over a store it does not write, with no signer and,
 * for a format-2 log, no lock, and calls {@link LogReader.refresh} to see new commits.
 */
import { LedgerError, planConsistency, planInclusion, planRoot, toHex, type ReadableStore, type StoredCheckpoint, type TreeHead } from '@liuhen/core'
import { hexHashes, TileCache } from './internal/tile-cache.js'
import type { ConsistencyProof, InclusionProof } from './options.js'
import { committed, type CommittedEntry } from './subscription.js'

/** The head of an empty log. */
export const EMPTY_HEAD: TreeHead = { size: 0, root: planRoot(0).build([])[0] as Uint8Array, time: 0, frontier: [] }

/** Entries, proofs and roots of a log at one head. */
export class LogReader {
  readonly store: ReadableStore
  #head: TreeHead
  /**
   * At most 8 MiB of tiles with their inner nodes hashed (internal/tile-cache.ts). Nothing in it
   * goes stale as the head moves: a node, once complete, never changes.
   */
  readonly #tiles = new TileCache()

  constructor(store: ReadableStore, head: TreeHead) {
    this.store = store
    this.#head = head
  }

  /**
   * A reader of `store` at the head it holds now.
   * @example const reader = await LogReader.open(tiledReaderOf('district-ledger'))
   */
  static async open(store: ReadableStore): Promise<LogReader> {
    return new LogReader(store, (await store.readHead()) ?? EMPTY_HEAD)
  }

  /** The head proofs and reads are served against. */
  get head(): TreeHead {
    return this.#head
  }

  /** Number of entries at the head. */
  get size(): number {
    return this.#head.size
  }

  /** Moves to `head`, which must not be smaller (`RangeError`): the engine after a commit. */
  advance(head: TreeHead): void {
    if (head.size < this.#head.size) throw new RangeError(`head of size ${head.size} is behind ${this.#head.size}`)
    this.#head = head
  }

  /**
   * Reads the store's head again (a format-2 log: the checkpoint published now) and moves to it.
   * `STORE_BEHIND_CHECKPOINT` when the store went back: a log never shrinks.
   */
  async refresh(): Promise<TreeHead> {
    const head = (await this.store.readHead()) ?? EMPTY_HEAD
    if (head.size < this.#head.size) {
      throw new LedgerError('STORE_BEHIND_CHECKPOINT', `the log holds ${head.size} entries, fewer than the ${this.#head.size} read before`, { size: head.size, published: this.#head.size })
    }
    this.#head = head
    return head
  }

  /** The latest checkpoint the store holds (a format-2 log: the one its head was read from). */
  latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return this.store.readLatestCheckpoint()
  }

  /**
   * Inclusion proof of entry `index` in the tree of size `size` (default: the head's). Nodes come
   * from the tile cache; what it lacks is read in one batch. Only nodes complete at the head are
   * read and cached, so proofs are safe while a writer appends.
   */
  async proveInclusion(index: number, size = this.#head.size): Promise<InclusionProof> {
    this.#checkRange(size)
    const head = this.#head
    const plan = planInclusion(index, size)
    const rootPlan = size === head.size ? undefined : planRoot(size)
    const ids = [{ level: 0, index }, ...plan.ids, ...(rootPlan?.ids ?? [])]
    // Views into the cache: they are only hex-encoded, before anything else runs.
    const hashes = await this.#tiles.nodes(this.store, ids, head.size, true)
    const proofEnd = 1 + plan.ids.length
    const proof = this.#tiles.build(plan, hashes.slice(1, proofEnd))
    const root = rootPlan ? (this.#tiles.build(rootPlan, hashes.slice(proofEnd))[0] as Uint8Array) : head.root
    const hex = hexHashes([hashes[0] as Uint8Array, root, ...proof])
    return { index, size, leafHash: hex[0] as string, proof: hex.slice(2), root: hex[1] as string }
  }

  /** Consistency proof from size `size1` to `size2` (default: the head's), through the tile cache. */
  async proveConsistency(size1: number, size2 = this.#head.size): Promise<ConsistencyProof> {
    this.#checkRange(size2)
    const plan = planConsistency(size1, size2)
    const nodes = this.#tiles.nodes(this.store, plan.ids, this.#head.size)
    const [proof, root1, root2] = await Promise.all([nodes.then((h) => this.#tiles.build(plan, h)), this.rootAt(size1), this.rootAt(size2)])
    return { size1, size2, proof: proof.map(toHex), root1: toHex(root1), root2: toHex(root2) }
  }

  /** Root of the first `size` entries, from stored tiles through the tile cache. */
  async rootAt(size: number): Promise<Uint8Array> {
    this.#checkRange(size)
    if (size === this.#head.size) return this.#head.root
    const plan = planRoot(size)
    return this.#tiles.build(plan, await this.#tiles.nodes(this.store, plan.ids, this.#head.size))[0] as Uint8Array
  }

  #checkRange(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.#head.size) {
      throw new LedgerError('PROOF_RANGE', `size ${size} is outside 0..${this.#head.size}`, { size, current: this.#head.size })
    }
  }

  /** The entry at `index`, decoded, with its bytes and leaf hash; undefined past the head. */
  async get(index: number): Promise<CommittedEntry | undefined> {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.#head.size) return undefined
    const bytes = await this.store.readEntry(index)
    if (!bytes) throw new LedgerError('STORE_CORRUPT', `entry ${index} is missing`, { index })
    return committed(bytes)
  }

  /** Entries with `from <= index < to` (default: to the head's size), in order. */
  async *entries(from = 0, to = this.#head.size): AsyncIterable<CommittedEntry> {
    for await (const { bytes } of this.store.readEntries(from, Math.min(to, this.#head.size))) {
      yield committed(bytes)
    }
  }
}
