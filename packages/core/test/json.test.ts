/** parseStrictJson: JSON.parse, refusing what JSON.parse would change without a word. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_EVENT_DEPTH, parseStrictJson } from '@liuhen/core'
import '../../../test/support/matchers.js'

describe('parseStrictJson', () => {
  it('reads what JSON.parse reads', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const text = JSON.stringify(v, null, 1)
        let big = false
        JSON.parse(text, (_k, x: unknown) => ((big ||= typeof x === 'number' && Math.abs(x) > Number.MAX_SAFE_INTEGER), x))
        if (big) expect(() => parseStrictJson(text, 64)).toThrowWithCode('INPUT_INVALID')
        else expect(parseStrictJson(text, 64)).toEqual(JSON.parse(text))
      }),
      { numRuns: 300 },
    )
    expect(parseStrictJson('{"a":"x\\"y\\\\","b":[1,-2.5e3,true,null],"c":{"a":1}}')).toEqual({ a: 'x"y\\', b: [1, -2500, true, null], c: { a: 1 } })
  })

  it('refuses a repeated key, also when written with escapes, naming its path', () => {
    expect(() => parseStrictJson('{"a":1,"a":2}')).toThrowWithCode('INPUT_INVALID', { path: 'a' })
    expect(() => parseStrictJson('{"data":{"items":[{"n":1,"\\u006e":2}]}}')).toThrowWithCode('INPUT_INVALID', { path: 'data.items[0].n' })
    expect(() => parseStrictJson('{"a":{"x":1},"b":{"x":1}}')).not.toThrow()
    expect(() => parseStrictJson('{"__proto__":1,"__proto__":2}')).toThrowWithCode('INPUT_INVALID', { path: '__proto__' })
    expect(() => parseStrictJson('[{"a":1},{"b":[{"c":{"d":1,"d":1}}]}]')).toThrowWithCode('INPUT_INVALID', { path: '[1].b[0].c.d' })
    expect(() => parseStrictJson('{"a":"\\"a\\"","\\"a\\"":1}')).not.toThrow()
  })

  it('refuses a text exactly when it repeats a key', () => {
    // Keys as written, and the key each one means (`\u0061` is `a`).
    const key = fc.constantFrom(['a', 'a'], ['b', 'b'], ['__proto__', '__proto__'], ['\\u0061', 'a'], ['', ''])
    type Text = { text: string; repeated: boolean }
    const value: fc.Arbitrary<Text> = fc.letrec<{ v: Text }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom('1', '"s"', 'null', '1e5', '"{\\"a\\":1,\\"a\\":2}"').map((text) => ({ text, repeated: false })),
        fc.array(tie('v'), { maxLength: 3 }).map((xs) => ({ text: `[${xs.map((x) => x.text).join(',')}]`, repeated: xs.some((x) => x.repeated) })),
        fc.array(fc.tuple(key, tie('v')), { maxLength: 3 }).map((kvs) => ({
          text: `{${kvs.map(([[k], v]) => `"${k}":${v.text}`).join(',')}}`,
          repeated: new Set(kvs.map(([[, meant]]) => meant)).size !== kvs.length || kvs.some(([, v]) => v.repeated),
        })),
      ),
    })).v
    fc.assert(
      fc.property(value, ({ text, repeated }) => {
        if (repeated) expect(() => parseStrictJson(text, 64)).toThrowWithCode('INPUT_INVALID')
        else expect(parseStrictJson(text, 64)).toEqual(JSON.parse(text))
      }),
      { numRuns: 1000 },
    )
  })

  it('refuses integers beyond ±(2^53−1), whatever their form', () => {
    expect(parseStrictJson('[9007199254740991,-9007199254740991,0.5,1e15,1e-300]')).toEqual([9007199254740991, -9007199254740991, 0.5, 1e15, 1e-300])
    for (const n of ['9007199254740992', '-9007199254740993', '12345678901234567890', '1e16', '9007199254740993.0', '1e400']) {
      expect(() => parseStrictJson(`{"data":{"rows":${n}}}`)).toThrowWithCode('INPUT_INVALID', { path: 'data.rows' })
    }
    expect(() => parseStrictJson('{"s":"9007199254740993"}')).not.toThrow()
  })

  it('bounds nesting without recursion, naming the path', () => {
    expect(() => parseStrictJson('['.repeat(MAX_EVENT_DEPTH) + ']'.repeat(MAX_EVENT_DEPTH))).not.toThrow()
    expect(() => parseStrictJson('['.repeat(MAX_EVENT_DEPTH + 1) + ']'.repeat(MAX_EVENT_DEPTH + 1))).toThrowWithCode('INPUT_INVALID')
    const deep = '{"x":'.repeat(100_000) + '{}' + '}'.repeat(100_000)
    expect(() => parseStrictJson(deep)).toThrowWithCode('INPUT_INVALID', { path: `x${'.x'.repeat(MAX_EVENT_DEPTH - 1)}` })
  })

  it('words syntax errors without echoing control characters or long input', () => {
    const err = (() => {
      try {
        parseStrictJson(`{"a": "\u001b[2J${'z'.repeat(100_000)}`)
      } catch (e) {
        return e as Error
      }
    })()
    expect(err).toMatchObject({ code: 'INPUT_INVALID' })
    expect(err?.message.length).toBeLessThan(200)
    expect(err?.message.includes('\u001b')).toBe(false)
  })
})
