import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { concatBytes, EMPTY_ROOT, hashBytes, hashChildren, hashLeaf, sha256Portable, toHex } from '../src/index.js'

describe('hashing', () => {
  it('uses the RFC 9162 prefixes and the SHA-256 of the empty string as the empty root', () => {
    expect(toHex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    const entry = new TextEncoder().encode('one')
    expect(hashLeaf(entry)).toEqual(sha256Portable(concatBytes(Uint8Array.of(0), entry)))
    const l = hashLeaf(entry)
    expect(hashChildren(l, l)).toEqual(sha256Portable(concatBytes(Uint8Array.of(1), l, l)))
  })

  it('the fast built-in SHA-256 agrees with the portable @noble/hashes one on any input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const fast = hashBytes(bytes)
        expect(fast).toBeInstanceOf(Uint8Array)
        expect(toHex(fast)).toBe(toHex(sha256Portable(bytes)))
      }),
      { numRuns: 300 },
    )
  })
})

describe('interior node hashing (plain-JavaScript SHA-256 of 0x01 ‖ left ‖ right)', () => {
  const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 })
  const reference = (l: Uint8Array, r: Uint8Array): string => toHex(sha256Portable(concatBytes(Uint8Array.of(1), l, r)))
  const builtIn = (l: Uint8Array, r: Uint8Array): string => createHash('sha256').update(Uint8Array.of(1)).update(l).update(r).digest('hex')

  it('agrees byte for byte with @noble/hashes and node:crypto', () => {
    fc.assert(
      fc.property(hash32, hash32, (l, r) => {
        const h = hashChildren(l, r)
        expect(h).toBeInstanceOf(Uint8Array)
        expect(toHex(h)).toBe(reference(l, r))
        expect(toHex(h)).toBe(builtIn(l, r))
      }),
      { numRuns: 2000 },
    )
  })

  it('agrees for every value of the byte that selects the precomputed second block', () => {
    fc.assert(
      fc.property(hash32, hash32, (l, r) => {
        for (let last = 0; last < 256; last++) {
          r[31] = last
          expect(toHex(hashChildren(l, r))).toBe(builtIn(l, r))
        }
      }),
      { numRuns: 8 },
    )
  })

  it('reads and writes at offsets, in place over either input', async () => {
    const { hashNodeInto } = await import('../src/internal/node-sha256.js')
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 96, maxLength: 96 }), fc.nat(32), fc.nat(32), fc.nat(32), (buf, l, r, o) => {
        const left = buf.slice(l, l + 32)
        const right = buf.slice(r + 32, r + 64)
        const want = builtIn(left, right)
        const out = new Uint8Array(100)
        hashNodeInto(out, o, buf, l, buf, r + 32)
        expect(toHex(out.subarray(o, o + 32))).toBe(want)
        const inPlaceLeft = buf.slice()
        hashNodeInto(inPlaceLeft, l, inPlaceLeft, l, inPlaceLeft, r + 32)
        expect(toHex(inPlaceLeft.subarray(l, l + 32))).toBe(want)
        const inPlaceRight = buf.slice()
        hashNodeInto(inPlaceRight, r + 32, inPlaceRight, l, inPlaceRight, r + 32)
        expect(toHex(inPlaceRight.subarray(r + 32, r + 64))).toBe(want)
      }),
      { numRuns: 300 },
    )
  })
})

describe('leaf hashing', () => {
  it('agrees with @noble/hashes for entries of any size, the reused input buffer never leaking', () => {
    const sizes = fc.oneof(fc.nat(300), fc.integer({ min: 1000, max: 20_000 }))
    fc.assert(
      fc.property(sizes, fc.nat(255), (size, fill) => {
        const entry = new Uint8Array(size).fill(fill)
        const first = hashLeaf(entry)
        const want = toHex(sha256Portable(concatBytes(Uint8Array.of(0), entry)))
        hashLeaf(new Uint8Array(size + 7).fill(fill ^ 1)) // a later call must not change `first`
        expect(toHex(first)).toBe(want)
      }),
      { numRuns: 200 },
    )
  })
})
