import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inlineText, printableText } from '@liuhen/core'

describe('printableText', () => {
  it('escapes controls, escape sequences and bidirectional overrides, keeping tabs and line feeds', () => {
    expect(printableText('a\tb\nc\u001b[2J\r\u009b\u202ed')).toBe('a\tb\nc\\u001b[2J\\u000d\\u009b\\u202ed')
    expect(printableText('部门 ok')).toBe('部门 ok')
  })

  it('leaves JSON text JSON with the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, text) => {
        const printed = printableText(JSON.stringify({ value, text }))
        expect(JSON.parse(printed)).toEqual(JSON.parse(JSON.stringify({ value, text })))
        // eslint-disable-next-line no-control-regex -- the characters that must not be printed raw
        expect(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(printed)).toBe(false)
      }),
    )
  })
})

describe('inlineText', () => {
  it('escapes line feeds and tabs too, so a value cannot start a line of its own, and cuts nothing', () => {
    expect(inlineText('x\nResult: VERIFIED\t\u001b[2J\u2028')).toBe('x\\u000aResult: VERIFIED\\u0009\\u001b[2J\\u2028')
    expect(inlineText('部'.repeat(500))).toBe('部'.repeat(500))
    // The Arabic letter mark is a bidirectional control like U+200F: it may reorder what follows.
    expect(inlineText('a\u061cb')).toBe('a\\u061cb')
    expect(printableText('a\u061cb')).toBe('a\\u061cb')
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        // eslint-disable-next-line no-control-regex -- the characters that must not be printed raw
        expect(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(inlineText(text))).toBe(false)
      }),
    )
  })
})
