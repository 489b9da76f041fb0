/** Live subscription: committed entries from a position on, then each new one as it commits. */
import { decodeEntry, hashLeaf, type Entry } from '@liuhen/core'

/** One committed entry as subscribers see it. */
export interface CommittedEntry {
  entry: Entry
  bytes: Uint8Array
  leafHash: Uint8Array
}

/** Wakes waiting subscribers after each commit, and ends them at close. */
export class CommitSignal {
  #waiters: (() => void)[] = []
  #closed = false

  get closed(): boolean {
    return this.#closed
  }

  /** Resolves at the next commit or at close. */
  next(): Promise<void> {
    if (this.#closed) return Promise.resolve()
    return new Promise((resolve) => this.#waiters.push(resolve))
  }

  notify(): void {
    const waiters = this.#waiters
    this.#waiters = []
    for (const w of waiters) w()
  }

  close(): void {
    this.#closed = true
    this.notify()
  }
}

/** A read entry; its leaf hash is computed only if asked for (findings and stats never do). */
export function committed(bytes: Uint8Array): CommittedEntry {
  return new Committed(decodeEntry(bytes), bytes)
}

// A class, not an object literal with a getter: the literal built a getter closure and an
// accessor pair per entry read.
class Committed implements CommittedEntry {
  #leafHash: Uint8Array | undefined
  constructor(
    readonly entry: Entry,
    readonly bytes: Uint8Array,
  ) {}

  get leafHash(): Uint8Array {
    return (this.#leafHash ??= hashLeaf(this.bytes))
  }
}
