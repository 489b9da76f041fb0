/**
 * A minimal stand-in for the ledger's append path, for tests: assigns index and time, resolves
 * refs exactly as the ledger does (index + leaf hash of the referenced entry when its id is
 * already in the log, unresolved otherwise), encodes with `encodeEntry`, and commits each entry
 * to a MemoryStore with the postings of `indexEntry`. Tiles and tree heads are not computed.
 */
import { readFileSync } from 'node:fs'
import { decodeEntry, EMPTY_ROOT, encodeEntry, type Entry, type EntryRef, type Event, hashLeaf, listRefs, MemoryStore } from '@liuhen/core'
import { indexEntry } from '../../src/indexer.js'

/** A built test ledger. */
export interface TestLedger {
  store: MemoryStore
  entries: Entry[]
  bytes: Uint8Array[]
  indexOf: (id: string) => number
}

/** Reads a JSON Lines fixture of events. */
export function readEvents(url: URL): Event[] {
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Event)
}

/** Appends `events` in order to a fresh MemoryStore. */
export async function buildLedger(events: Event[], startTime = Date.UTC(2026, 0, 5)): Promise<TestLedger> {
  const store = new MemoryStore()
  await store.open()
  const known = new Map<string, { index: number; hash: Uint8Array }>()
  const entries: Entry[] = []
  const bytes: Uint8Array[] = []
  for (const event of events) {
    const index = entries.length
    const refs: EntryRef[] = listRefs(event).map(({ name, id }) => {
      const hit = known.get(id)
      return hit ? { name, id, index: hit.index, hash: hit.hash } : { name, id }
    })
    const time = startTime + index * 1000
    const b = encodeEntry({ v: 1, index, time, event, refs })
    const entry = decodeEntry(b)
    known.set(event.id, { index, hash: hashLeaf(b) })
    entries.push(entry)
    bytes.push(b)
    await store.writeCommit({
      entries: [{ index, bytes: b }],
      ids: [{ id: event.id, index }],
      tiles: [],
      head: { size: index + 1, root: EMPTY_ROOT, time, frontier: [] },
      postings: indexEntry(entry).map((p) => ({ ...p, entry: index })),
    })
  }
  return {
    store,
    entries,
    bytes,
    indexOf: (id) => {
      const i = known.get(id)?.index
      if (i === undefined) throw new Error(`no ${id}`)
      return i
    },
  }
}
