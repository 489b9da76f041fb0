/**
 * The engine over a log store and an index store given explicitly (format 2's split), in memory:
 * the order of log and index, an index batch that fails after its log commit, the catch-up that
 * brings an index up to its log, and a reader that holds the log alone.
 */
import { describe, expect, it } from 'vitest'
import { generateSignerKey, LedgerError, signerFromKey, type Entry, MemoryIndex, MemoryIndexStore, MemoryLog, MemoryLogReader, MemoryLogStore, TiledStore, type IndexBatch } from '@liuhen/core'
import { Ledger, LogReader } from '@liuhen/ledger'

const ORIGIN = 'split.liuhen.example/log'
const skey = generateSignerKey(ORIGIN).skey
const event = (i: number) => ({ id: `e-${i}`, type: 'org.registered', at: '2026-03-01T09:00:00+08:00', actor: { dept: 'district.data-bureau' }, data: { org: `o-${i}` } })
const events = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => event(from + k))
const indexer = (entry: Entry) => [{ name: 'dept', key: entry.event.actor.dept }]
/** The hooks a ledger over explicit stores must be given: no contract here, the dept index. */
const hooks = { validate: false as const, indexer }

/** An index store whose next `failures` batches fail, as a full disk would. */
class FailingIndexStore extends MemoryIndexStore {
  failures = 0
  override async writeBatch(batch: IndexBatch): Promise<void> {
    if (this.failures > 0) {
      this.failures--
      throw new LedgerError('STORE_NO_SPACE', 'no space left on device (ENOSPC)', { errno: 'ENOSPC' })
    }
    return super.writeBatch(batch)
  }
}

async function postings(store: { readPostings: TiledStore['readPostings'] }): Promise<number[]> {
  const out: number[] = []
  for await (const p of store.readPostings('dept', 'district.data-bureau')) out.push(p.entry)
  return out
}

