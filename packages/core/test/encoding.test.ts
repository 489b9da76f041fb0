import fc from 'fast-check'
import { Packr, unpack } from 'msgpackr'
import { describe, expect, it } from 'vitest'
import { decodeCanonical, decodeEntry, encodeCanonical, encodeEntry, encodeEntryWithEvent, hashLeaf, sha256Portable, toHex, type Encodable } from '../src/index.js'

// Reference: msgpackr itself, given the value with keys sorted and big integers as bigint.
const reference = new Packr({ useRecords: false, variableMapSize: true, mapsAsObjects: true, int64AsType: 'number' })
function sortedForReference(v: unknown): unknown {
  if (typeof v === 'number') return Number.isSafeInteger(v) && (v > 0xffff_ffff || v < -0x8000_0000) ? BigInt(v) : Object.is(v, -0) ? 0 : v
  if (v instanceof Uint8Array || v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(sortedForReference)
  // A Map, not an object: an object lists integer-like keys ("0") first, whatever their order.
  const out = new Map<string, unknown>()
  for (const k of Object.keys(v).sort()) if ((v as Record<string, unknown>)[k] !== undefined) out.set(k, sortedForReference((v as Record<string, unknown>)[k]))
  return out
}

const value: fc.Arbitrary<Encodable> = fc.letrec<{ v: Encodable }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }),
    fc.array(tie('v'), { maxLength: 20 }),
    fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), tie('v'), { maxKeys: 20 }),
  ),
})).v

function mutate(bytes: Uint8Array, flips: readonly [number, number][]): Uint8Array {
  const out = bytes.slice()
  for (const [at, b] of flips) if (out.length > 0) out[at % out.length] = b
  return out
}

