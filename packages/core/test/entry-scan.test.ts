/**
 * The entry scan (scanEntry) against the entry decoder (decodeEntry): on valid entries, on
 * entries mutated byte by byte, and on arbitrary MessagePack, both accept and refuse the same
 * bytes, with the same error code, and read the same index, time, id and references. The
 * scan's skipping of values is also held to the decoder on arbitrary values.
 */
import fc from 'fast-check'
import { pack } from 'msgpackr'
import { describe, expect, it } from 'vitest'
import { decodeCanonical, decodeEntry, encodeCanonical, encodeEntry, isLedgerError, scanEntry, type Encodable, type Entry, type Event } from '../src/index.js'
import { scanEntryBytes } from '../src/internal/entry-scan.js'
import { Reader, skipValue } from '../src/internal/msgpack-reader.js'

const RUNS = { numRuns: 400 }

/** What a read of entry bytes gives: the fields, or the error code. */
function outcome(read: () => { index: number; time: number; id: string; refs: unknown[] }): unknown {
  try {
    const { index, time, id, refs } = read()
    return { index, time, id, refs: JSON.stringify(refs, (_, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v)) }
  } catch (err) {
    if (!isLedgerError(err)) throw err
    return err.code
  }
}

const viaDecoder = (bytes: Uint8Array): unknown =>
  outcome(() => {
    const e = decodeEntry(bytes)
    return { index: e.index, time: e.time, id: e.event.id, refs: e.refs }
  })

/** Whether the internal scan (before the decoder's fallback) accepts the bytes. */
function scanAccepts(bytes: Uint8Array): boolean {
  try {
    return scanEntryBytes(bytes) !== undefined
  } catch {
    return false
  }
}

function decoderAccepts(bytes: Uint8Array): boolean {
  try {
    decodeEntry(bytes)
    return true
  } catch {
    return false
  }
}

// Keys drawn from a small alphabet (with non-ASCII and astral characters) so that sorting,
// prefixes and repeats all occur; values nest.
const key = fc.constantFrom('id', 'type', 'a', 'ab', 'b', 'é', 'z', '\u{1F600}', '\uE000', '__proto__', 'index', 'data')
const json: fc.Arbitrary<Encodable> = fc.letrec<{ v: Encodable }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.maxSafeInteger(),
    fc.string(),
    fc.string({ unit: 'binary', maxLength: 4 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(key, tie('v'), { maxKeys: 5 }),
  ),
})).v

const event: fc.Arbitrary<Event> = fc.record({
  id: fc.string({ maxLength: 20 }),
  type: fc.string({ maxLength: 20 }),
  at: fc.string({ maxLength: 30 }),
  actor: fc.record({ dept: fc.string() }),
  data: fc.dictionary(key, json, { maxKeys: 5 }) as fc.Arbitrary<Event['data']>,
})
const entry: fc.Arbitrary<Entry> = fc.record({
  v: fc.constant(1),
  index: fc.maxSafeNat(),
  time: fc.oneof(fc.nat(), fc.maxSafeNat()),
  event,
  refs: fc.array(
    fc.oneof(
      fc.record({ name: fc.string({ maxLength: 8 }), id: fc.string({ maxLength: 12 }) }),
      fc.record({ name: fc.string({ maxLength: 8 }), id: fc.string({ maxLength: 12 }), index: fc.maxSafeNat(), hash: fc.uint8Array({ minLength: 32, maxLength: 32 }) }),
    ),
    { maxLength: 3 },
  ),
})

/** Byte-level mutations of an encoding: flip, replace, insert, delete, truncate. */
const mutation = fc.tuple(fc.constantFrom('flip', 'set', 'insert', 'delete', 'truncate'), fc.nat(), fc.nat(255))
function mutate(bytes: Uint8Array, [kind, at, byte]: [string, number, number]): Uint8Array {
  const i = bytes.length === 0 ? 0 : at % bytes.length
  const out = Array.from(bytes)
  if (kind === 'flip') out[i] = (out[i] ?? 0) ^ (1 << (byte % 8))
  else if (kind === 'set') out[i] = byte
  else if (kind === 'insert') out.splice(i, 0, byte)
  else if (kind === 'delete') out.splice(i, 1)
  else out.length = i
  return Uint8Array.from(out)
}

describe('scanEntry agrees with decodeEntry', () => {
  it('reads the same fields of valid entries', () => {
    fc.assert(
      fc.property(entry, (e) => {
        const bytes = encodeEntry(e)
        expect(scanAccepts(bytes)).toBe(true)
        expect(outcome(() => scanEntry(bytes))).toEqual(viaDecoder(bytes))
      }),
      RUNS,
    )
  })

  it('accepts and refuses the same mutated entries, with the same codes', () => {
    fc.assert(
      fc.property(entry, fc.array(mutation, { minLength: 1, maxLength: 3 }), (e, ms) => {
        const bytes = ms.reduce(mutate, encodeEntry(e))
        expect(scanAccepts(bytes)).toBe(decoderAccepts(bytes))
        expect(outcome(() => scanEntry(bytes))).toEqual(viaDecoder(bytes))
      }),
      { numRuns: 2000 },
    )
  })

  it('accepts and refuses the same arbitrary maps, canonical or not', () => {
    const top = fc.dictionary(fc.constantFrom('v', 'index', 'time', 'event', 'refs', 'x'), json, { maxKeys: 6 })
    fc.assert(
      fc.property(top, fc.boolean(), (value, canonical) => {
        const bytes = canonical ? encodeCanonical(value) : new Uint8Array(pack(value))
        expect(scanAccepts(bytes)).toBe(decoderAccepts(bytes))
        expect(outcome(() => scanEntry(bytes))).toEqual(viaDecoder(bytes))
      }),
      RUNS,
    )
  })
})

describe('skipValue agrees with the decoder', () => {
  const skips = (bytes: Uint8Array): unknown => {
    try {
      const r = new Reader(bytes)
      skipValue(r, 0)
      return r.pos === bytes.length ? 'ok' : 'trailing'
    } catch (err) {
      return isLedgerError(err) ? err.code : err
    }
  }
  const decodes = (bytes: Uint8Array): unknown => {
    try {
      decodeCanonical(bytes)
      return 'ok'
    } catch (err) {
      return isLedgerError(err) ? (err.message.includes('trailing') ? 'trailing' : err.code) : err
    }
  }

  it('on canonical values, mutated or not, and on msgpackr encodings', () => {
    fc.assert(
      fc.property(json, fc.array(mutation, { maxLength: 2 }), fc.boolean(), (value, ms, canonical) => {
        const bytes = ms.reduce(mutate, canonical ? encodeCanonical(value) : new Uint8Array(pack(value)))
        expect(skips(bytes)).toEqual(decodes(bytes))
      }),
      { numRuns: 2000 },
    )
  })

  it('on nesting at and beyond the depth bound', () => {
    for (const depth of [63, 64, 65]) {
      for (const leaf of [0x90, 0x80, 0x81]) {
        // `depth` one-element arrays around an empty array, an empty map or a map with a key.
        const bytes = Uint8Array.from([...Array<number>(depth).fill(0x91), leaf, ...(leaf === 0x81 ? [0xa1, 0x61, 0x00] : [])])
        expect(skips(bytes)).toEqual(decodes(bytes))
      }
    }
  })
})
