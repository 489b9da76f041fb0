import { describe, expect, it } from 'vitest'
import { isLedgerError, LedgerError } from '@liuhen/core'
import { DEFAULT_MAX_EVENT_BYTES, SchemaError, assertEventBatch, eventByteLength } from '@liuhen/schema'
import '../../../test/support/matchers.js'
import { loadSamples, sample } from './fixtures.js'

function accessWith(id: string, data: Record<string, unknown> = {}) {
  const e = sample('access.performed')
  return { ...e, id, data: { ...e.data, ...data } }
}

describe('assertEventBatch', () => {
  it('accepts an empty batch', () => {
    expect(() => assertEventBatch([])).not.toThrow()
  })

  it('reports the position, path and id of the one bad event', () => {
    const batch = [accessWith('acc-0'), accessWith('acc-1b'), accessWith('acc-2'), accessWith('acc-1', { rows: -3 }), accessWith('acc-4', { rows: 'x' })]
    expect(() => assertEventBatch(batch)).toThrowWithCode('SCHEMA_INVALID', { position: 3, path: 'data.rows', id: 'acc-1' })
    expect(() => assertEventBatch(batch)).toThrow('event 3 (id acc-1): data.rows: must be a non-negative integer')
  })

  it('throws a SchemaError, a LedgerError', () => {
    let caught: unknown
    try {
      assertEventBatch([{ ...sample('grant.issued'), at: '2026-03-02T09:15:04' }])
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(SchemaError)
    expect(caught).toBeInstanceOf(LedgerError)
    expect(isLedgerError(caught, 'SCHEMA_INVALID')).toBe(true)
    expect((caught as SchemaError).name).toBe('SchemaError')
    expect((caught as SchemaError).details).toEqual({ position: 0, path: 'at', id: 'grant-0077' })
  })

  it('reports an unknown type with its own code', () => {
    const batch = [...loadSamples(), { ...sample('grant.issued'), id: 'x-1', type: 'grant.extended' }]
    expect(() => assertEventBatch(batch)).toThrowWithCode('SCHEMA_UNKNOWN_TYPE', { position: batch.length - 1, path: 'type', id: 'x-1' })
  })

  it('reports a missing field of a whole-event problem without a path', () => {
    expect(() => assertEventBatch([sample('org.registered'), null])).toThrowWithCode('SCHEMA_INVALID', { position: 1, path: '' })
    expect(() => assertEventBatch([sample('org.registered'), null])).toThrow('event 1: must be an object')
  })

  it('does not echo an unprintable id', () => {
    const bad = { ...sample('org.registered'), id: 'org\u001b[31m-1' }
    let message = ''
    try {
      assertEventBatch([bad])
    } catch (err) {
      message = (err as Error).message
      expect((err as SchemaError).details).toEqual({ position: 0, path: 'id' })
    }
    expect(message).toMatch(/^event 0: id: must be a non-empty event id/)
  })

  it('refuses an event over 64 KiB by default, checked before the schema', () => {
    const big = accessWith('acc-big', { padding: 'x'.repeat(DEFAULT_MAX_EVENT_BYTES), rows: -1 })
    expect(() => assertEventBatch([sample('org.registered'), big])).toThrowWithCode('SCHEMA_TOO_LARGE', {
      position: 1,
      path: '',
      id: 'acc-big',
      maxBytes: 65536,
      size: eventByteLength(big),
    })
  })

  it('takes a configurable limit, inclusive', () => {
    const e = accessWith('acc-5')
    const size = eventByteLength(e)!
    expect(() => assertEventBatch([e], { maxBytes: size })).not.toThrow()
    expect(() => assertEventBatch([e], { maxBytes: size - 1 })).toThrowWithCode('SCHEMA_TOO_LARGE', { size, maxBytes: size - 1 })
    expect(() => assertEventBatch([e], { maxBytes: size - 1 })).toThrow(`event 0 (id acc-5): is ${size} bytes, over the limit of ${size - 1}`)
  })

  it('uses the sizes as submitted when given', () => {
    const events = [accessWith('acc-9'), accessWith('acc-10')]
    expect(() => assertEventBatch(events, { maxBytes: 2000, sizes: [1999, 2000] })).not.toThrow()
    expect(() => assertEventBatch(events, { maxBytes: 2000, sizes: [10, 2001] })).toThrowWithCode('SCHEMA_TOO_LARGE', { position: 1, size: 2001 })
    expect(() => assertEventBatch(events, { sizes: [10] })).toThrow(RangeError)
    expect(() => assertEventBatch(events, { sizes: [10, Number.NaN] })).toThrow(RangeError)
  })

  it('counts UTF-8 bytes, not characters', () => {
    expect(eventByteLength('中')).toBe(5)
    expect(eventByteLength('😀')).toBe(6)
    expect(eventByteLength({ a: 'é' })).toBe(10)
    const e = accessWith('acc-6', { note: '户'.repeat(1000) })
    expect(eventByteLength(e)).toBe(Buffer.byteLength(JSON.stringify(e), 'utf8'))
    expect(() => assertEventBatch([e], { maxBytes: 2500 })).toThrowWithCode('SCHEMA_TOO_LARGE')
  })

  it('refuses values that are not JSON', () => {
    const cyclic: Record<string, unknown> = accessWith('acc-7')
    cyclic['self'] = cyclic
    expect(() => assertEventBatch([cyclic])).toThrowWithCode('SCHEMA_INVALID', { position: 0, path: '' })
    expect(() => assertEventBatch([accessWith('acc-8', { rows: 1n })])).toThrowWithCode('SCHEMA_INVALID', { position: 0 })
    expect(() => assertEventBatch([undefined])).toThrowWithCode('SCHEMA_INVALID', { position: 0 })
    expect(eventByteLength(undefined)).toBeUndefined()
  })

  it('throws TypeError and RangeError on misuse, without a code', () => {
    expect(() => assertEventBatch('[]' as unknown as unknown[])).toThrow(TypeError)
    expect(() => assertEventBatch([], { maxBytes: 0 })).toThrow(RangeError)
    expect(() => assertEventBatch([], { maxBytes: 1.5 })).toThrow(RangeError)
  })
})
