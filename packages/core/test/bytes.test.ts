import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromBase64, fromHex, toBase64, toHex } from '../src/index.js'

describe('hex and base64', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(fromHex(toHex(bytes))).toEqual(bytes)
        expect(fromHex(toHex(bytes).toUpperCase())).toEqual(bytes)
        expect(fromBase64(toBase64(bytes))).toEqual(bytes)
      }),
    )
  })

  it('refuses anything that is not hex or padded base64, whole', () => {
    for (const bad of ['abc', 'zz', 'a z', 'ab ', '0g', ' ab', 'abx0']) expect(() => fromHex(bad), bad).toThrow(TypeError)
    for (const bad of ['abc', 'ab=c', 'YQ', 'Y Q==', 'YQ===']) expect(() => fromBase64(bad), bad).toThrow(TypeError)
  })
})