describe('canonical MessagePack', () => {
  it('writes what msgpackr writes for the sorted value, and decodes back', () => {
    // An integer-like key sorted after another key: a reference built as an object got it wrong.
    const mixed = { '!': 1, '0': 2 }
    expect(toHex(encodeCanonical(mixed))).toBe(toHex(reference.pack(sortedForReference(mixed))))
    fc.assert(
      fc.property(value, (v) => {
        const ours = encodeCanonical(v)
        expect(toHex(ours)).toBe(toHex(reference.pack(sortedForReference(v))))
        expect(toHex(encodeCanonical(decodeCanonical(ours)))).toBe(toHex(ours))
      }),
      { numRuns: 1000 },
    )
  })

  it('reads what msgpackr reads, and accepts only bytes it would write again identically', () => {
    const plain = (v: unknown): unknown =>
      typeof v === 'bigint'
        ? Number(v)
        : v instanceof Uint8Array
          ? Uint8Array.from(v)
          : Array.isArray(v)
            ? v.map(plain)
            : v !== null && typeof v === 'object'
              ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
              : v
    fc.assert(
      fc.property(value, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }), fc.uint8Array({ maxLength: 40 }), (v, flips, noise) => {
        const bytes = encodeCanonical(v)
        expect(plain(decodeCanonical(bytes))).toEqual(plain(unpack(bytes)))
        // Any mutation either is refused with a code, or decodes to a value that encodes back to exactly those bytes.
        for (const candidate of [mutate(bytes, flips), noise, Uint8Array.from([...bytes, 0])]) {
          let decoded: Encodable
          try {
            decoded = decodeCanonical(candidate)
          } catch (err) {
            expect((err as { code?: string }).code).toMatch(/^ENCODING_(INVALID|NOT_CANONICAL)$/)
            continue
          }
          expect(toHex(encodeCanonical(decoded))).toBe(toHex(candidate))
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('refuses hostile lengths and nesting without allocating or recursing', () => {
    expect(() => decodeCanonical(Uint8Array.from([0xdd, 0xff, 0xff, 0xff, 0xff]))).toThrow(expect.objectContaining({ code: 'ENCODING_INVALID' }))
    expect(() => decodeCanonical(Uint8Array.from([0xc6, 0x7f, 0xff, 0xff, 0xff]))).toThrow(expect.objectContaining({ code: 'ENCODING_INVALID' }))
    expect(() => decodeCanonical(new Uint8Array(100_000).fill(0x91))).toThrow(expect.objectContaining({ code: 'ENCODING_INVALID' }))
    const proto = decodeCanonical(Uint8Array.from([0x81, 0xa9, ...new TextEncoder().encode('__proto__'), 0x01])) as Record<string, unknown>
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype)
    expect(Object.keys(proto)).toEqual(['__proto__'])
  })

  it('uses the smallest integer forms and int64 beyond 32 bits, never float', () => {
    const cases: [number, string][] = [
      [0, '00'],
      [127, '7f'],
      [128, 'cc80'],
      [65535, 'cdffff'],
      [65536, 'ce00010000'],
      [2 ** 32, 'd30000000100000000'],
      [-1, 'ff'],
      [-33, 'd0df'],
      [-129, 'd1ff7f'],
      [-(2 ** 31) - 1, 'd3ffffffff7fffffff'],
      [1764000000123, 'd30000019ab697e87b'],
    ]
    for (const [n, hex] of cases) expect(toHex(encodeCanonical(n)), String(n)).toBe(hex)
    expect(toHex(encodeCanonical(-0))).toBe('00')
    expect(toHex(encodeCanonical(1.5))).toBe('cb3ff8000000000000')
    expect(toHex(encodeCanonical(2 ** 53))).toBe('cb4340000000000000')
  })

  it('sorts keys and leaves out undefined', () => {
    expect(toHex(encodeCanonical({ b: 1, a: 2, c: undefined } as unknown as Encodable))).toBe('82a16102a16201')
  })

  it('refuses what has no canonical form', () => {
    for (const bad of [NaN, Infinity, -Infinity, new Date(0), () => 1, 10n]) {
      expect(() => encodeCanonical(bad as unknown as Encodable)).toThrow(expect.objectContaining({ code: 'ENCODING_INVALID' }))
    }
  })

  it('refuses bytes that decode but are not canonical', () => {
    const unsorted = Uint8Array.from([0x82, 0xa1, 0x62, 0x01, 0xa1, 0x61, 0x02])
    expect(() => decodeCanonical(unsorted)).toThrow(expect.objectContaining({ code: 'ENCODING_NOT_CANONICAL' }))
    const wideInt = Uint8Array.from([0xcd, 0x00, 0x05])
    expect(() => decodeCanonical(wideInt)).toThrow(expect.objectContaining({ code: 'ENCODING_NOT_CANONICAL' }))
    expect(() => decodeCanonical(Uint8Array.from([0xc1]))).toThrow(expect.objectContaining({ code: 'ENCODING_INVALID' }))
  })

  it('gives entries any standard decoder reads', () => {
    const hash = new Uint8Array(32).fill(9)
    const bytes = encodeEntry({
      v: 1,
      index: 7,
      time: 1764000000123,
      event: { id: 'a', type: 'access.performed', at: '2026-03-02T09:15:04+08:00', actor: { dept: 'd' }, data: { rows: 1 } },
      refs: [
        { name: 'grant', id: 'g', index: 3, hash },
        { name: 'version', id: 'nope' },
      ],
    })
    const plain = unpack(bytes)
    expect(plain.index).toBe(7)
    expect(Number(plain.time)).toBe(1764000000123)
    expect(plain.refs[1]).toEqual({ id: 'nope', name: 'version' })
    expect(decodeEntry(bytes).refs[0]?.hash).toEqual(hash)
  })

  it('splices an encoded event into exactly the entry bytes, hashed as 0x00 followed by them', () => {
    const event = { id: 'a', type: 'access.performed', at: '2026-03-02T09:15:04+08:00', actor: { dept: 'd' }, data: { rows: 1, note: '数据' } }
    const entry = { v: 1, index: 70_000, time: 1764000000123, refs: [{ name: 'grant', id: 'g', index: 3, hash: new Uint8Array(32).fill(9) }] }
    const eventBytes = encodeCanonical(event)
    const bytes = encodeEntryWithEvent(entry, eventBytes)
    const input = Uint8Array.of(0x00, ...bytes)
    expect(input[0]).toBe(0x00)
    expect(input.subarray(1)).toEqual(encodeEntryWithEvent(entry, eventBytes))
    expect(input.subarray(1)).toEqual(encodeEntry({ ...entry, event }))
    expect(sha256Portable(input)).toEqual(hashLeaf(bytes))
  })
})

describe('events as JSON', () => {
  it('bounds the JSON text by the canonical bytes, so the size limit needs no JSON.stringify', async () => {
    const { encodeJsonCanonical, JSON_EXPANSION } = await import('../src/index.js')
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.string({ unit: 'binary' }), (v, s) => {
        for (const value of [v, { s, v, list: [false, null, -1, s] }]) {
          const json = Buffer.byteLength(JSON.stringify(value), 'utf8')
          expect(json).toBeLessThanOrEqual(JSON_EXPANSION * encodeJsonCanonical(value as Encodable).length + 16)
        }
      }),
      { numRuns: 1000 },
    )
    expect(() => encodeJsonCanonical({ b: new Uint8Array(2) })).toThrow(expect.objectContaining({ code: 'ENCODING_INVALID', details: { path: 'b' } }))
  })

  it('refuses strings with lone surrogates rather than storing something else', () => {
    expect(() => encodeCanonical({ a: ['ok', 'x\ud800'] })).toThrow(expect.objectContaining({ code: 'ENCODING_INVALID', details: { path: 'a[1]' } }))
    expect(() => encodeCanonical({ z: 1, a: [{ b: [0, { c: 'x\udc00y' }] }] })).toThrow(expect.objectContaining({ code: 'ENCODING_INVALID', details: { path: 'a[0].b[1].c' } }))
    expect(() => encodeCanonical('\ud800' as Encodable)).toThrow(expect.objectContaining({ code: 'ENCODING_INVALID', details: { path: '' } }))
  })

  it('writes strings with and without non-ASCII characters as msgpackr does', () => {
    for (const s of ['', 'a', 'x'.repeat(31), 'x'.repeat(32), 'é', 'aé', 'x'.repeat(40) + '数据', '数'.repeat(90), 'x'.repeat(300)]) {
      expect(toHex(encodeCanonical(s))).toBe(toHex(new Packr({ useRecords: false }).pack(s)))
    }
  })
})
