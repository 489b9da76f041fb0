/**
 * A streaming pass over a log in index order, for the scans of the whole log (findings, stats):
 * entries decoded one at a time, memory bounded by the store's read-ahead.
 */
import { decodeEntry, LedgerError, type Entry, type ReadableStore } from '@liuhen/core'

/**
 * Calls `fn` with every decoded entry of `store` in index order (the findings and stats engines
 * pass over the auditors' own `audit.queried` events themselves); `onProgress` gets the entries
 * read so far and the total. Returns the size scanned. `STORE_CORRUPT` on stored bytes that do
 * not decode: `liuhen verify` locates the damage.
 */
export async function scanLog(store: ReadableStore, fn: (entry: Entry) => void, onProgress?: (done: number, total: number) => void): Promise<number> {
  const size = (await store.readHead())?.size ?? 0
  let done = 0
  for await (const { index, bytes } of store.readEntries(0, size)) {
    let entry: Entry
    try {
      entry = decodeEntry(bytes)
    } catch (cause) {
      throw new LedgerError('STORE_CORRUPT', `entry ${index} does not decode (run liuhen verify)`, { index }, { cause })
    }
    fn(entry)
    if (++done % 4096 === 0) onProgress?.(done, size)
  }
  onProgress?.(done, size)
  return size
}
