/**
 * Bringing an index up to its log: the entries past the index's mark are read from the log and
 * their id records and postings written, in batches that each move the mark. Every put is
 * idempotent, so a catch-up killed midway is simply run again.
 */
import { decodeEntry, type Entry } from './entry.js'
import { LedgerError } from './error.js'
import { hashLeaf } from './hash.js'
import type { IdRecord, IndexStore } from './index-store.js'
import type { Posting, ReadableStore } from './store.js'

/** The postings of one entry (name and key; the entry's index is added). */
export type Indexer = (entry: Entry) => { name: string; key: string }[]

/** Entries indexed per batch: bounded memory, and a mark that moves as the catch-up goes. */
const CATCH_UP_CHUNK = 4096

/**
 * Indexes entries [mark, `size`) of `log` into `index`; returns how many. `STORE_BEHIND_CHECKPOINT`
 * when the index's mark is past `size` (the log lost entries it had published), `STORE_CORRUPT`
 * when an entry the log names is missing or does not decode.
 */
export async function catchUpIndex(log: ReadableStore, index: IndexStore, size: number, indexer: Indexer | undefined): Promise<number> {
  const mark = await index.readIndexedSize()
  if (mark > size) {
    throw new LedgerError('STORE_BEHIND_CHECKPOINT', `the log holds ${size} entries, fewer than the ${mark} its index was built from: its files were damaged or rolled back`, { size, published: mark })
  }
  for (let from = mark; from < size; from += CATCH_UP_CHUNK) {
    const to = Math.min(size, from + CATCH_UP_CHUNK)
    const ids: ({ id: string } & IdRecord)[] = []
    const postings: Posting[] = []
    let next = from
    for await (const { index: at, bytes } of log.readEntries(from, to)) {
      if (at !== next) break
      let entry: Entry
      try {
        entry = decodeEntry(bytes)
      } catch (cause) {
        throw new LedgerError('STORE_CORRUPT', `entry ${at} does not decode; the index cannot be brought up to the log`, { index: at }, { cause })
      }
      ids.push({ id: entry.event.id, index: at, hash: hashLeaf(bytes), time: entry.time })
      for (const p of indexer?.(entry) ?? []) postings.push({ name: p.name, key: p.key, entry: at })
      next++
    }
    if (next !== to) throw new LedgerError('STORE_CORRUPT', `entry ${next} is missing; the index cannot be brought up to the log`, { index: next })
    await index.writeBatch({ size: to, ids, postings })
  }
  return size - mark
}
