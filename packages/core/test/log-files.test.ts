import { describe, expect, it } from 'vitest'
import {
  encodeEntryBundle,
  MemoryLog,
  MemoryLogStore,
  entryBundlePrefix,
  planLogCommit,
  readLogFile,
  signCheckpoint,
  signerFromKey,
  generateSignerKey,
  tileWidthAt,
  type LogCommit,
} from '../src/index.js'

const signer = signerFromKey(generateSignerKey('test.example/log').skey)
const checkpoint = (size: number) => ({ size, text: signCheckpoint({ origin: 'test.example/log', size, root: new Uint8Array(32), extensions: [] }, signer) })
const entries = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ({ index: from + i, bytes: Uint8Array.of(from + i) }))
const tile = (level: number, index: number, width: number) => ({ level, index, hashes: new Uint8Array(32 * width).fill(level + 1) })

describe('tile geometry', () => {
  it('gives the width of a tile at a size', () => {
    expect(tileWidthAt(300, 0, 0)).toBe(256)
    expect(tileWidthAt(300, 0, 1)).toBe(44)
    expect(tileWidthAt(300, 0, 2)).toBe(0)
    expect(tileWidthAt(300, 1, 0)).toBe(1)
    expect(tileWidthAt(65_536 * 3 + 5, 2, 0)).toBe(3)
    expect(tileWidthAt(0, 0, 0)).toBe(0)
  })

  it('finds the byte length of a bundle prefix', () => {
    const bundle = encodeEntryBundle([Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)])
    expect(entryBundlePrefix(bundle, 0)).toBe(0)
    expect(entryBundlePrefix(bundle, 1)).toBe(4)
    expect(entryBundlePrefix(bundle, 2)).toBe(6)
    expect(entryBundlePrefix(bundle, 3)).toBe(9)
    expect(entryBundlePrefix(bundle, 4)).toBeUndefined()
    expect(entryBundlePrefix(bundle.subarray(0, 8), 3)).toBeUndefined()
  })
})

describe('planLogCommit', () => {
  it('writes the bundles and the tiles the new size names, partial ones as new widths', () => {
    const commit: LogCommit = { entries: entries(0, 300), tiles: [tile(0, 0, 256), tile(0, 1, 44), tile(1, 0, 1)], checkpoint: checkpoint(300) }
    const plan = planLogCommit({ size: 0, bundle: new Uint8Array(0) }, commit)
    expect(plan.files.map((f) => f.path)).toEqual(['tile/entries/000', 'tile/entries/001.p/44', 'tile/0/000', 'tile/0/001.p/44', 'tile/1/000.p/1'])
    expect(plan.completed).toEqual(['tile/entries/000', 'tile/0/000'])
    expect(plan.tip.size).toBe(300)
    expect(plan.tip.bundle).toEqual(encodeEntryBundle(entries(256, 300).map((e) => e.bytes)))
    // The next commit carries the open bundle on into a wider one.
    const next = planLogCommit(plan.tip, { entries: entries(300, 302), tiles: [tile(0, 1, 46)], checkpoint: checkpoint(302) })
    expect(next.files.map((f) => f.path)).toEqual(['tile/entries/001.p/46', 'tile/0/001.p/46'])
    expect(next.files[0]?.bytes).toEqual(encodeEntryBundle(entries(256, 302).map((e) => e.bytes)))
  })

  it('refuses a tile the new checkpoint does not name, or one that rewrites a published file', () => {
    const tip = { size: 5, bundle: encodeEntryBundle(entries(0, 5).map((e) => e.bytes)) }
    const base = { entries: entries(5, 6), checkpoint: checkpoint(6) }
    expect(() => planLogCommit(tip, { ...base, tiles: [tile(0, 0, 6), tile(0, 1, 1)] })).toThrow(RangeError)
    expect(() => planLogCommit(tip, { ...base, tiles: [tile(0, 0, 6), tile(0, 0, 5)] })).toThrow(RangeError)
    expect(() => planLogCommit(tip, { ...base, tiles: [{ level: 0, index: 0, hashes: new Uint8Array(33) }] })).toThrow(RangeError)
    expect(() => planLogCommit(tip, { ...base, entries: [], tiles: [] })).toThrow(RangeError)
    expect(planLogCommit(tip, { ...base, tiles: [tile(0, 0, 6)] }).files).toHaveLength(2)
  })
})

describe('readLogFile', () => {
  const files = new Map<string, Uint8Array>([
    ['tile/0/000', new Uint8Array(32 * 256).map((_, i) => i >> 5)],
    ['tile/entries/000', encodeEntryBundle(entries(0, 256).map((e) => e.bytes))],
    ['tile/0/001', new Uint8Array(32 * 256)],
  ])
  const read = async (path: string) => files.get(path)

  it('answers a partial width from the full file once the size covers it', async () => {
    expect((await readLogFile(read, 300, 0, 0, 3))?.length).toBe(96)
    expect(await readLogFile(read, 300, 'entries', 0, 2)).toEqual(encodeEntryBundle([Uint8Array.of(0), Uint8Array.of(1)]))
  })

  it('never answers from a full file past the size, which may be a commit under way', async () => {
    expect(await readLogFile(read, 300, 0, 1, 44)).toBeUndefined()
    expect(await readLogFile(read, 300, 0, 1, 256)).toBeUndefined()
    expect(await readLogFile(read, undefined, 0, 0, 1)).toBeUndefined()
  })
})

describe('a log writer reopened', () => {
  it('names an open entry bundle that is missing or damaged STORE_CORRUPT, as every log store does', async () => {
    for (const damage of [(files: Map<string, Uint8Array>) => files.delete('tile/entries/000.p/3'), (files: Map<string, Uint8Array>) => files.set('tile/entries/000.p/3', Uint8Array.of(0, 9))]) {
      const log = new MemoryLog()
      const writer = new MemoryLogStore(log)
      await writer.open()
      await writer.create({ format: 2, origin: 'test.example/log', vkey: 'unused' }, checkpoint(0))
      await writer.writeCommit({ entries: entries(0, 3), tiles: [tile(0, 0, 3)], checkpoint: checkpoint(3) })
      await writer.close()
      damage(log.files)
      await expect(new MemoryLogStore(log).open()).rejects.toMatchObject({ code: 'STORE_CORRUPT' })
    }
  })
})
