import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import '../../../test/support/matchers.js'
import { encodeEntryBundle, entriesPath, hashLeaf, parseEntryBundle, parseTilePath, tilePath, toHex } from '../src/index.js'

// Tessera's 15-entry test log (test/vectors/tessera-testdata-log/README.md for its provenance).
const LOG = fileURLToPath(new URL('../../../test/vectors/tessera-testdata-log/log/', import.meta.url))
const WORDS = 'one two three four five six seven eit nain ten ileven twelf threeten fourten fivten'.split(' ')

describe('tlog-tiles paths', () => {
  it('write the index in x-prefixed groups of three digits, as the spec example', () => {
    expect(tilePath(0, 1234067)).toBe('tile/0/x001/x234/067')
    expect(tilePath(1, 0, 7)).toBe('tile/1/000.p/7')
    expect(entriesPath(0, 15)).toBe('tile/entries/000.p/15')
    expect(entriesPath(1000)).toBe('tile/entries/x001/000')
  })

  it('name the files of the Tessera test log', () => {
    for (const path of [tilePath(0, 0, 15), entriesPath(0, 15)]) expect(() => readFileSync(join(LOG, path))).not.toThrow()
  })

  it('parse back exactly what they write, and nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 63 }), fc.constant('entries' as const)), fc.maxSafeInteger().map(Math.abs), fc.integer({ min: 1, max: 256 }), (level, index, width) => {
        const path = level === 'entries' ? entriesPath(index, width) : tilePath(level, index, width)
        expect(parseTilePath(path)).toEqual({ level, index, width })
      }),
    )
    for (const bad of [
      'tile/0/1',
      'tile/0/0000',
      'tile/00/000',
      'tile/0/x000/001',
      'tile/0/000.p/256',
      'tile/0/000.p/0',
      'tile/0/000.p/07',
      'tile/64/000',
      'tile/entries/001/002',
      '/tile/0/000',
      'tile/0/000/',
    ]) {
      expect(parseTilePath(bad), bad).toBeUndefined()
    }
  })

  it('refuse an index past 2^53 - 1, which a number would round', () => {
    expect(parseTilePath('tile/0/x009/x007/x199/x254/x740/991')).toEqual({ level: 0, index: Number.MAX_SAFE_INTEGER, width: 256 })
    expect(parseTilePath('tile/0/x009/x007/x199/x254/x740/992')).toBeUndefined()
    expect(parseTilePath('tile/entries/x999/x999/x999/x999/x999/999.p/1')).toBeUndefined()
  })

  it('refuse indexes, levels and widths out of range', () => {
    expect(() => tilePath(0, -1)).toThrow(RangeError)
    expect(() => tilePath(64, 0)).toThrow(RangeError)
    expect(() => entriesPath(0, 0)).toThrow(RangeError)
    expect(() => entriesPath(0, 257)).toThrow(RangeError)
  })
})

describe('entry bundles', () => {
  const bundle = new Uint8Array(readFileSync(join(LOG, entriesPath(0, 15))))

  it("read the Tessera test log's bundle, whose leaf hashes are its level-0 tile", () => {
    const entries = parseEntryBundle(bundle, 15)
    expect(entries.map((e) => new TextDecoder().decode(e))).toEqual(WORDS)
    expect(toHex(Buffer.concat(entries.map((e) => hashLeaf(e))))).toBe(readFileSync(join(LOG, tilePath(0, 0, 15))).toString('hex'))
  })

  it('write those bytes again', () => {
    expect(toHex(encodeEntryBundle(WORDS.map((w) => new TextEncoder().encode(w))))).toBe(toHex(bundle))
  })

  it('refuse a cut, padded or miscounted bundle, and an entry over 65,535 bytes', () => {
    expect(() => parseEntryBundle(bundle.subarray(0, bundle.length - 1))).toThrowWithCode('ENCODING_INVALID')
    expect(() => parseEntryBundle(Uint8Array.from([...bundle, 0]))).toThrowWithCode('ENCODING_INVALID')
    expect(() => parseEntryBundle(bundle, 16)).toThrowWithCode('ENCODING_INVALID')
    expect(parseEntryBundle(encodeEntryBundle(Array.from({ length: 256 }, () => new Uint8Array())))).toHaveLength(256)
    expect(() => parseEntryBundle(new Uint8Array(2 * 257))).toThrowWithCode('ENCODING_INVALID')
    expect(() => encodeEntryBundle([new Uint8Array(65_536)])).toThrowWithCode('INPUT_TOO_LARGE')
    expect(parseEntryBundle(encodeEntryBundle([new Uint8Array(65_535)]))[0]).toHaveLength(65_535)
  })
})
