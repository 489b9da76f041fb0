/**
 * Id lookups started at submission, coalesced: every batch submitted in the same turn of the
 * event loop (256 concurrent single appends, say) shares one store round trip, instead of one
 * thread-pool request each.
 */
import type { Store } from '@liuhen/core'
import type { IdLookup } from '../submit.js'

type IdRecord = { index: number; hash?: Uint8Array } | undefined

export class IdLookups {
  #pending = new Set<string>()
  #flushed: Promise<Map<string, IdRecord>> | undefined

  constructor(private readonly store: Store) {}

  /** Starts (or joins) the lookup of `ids`, tagged with the store generation it reads. */
  lookUp(ids: string[], generation: number): IdLookup {
    for (const id of ids) this.#pending.add(id)
    this.#flushed ??= this.#flushSoon()
    const all = this.#flushed
    const records = all.then((found) => ids.map((id) => found.get(id)))
    // A batch refused after its lookup started never awaits it: its failure must not go unhandled.
    records.catch(() => undefined)
    return { generation, ids, records }
  }

  async #flushSoon(): Promise<Map<string, IdRecord>> {
    // Wait for the rest of this turn's submissions (a microtask runs after the current job).
    await Promise.resolve()
    const ids = [...this.#pending]
    this.#pending = new Set()
    this.#flushed = undefined
    const records = await this.store.readIdRecords(ids)
    return new Map(ids.map((id, i) => [id, records[i]]))
  }
}
