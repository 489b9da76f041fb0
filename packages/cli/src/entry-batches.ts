/**
 * Entries read a bounded batch at a time, the store released before the batch is handed on: a
 * reader whose output is slow (a pipe nobody reads) must never hold the store, since LevelDB
 * lets one process at a time open it and every `append` would wait on it.
 */
import { isLedgerError, type StoredEntry } from '@liuhen/core'
import { openStore } from './open.js'

/** Most entries, and about the most bytes of entries, read under the store at a time. */
const BATCH_ENTRIES = 10_000
const BATCH_BYTES = 4 << 20

/** One batch: the entries read and the ledger's size when they were read. */
export interface EntryBatch {
  entries: StoredEntry[]
  size: number
}

/**
 * Reads the entries of the ledger in `dir` from `from` on, below `to` (default: its size), a
 * bounded batch at most, and closes the store before resolving. The open waits `waitMs` for a
 * lock (default: the usual wait); with `waitMs` 0 a locked store resolves undefined instead.
 * `dir` may be the URL of a published log, read with the pinned verifier `key`.
 */
export async function readEntryBatch(dir: string, from: number, to?: number, waitMs?: number, key?: string): Promise<EntryBatch | undefined> {
  let store
  try {
    store = await openStore(dir, waitMs, { key })
  } catch (err) {
    if (waitMs === 0 && isLedgerError(err, 'STORE_LOCKED')) return undefined
    throw err
  }
  const entries: StoredEntry[] = []
  try {
    const size = (await store.readHead())?.size ?? 0
    let bytes = 0
    for await (const entry of store.readEntries(from, Math.min(size, to ?? size, from + BATCH_ENTRIES))) {
      entries.push(entry)
      bytes += entry.bytes.length
      if (bytes >= BATCH_BYTES) break
    }
    return { entries, size }
  } finally {
    await store.close()
  }
}