describe('the engine over a log store and an index store', () => {
  it('creates, appends, reopens and answers ids and postings from the index', async () => {
    const log = new MemoryLog()
    const index = new MemoryIndex()
    const stores = () => ({ log: new MemoryLogStore(log), index: new MemoryIndexStore(index) })
    const ledger = await Ledger.create(stores(), { origin: ORIGIN, skey, ...hooks })
    await ledger.appendBatch(events(0, 300))
    await ledger.close()
    const again = await Ledger.open(stores(), { skey, ...hooks })
    try {
      expect(again.size).toBe(300)
      expect((await again.getById('e-299'))?.entry.index).toBe(299)
      expect(await postings(again.store as TiledStore)).toEqual([...Array(300).keys()])
      expect((await again.append(event(7))).index).toBe(7) // a repeat, found in the index
    } finally {
      await again.close()
    }
  })

  it('keeps a commit whose index batch failed, and indexes it before the next one', async () => {
    const index = new FailingIndexStore()
    const ledger = await Ledger.create({ log: new MemoryLogStore(), index }, { origin: ORIGIN, skey, ...hooks })
    try {
      await ledger.appendBatch(events(0, 10))
      index.failures = 1
      const failed = await ledger.appendBatch(events(10, 20)).catch((err: unknown) => err)
      expect(failed).toMatchObject({ code: 'STORE_NO_SPACE', details: { committed: true } })
      // The log holds them: the size moved on, and appending them again answers their receipts.
      expect(ledger.size).toBe(20)
      const repeat = await ledger.appendBatch(events(10, 20))
      expect(repeat.map((r) => r.index)).toEqual([...Array(10).keys()].map((k) => 10 + k))
      expect(await index.readIndexedSize()).toBe(20)
      await ledger.append(event(20))
      expect(await index.readIndexedSize()).toBe(21)
      expect(await postings(ledger.store as TiledStore)).toEqual([...Array(21).keys()])
    } finally {
      await ledger.close()
    }
  })

  it('brings an index that lags its log up to it on open (a crash between the two)', async () => {
    const log = new MemoryLog()
    const index = new MemoryIndex()
    const ledger = await Ledger.create({ log: new MemoryLogStore(log), index: new MemoryIndexStore(index) }, { origin: ORIGIN, skey, ...hooks })
    await ledger.appendBatch(events(0, 5))
    await ledger.close()
    // The index as a crash before its batch would leave it: the log goes on without it.
    const behind = new FailingIndexStore(index)
    behind.failures = 1
    const crashed = await Ledger.open({ log: new MemoryLogStore(log), index: behind }, { skey, ...hooks })
    await crashed.appendBatch(events(5, 600)).catch(() => undefined)
    await crashed.close()
    const peek = new MemoryIndexStore(index)
    await peek.open()
    expect(await peek.readIndexedSize()).toBe(5)
    await peek.close()
    const reopened = await Ledger.open({ log: new MemoryLogStore(log), index: new MemoryIndexStore(index) }, { skey, ...hooks })
    try {
      expect(reopened.size).toBe(600)
      expect((await reopened.getById('e-599'))?.entry.index).toBe(599)
      expect((await postings(reopened.store as TiledStore)).length).toBe(600)
    } finally {
      await reopened.close()
    }
  })

  it('refuses an index ahead of its log: the log lost entries it had published', async () => {
    const log = new MemoryLog()
    const index = new MemoryIndex()
    const ledger = await Ledger.create({ log: new MemoryLogStore(log), index: new MemoryIndexStore(index) }, { origin: ORIGIN, skey, ...hooks })
    await ledger.appendBatch(events(0, 5))
    await ledger.close()
    const other = new MemoryLog()
    const fresh = await Ledger.create({ log: new MemoryLogStore(other), index: new MemoryIndexStore() }, { origin: ORIGIN, skey, ...hooks })
    await fresh.close()
    await expect(Ledger.open({ log: new MemoryLogStore(other), index: new MemoryIndexStore(index) }, { skey, ...hooks })).rejects.toMatchObject({
      code: 'STORE_BEHIND_CHECKPOINT',
      details: { size: 0, published: 5 },
    })
  })

  it('serves a reader of the log alone a consistent prefix while the writer appends', async () => {
    const log = new MemoryLog()
    const ledger = await Ledger.create({ log: new MemoryLogStore(log), index: new MemoryIndexStore() }, { origin: ORIGIN, skey, ...hooks })
    try {
      await ledger.appendBatch(events(0, 100))
      const reader = await LogReader.open(new TiledStore({ log: new MemoryLogReader(log) }))
      expect(reader.size).toBe(100)
      await ledger.appendBatch(events(100, 400))
      // Its head stays where it was read until it refreshes; proofs at it still verify.
      expect(reader.size).toBe(100)
      expect((await reader.proveInclusion(99)).root).toBe(Buffer.from(await ledger.rootAt(100)).toString('hex'))
      const seen: number[] = []
      for await (const e of reader.entries(95)) seen.push(e.entry.index)
      expect(seen).toEqual([95, 96, 97, 98, 99])
      await reader.refresh()
      expect(reader.size).toBe(400)
      expect(reader.head.root).toEqual(ledger.head.root)
      expect(reader.head.frontier).toEqual(ledger.head.frontier)
      expect(reader.head.time).toBe(ledger.head.time)
      await expect((reader.store as TiledStore).readIdRecord('e-1')).rejects.toMatchObject({ code: 'STORE_NOT_OPEN' })
    } finally {
      await ledger.close()
    }
  })

  it('takes a signer in place of its key text, and refuses one that does not sign for the ledger', async () => {
    const log = new MemoryLog()
    const index = new MemoryIndex()
    await (await Ledger.create({ log: new MemoryLogStore(log), index: new MemoryIndexStore(index) }, { origin: ORIGIN, skey, ...hooks })).close()
    const ledger = await Ledger.open({ log: new MemoryLogStore(log), index: new MemoryIndexStore(index) }, { signer: signerFromKey(skey), ...hooks })
    expect((await ledger.append(event(0))).index).toBe(0)
    await ledger.close()
    const other = signerFromKey(generateSignerKey(ORIGIN).skey)
    await expect(Ledger.open({ log: new MemoryLogStore(log), index: new MemoryIndexStore(index) }, { signer: other, ...hooks })).rejects.toMatchObject({ code: 'KEY_MALFORMED' })
  })
})
