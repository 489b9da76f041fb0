/**
 * The signed roots an audit checks the recomputed tree against, in size order: the store's
 * checkpoints, streamed (one look-ahead, so memory stays O(1) however many there are), and the
 * checkpoints the auditor holds (a handful, sorted up front).
 */
import { openCheckpoint, type Checkpoint, type NoteVerifier, type ReadableStore, type StoredCheckpoint } from '@liuhen/core'
import type { FailureCollector } from './collector.js'

/** A root signed by the pinned key. */
export interface SignedRoot {
  size: number
  root: Uint8Array
  /** `stored`: read from the store; `held`: given by the auditor. */
  from: 'stored' | 'held'
  text: string
}

/** Counts for the report. */
export interface CheckpointCounts {
  checked: number
  consistent: number
}

const describe = (err: unknown): string => (err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err))

/** Opens `text` with the pinned key; undefined (and a failure) when it does not verify. */
export function openSigned(text: unknown, verifier: NoteVerifier, origin: string | undefined, failures: FailureCollector, what: string, size?: number): Checkpoint | undefined {
  try {
    if (typeof text !== 'string') throw new TypeError('checkpoint is not text')
    return openCheckpoint(text, verifier, origin === undefined ? {} : { origin }).checkpoint
  } catch (err) {
    failures.fail('AUDIT_CHECKPOINT_SIGNATURE', `${what} does not verify with the pinned key (${describe(err)})`, size === undefined ? {} : { size })
    return undefined
  }
}

export class CheckpointFeed {
  readonly counts: CheckpointCounts = { checked: 0, consistent: 0 }
  /** The largest stored checkpoint whose signature verified. */
  latestStored: SignedRoot | undefined
  readonly #stored: AsyncIterator<StoredCheckpoint>
  #ahead: SignedRoot | undefined
  #storedDone = false
  #lastStoredSize = -1
  #pulled = 0
  readonly #held: SignedRoot[] = []

  constructor(
    source: ReadableStore,
    readonly verifier: NoteVerifier,
    readonly origin: string | undefined,
    held: readonly string[],
    readonly failures: FailureCollector,
    /** Most stored checkpoints read: a lying store could stream them for ever. */
    readonly limit: number,
  ) {
    this.#stored = source.readCheckpoints()[Symbol.asyncIterator]()
    held.forEach((text, i) => {
      this.counts.checked++
      const cp = openSigned(text, verifier, origin, failures, `held checkpoint #${i + 1}`)
      if (cp) this.#held.push({ size: cp.size, root: cp.root, from: 'held', text })
    })
    this.#held.sort((a, b) => a.size - b.size)
  }

  /** Pulls the next stored checkpoint that verifies into the look-ahead. */
  async #pull(): Promise<void> {
    while (!this.#ahead && !this.#storedDone) {
      const next = await this.#stored.next()
      if (!next.done && ++this.#pulled > this.limit) {
        this.failures.fail('AUDIT_STORE_ERROR', `the store lists more than ${this.limit} checkpoints; the rest were not read`)
        this.#storedDone = true
        return
      }
      if (next.done) {
        this.#storedDone = true
        return
      }
      const stored = next.value as Partial<StoredCheckpoint> | undefined
      this.counts.checked++
      const size = typeof stored?.size === 'number' ? stored.size : -1
      const cp = openSigned(stored?.text, this.verifier, this.origin, this.failures, `stored checkpoint at size ${size}`, size >= 0 ? size : undefined)
      if (!cp) continue
      if (cp.size !== size || size <= this.#lastStoredSize) {
        this.failures.fail('AUDIT_CHECKPOINT_SIGNATURE', `checkpoint signing size ${cp.size} is stored under size ${size} or out of order`, { size: cp.size })
        continue
      }
      this.#lastStoredSize = size
      this.#ahead = { size, root: cp.root, from: 'stored', text: stored?.text as string }
    }
  }

  /** The smallest size with a signed root still to check, or undefined. */
  async nextSize(): Promise<number | undefined> {
    await this.#pull()
    const a = this.#ahead?.size
    const b = this.#held[0]?.size
    if (a === undefined) return b
    if (b === undefined) return a
    return Math.min(a, b)
  }

  /** Removes and returns the signed roots at `size` (stored first). */
  async take(size: number): Promise<SignedRoot[]> {
    const out: SignedRoot[] = []
    await this.#pull()
    if (this.#ahead?.size === size) {
      out.push(this.#ahead)
      this.latestStored = this.#ahead
      this.#ahead = undefined
    }
    while (this.#held[0]?.size === size) out.push(this.#held.shift() as SignedRoot)
    return out
  }

  /** Everything left: signed roots beyond the recomputed tree. */
  async rest(): Promise<SignedRoot[]> {
    const out: SignedRoot[] = []
    for (let size = await this.nextSize(); size !== undefined; size = await this.nextSize()) out.push(...(await this.take(size)))
    return out
  }
}
