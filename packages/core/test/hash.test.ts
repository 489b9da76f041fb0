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
