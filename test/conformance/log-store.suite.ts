/**
 * The log store conformance suite: every log backend must pass it. Run it with a factory that
 * makes a new, empty log and hands out handles to it (memory-log-store.test.ts, and the file
 * store's in packages/store-files/test). Commits are real: entries, tiles and signed checkpoints
 * from log-builder.mjs, checked back as a tlog-tiles client would.
 */
import { describe, expect, it } from 'vitest'
import { cosignCheckpoint, cosignerFromKey, generateCosignerKey, generateSignerKey, parseEntryBundle, type LedgerMeta, type LogStore, type ReadableLogStore } from '@liuhen/core'
import { checkLog, LogBuilder } from './log-builder.mjs'

/** One log under test. */
export interface LogFixture {
  /** A new, unopened writer handle on the log. */
  writer(): LogStore
  /** A new reader handle on the log (no lock, no open). */
  reader(): ReadableLogStore
  /**
   * Makes the next commit fail partway through its writes (after some of its files are written);
   * resolves with the undoing of that. Optional: a backend whose commits cannot fail partway
   * (memory) leaves it out.
   */
  sabotage?(): Promise<() => Promise<void>>
}

const ORIGIN = 'conformance.example/log'

/** Runs the suite against logs made by `make`. */
export function logStoreConformance(name: string, make: () => Promise<LogFixture>): void {
  const key = generateSignerKey(ORIGIN)
  const meta: LedgerMeta = { format: 2, origin: ORIGIN, vkey: key.vkey }

  async function created(): Promise<{ log: LogFixture; writer: LogStore; builder: LogBuilder }> {
    const log = await make()
    const writer = log.writer()
    await writer.open()
    const builder = new LogBuilder(key.skey, ORIGIN)
    await writer.create(meta, builder.checkpoint())
    return { log, writer, builder }
  }

  describe(`${name} log conformance`, () => {
    it('starts with no log, then with a signed checkpoint of size 0, and is created once', async () => {
      const log = await make()
      const writer = log.writer()
      await writer.open()
      expect(await writer.readCheckpoint()).toBeUndefined()
      expect(await writer.readMeta()).toBeUndefined()
      const builder = new LogBuilder(key.skey, ORIGIN)
      await expect(writer.writeCommit(builder.commit(1))).rejects.toMatchObject({ code: 'LEDGER_NOT_FOUND' })
      await expect(writer.create(meta, builder.checkpoint(1))).rejects.toThrow(RangeError)
      const empty = new LogBuilder(key.skey, ORIGIN).checkpoint()
      await writer.create(meta, empty)
      expect(await writer.readCheckpoint()).toEqual(empty)
      expect(await writer.readMeta()).toEqual(meta)
      await expect(writer.create(meta, empty)).rejects.toMatchObject({ code: 'STORE_EXISTS' })
      expect(await log.reader().readCheckpoint()).toEqual(empty)
      expect(await checkLog(log.reader(), key.vkey)).toBe(0)
      await writer.close()
    })

    it('reads back what commits wrote, as a tlog-tiles client checks it', async () => {
      const { log, writer, builder } = await created()
      for (const count of [3, 2, 300, 1, 250, 500]) await writer.writeCommit(builder.commit(count))
      expect((await writer.readCheckpoint())?.size).toBe(1056)
      expect(await checkLog(writer, key.vkey)).toBe(1056)
      expect(await checkLog(log.reader(), key.vkey)).toBe(1056)
      expect(await log.reader().readTile(1, 0, 4)).toEqual(builder.tile(1, 0, 4))
      await writer.close()
    })

    it('keeps everything when reopened, and appends on from there', async () => {
      const { log, writer, builder } = await created()
      await writer.writeCommit(builder.commit(300))
      await writer.close()
      const again = log.writer()
      await again.open()
      expect(await again.readCheckpoint()).toEqual(builder.checkpoint())
      expect(await again.readMeta()).toEqual(meta)
      // The open bundle (entries 256–299) must be carried on into the next, wider one.
      await again.writeCommit(builder.commit(10))
      await again.close()
      expect(await checkLog(log.reader(), key.vkey)).toBe(310)
    })

    it('refuses a commit that does not follow the log, leaving the checkpoint as it was', async () => {
      const { log, writer, builder } = await created()
      await writer.writeCommit(builder.commit(5))
      const before = await writer.readCheckpoint()
      const good = new LogBuilder(key.skey, ORIGIN)
      good.commit(5)
      const next = good.commit(3)
      const bad = [
        { ...next, entries: next.entries.slice(1) },
        { ...next, entries: next.entries.map((e) => ({ ...e, index: e.index + 1 })) },
        { ...next, tiles: [] },
        { ...next, tiles: next.tiles.map((t) => ({ ...t, hashes: t.hashes.subarray(32) })) },
        { ...next, checkpoint: { size: 8, text: before?.text ?? '' } },
      ]
      for (const commit of bad) await expect(writer.writeCommit(commit)).rejects.toThrow(RangeError)
      const huge = { ...next, entries: [...next.entries.slice(0, 2), { index: 7, bytes: new Uint8Array(65_536) }] }
      await expect(writer.writeCommit(huge)).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' })
      expect(await writer.readCheckpoint()).toEqual(before)
      expect(await log.reader().readEntryBundle(0, 8)).toBeUndefined()
      await writer.writeCommit(next)
      expect(await checkLog(log.reader(), key.vkey)).toBe(8)
      await writer.close()
    })

    it('keeps narrower partial tiles and bundles for readers of older checkpoints', async () => {
      const { log, writer, builder } = await created()
      await writer.writeCommit(builder.commit(3))
      const old = log.reader()
      await old.readCheckpoint()
      const bundle3 = await old.readEntryBundle(0, 3)
      expect(parseEntryBundle(bundle3 ?? new Uint8Array(0), 3)).toHaveLength(3)
      await writer.writeCommit(builder.commit(2))
      // A reader holding size 3 still gets what it names; one at size 5 gets the wider ones.
      expect(await old.readEntryBundle(0, 3)).toEqual(bundle3)
      expect(await old.readTile(0, 0, 3)).toEqual(builder.tile(0, 0, 3))
      expect(await old.readEntryBundle(0, 5)).toBeUndefined()
      expect(await old.readCheckpoint()).toEqual(builder.checkpoint(5))
      expect(parseEntryBundle((await old.readEntryBundle(0, 5)) ?? new Uint8Array(0), 5)).toHaveLength(5)
      // Once the full tile is published, it answers for every narrower width, to a reader that
      // still holds size 5 as to a new one.
      await writer.writeCommit(builder.commit(300))
      expect(await old.readTile(0, 0, 3)).toEqual(builder.tile(0, 0, 3))
      expect(await old.readTile(0, 0, 5)).toEqual(builder.tile(0, 0, 5))
      expect(await old.readEntryBundle(0, 3)).toEqual(bundle3)
      expect(await old.readTile(0, 0, 6)).toBeUndefined()
      const reader = log.reader()
      await reader.readCheckpoint()
      expect(await reader.readTile(0, 0, 3)).toEqual(builder.tile(0, 0, 3))
      expect(await reader.readEntryBundle(0, 3)).toEqual(bundle3)
      expect(await reader.readTile(0, 0, 256)).toEqual(builder.tile(0, 0, 256))
      await writer.close()
    })

    it('serves nothing past the checkpoint a reader holds', async () => {
      const { log, writer, builder } = await created()
      await writer.writeCommit(builder.commit(5))
      const reader = log.reader()
      expect(await reader.readTile(0, 0, 5)).toEqual(builder.tile(0, 0, 5)) // reads the checkpoint first by itself
      await writer.writeCommit(builder.commit(300))
      expect(await reader.readTile(0, 0, 6)).toBeUndefined()
      expect(await reader.readTile(0, 0, 256)).toBeUndefined()
      expect(await reader.readEntryBundle(1, 1)).toBeUndefined()
      expect(await reader.readTile(1, 0, 1)).toBeUndefined()
      await reader.readCheckpoint()
      expect(await reader.readTile(1, 0, 1)).toEqual(builder.tile(1, 0, 1))
      expect(await reader.readTile(0, 1, 50)).toBeUndefined()
      await expect(reader.readTile(0, 0, 0)).rejects.toThrow(RangeError)
      await expect(reader.readTile(0, 0, 257)).rejects.toThrow(RangeError)
      await writer.close()
    })

    it('leaves nothing visible when a commit fails partway, and takes a retry', async () => {
      const { log, writer, builder } = await created()
      if (!log.sabotage) return
      await writer.writeCommit(builder.commit(200))
      const before = await writer.readCheckpoint()
      const repair = await log.sabotage()
      const retry = LogBuilder.resumed(key.skey, ORIGIN, 200)
      await expect(writer.writeCommit(builder.commit(100))).rejects.toMatchObject({ code: expect.stringMatching(/^STORE_/) })
      expect(await writer.readCheckpoint()).toEqual(before)
      expect(await checkLog(log.reader(), key.vkey)).toBe(200)
      expect(await log.reader().readEntryBundle(0, 256)).toBeUndefined()
      await repair()
      // The retry rewrites the paths the failed commit left behind past the checkpoint.
      await writer.writeCommit(retry.commit(100))
      expect(await checkLog(log.reader(), key.vkey)).toBe(300)
      await writer.close()
    })

    it('replaces the checkpoint with a cosigned version of the same size only', async () => {
      const { log, writer, builder } = await created()
      await writer.writeCommit(builder.commit(4))
      const cp = builder.checkpoint()
      const cosigned = { size: 4, text: cosignCheckpoint(cp.text, cosignerFromKey(generateCosignerKey('witness.example/w1').skey), 1_780_000_000) }
      await writer.writeCheckpoint(cosigned)
      expect(await log.reader().readCheckpoint()).toEqual(cosigned)
      await expect(writer.writeCheckpoint(builder.checkpoint(3))).rejects.toThrow(RangeError)
      await writer.close()
    })

    it('refuses use before open and after close', async () => {
      const { log, writer, builder } = await created()
      await writer.close()
      for (const w of [writer, log.writer()]) {
        await expect(w.writeCommit(builder.commit(1))).rejects.toMatchObject({ code: 'STORE_NOT_OPEN' })
        await expect(w.readCheckpoint()).rejects.toMatchObject({ code: 'STORE_NOT_OPEN' })
      }
      const reader = log.reader()
      await reader.close()
      await expect(reader.readTile(0, 0, 1)).rejects.toMatchObject({ code: 'STORE_NOT_OPEN' })
    })

    it('refuses a second writer while the first holds the log', async () => {
      const { log, writer } = await created()
      const second = log.writer()
      await expect(second.open()).rejects.toMatchObject({ code: 'STORE_LOCKED' })
      // Readers need no lock.
      expect((await log.reader().readCheckpoint())?.size).toBe(0)
      await writer.close()
      await second.open()
      await second.close()
    })
  })
}
