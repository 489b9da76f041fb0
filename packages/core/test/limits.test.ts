/**
 * The limits of limits.ts hold on both sides: the writer refuses what is past them, without
 * using the stack for it, and the readers (decodeEntry, scanEntry) take everything the writer
 * writes up to them.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeCanonical,
  decodeEntry,
  encodeCanonical,
  encodeEntryWithEvent,
  encodeJsonCanonical,
  MAX_DECODE_DEPTH,
  MAX_ENTRY_BYTES,
  MAX_EVENT_DEPTH,
  maxEntrySize,
  scanEntry,
  showText,
  showValue,
  type Encodable,
} from '@liuhen/core'
import '../../../test/support/matchers.js'

/** `levels` objects nested in one another (`{"x": {"x": ... {}}}`), built without recursion. */
function nested(levels: number): Record<string, unknown> {
  const top: Record<string, unknown> = {}
  let cur = top
  for (let i = 1; i < levels; i++) {
    const next: Record<string, unknown> = {}
    cur['x'] = next
    cur = next
  }
  cur['leaf'] = 1
  return top
}

const event = (data: Record<string, unknown>): Encodable => ({ id: 'e-1', type: 'org.registered', at: '2026-03-01T09:00:00+08:00', actor: { dept: 'bureau' }, data }) as Encodable

describe('nesting', () => {
  it('writes and reads values nested MAX_DECODE_DEPTH deep, and refuses one level more', () => {
    const deepest = nested(MAX_DECODE_DEPTH) as Encodable
    expect(decodeCanonical(encodeCanonical(deepest))).toEqual(deepest)
    expect(() => encodeCanonical(nested(MAX_DECODE_DEPTH + 1) as Encodable)).toThrowWithCode('ENCODING_INVALID')
    expect(() => encodeCanonical([[[[]]]] as Encodable)).not.toThrow()
  })

  it('refuses a 10,000-deep value with a coded error and its path, not a stack overflow', () => {
    let deep: unknown = []
    for (let i = 0; i < 10_000; i++) deep = [deep]
    expect(() => encodeCanonical(deep as Encodable)).toThrowWithCode('ENCODING_INVALID', { path: `${'[0]'.repeat(MAX_DECODE_DEPTH)}` })
    expect(() => encodeJsonCanonical(nested(10_000) as Encodable, MAX_EVENT_DEPTH)).toThrowWithCode('ENCODING_INVALID')
  })

  it('events nest MAX_EVENT_DEPTH deep, and their entries decode and scan', () => {
    // The event object and `data` are two levels: the rest are the value's.
    const bytes = encodeJsonCanonical(event({ deep: nested(MAX_EVENT_DEPTH - 2) }), MAX_EVENT_DEPTH)
    const entry = encodeEntryWithEvent({ v: 1, index: 0, time: 1, refs: [] }, bytes)
    expect(decodeEntry(entry).event.data['deep']).toEqual(nested(MAX_EVENT_DEPTH - 2))
    expect(scanEntry(entry).id).toBe('e-1')
    expect(() => encodeJsonCanonical(event({ deep: nested(MAX_EVENT_DEPTH - 1) }), MAX_EVENT_DEPTH)).toThrowWithCode('ENCODING_INVALID', {
      path: `data.deep${'.x'.repeat(MAX_EVENT_DEPTH - 2)}`,
    })
  })

  it('leaves the reader room for an event at the limit inside its entry', () => {
    expect(MAX_EVENT_DEPTH + 1).toBeLessThanOrEqual(MAX_DECODE_DEPTH)
  })
})

describe('maxEntrySize', () => {
  const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }).filter((s) => s.isWellFormed())
  const refs = fc.array(fc.record({ name: text, id: text }), { maxLength: 20 })

  it('is the size of the entry with every ref resolved at the largest index and time', () => {
    fc.assert(
      fc.property(refs, fc.nat(70_000), (list, pad) => {
        const eventBytes = encodeJsonCanonical(event({ pad: 'x'.repeat(pad) }))
        const hash = new Uint8Array(32)
        const resolved = list.map((r) => ({ ...r, index: Number.MAX_SAFE_INTEGER, hash }))
        const entry = encodeEntryWithEvent({ v: 1, index: Number.MAX_SAFE_INTEGER, time: Number.MAX_SAFE_INTEGER, refs: resolved }, eventBytes)
        expect(maxEntrySize(eventBytes.length, list)).toBe(entry.length)
        // Any other entry of the event (fewer refs resolved, a smaller index) is no larger.
        const small = encodeEntryWithEvent({ v: 1, index: 3, time: 5, refs: list }, eventBytes)
        expect(small.length).toBeLessThanOrEqual(entry.length)
      }),
      { numRuns: 60 },
    )
  })

  it('names the tlog-tiles entry limit', () => {
    expect(MAX_ENTRY_BYTES).toBe(0xffff)
  })
})

describe('showText', () => {
  it('escapes control characters and escape sequences', () => {
    expect(showText('acc-1\u001b[2J\u001b]0;pwned\u0007')).toBe('acc-1\\u001b[2J\\u001b]0;pwned\\u0007')
    expect(showText('a\nb\r\u0085\u202e\u2028')).toBe('a\\u000ab\\u000d\\u0085\\u202e\\u2028')
    expect(showText('\ud800x\udc00')).toBe('\\ud800x\\udc00')
    expect(showText('部门 😀')).toBe('部门 😀')
  })

  it('truncates to 80 characters with an ellipsis, even for 100 KB', () => {
    const shown = showText('y'.repeat(100_000))
    expect(shown).toHaveLength(80)
    expect(shown.endsWith('…')).toBe(true)
    expect(showText('\u001b'.repeat(100_000)).length).toBeLessThanOrEqual(80)
    expect(showText('😀'.repeat(100)).isWellFormed()).toBe(true)
    expect(showText('short')).toBe('short')
  })

  it('shows any value as escaped, truncated JSON', () => {
    expect(showValue({ a: '\u001b' })).toBe('{"a":"\\u001b"}')
    expect(showValue(['z'.repeat(1000)]).length).toBe(80)
    const cycle: Record<string, unknown> = {}
    cycle['self'] = cycle
    expect(showValue(cycle)).toBe('object')
  })
})

describe('the reader takes what the writer writes', () => {
  it('keeps a leading U+FEFF of strings and keys, and their order', () => {
    // Found by accepted-events.slow.test.ts: the reader's decoder dropped a leading BOM.
    const value = { '\ufeffa': '\ufeffx', '\ufeff部\ufeff': 1, '😀😀\u0000': ['\ufeff'] } as Encodable
    expect(decodeCanonical(encodeCanonical(value))).toEqual(value)
    const bytes = encodeJsonCanonical(event(value as Record<string, unknown>))
    const entry = encodeEntryWithEvent({ v: 1, index: 0, time: 1, refs: [{ name: '\ufeffn', id: '\ufeffid' }] }, bytes)
    expect(decodeEntry(entry).event.data).toEqual(value)
    expect(scanEntry(entry).refs).toEqual([{ name: '\ufeffn', id: '\ufeffid' }])
  })
})
