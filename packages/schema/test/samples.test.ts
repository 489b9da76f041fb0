import { describe, expect, it } from 'vitest'
import { EVENT_TYPES, assertEventBatch, validateEvent } from '@liuhen/schema'
import { loadSamples, sample } from './fixtures.js'

describe('valid samples', () => {
  const samples = loadSamples()

  it('cover every event type', () => {
    expect(new Set(samples.map((e) => e.type))).toEqual(new Set(EVENT_TYPES))
  })

  it('have unique ids', () => {
    expect(new Set(samples.map((e) => e.id)).size).toBe(samples.length)
  })

  it.each(samples.map((e) => [`${e.type} ${e.id}`, e] as const))('%s is valid', (_, event) => {
    expect(validateEvent(event)).toBeUndefined()
  })

  it('pass as one batch', () => {
    expect(() => assertEventBatch(samples)).not.toThrow()
  })

  it('are left exactly as submitted, extra fields included', () => {
    const events = loadSamples()
    assertEventBatch(events)
    for (const e of events) validateEvent(e)
    expect(events).toEqual(loadSamples())
    const access = events.find((e) => e.id === 'acc-2026-000123')
    expect(access?.data['latencyMs']).toBe(42)
    expect(access?.actor['terminal']).toBe('T-17')
  })

  it('accept extra fields anywhere inside data and actor', () => {
    const e = sample('catalogue.registered')
    e.actor['channel'] = { kind: 'api', version: 2 }
    e.data['platformTags'] = ['a', 1, null]
    ;(e.data['items'] as Record<string, unknown>[])[0]!['unit'] = 'text'
    expect(validateEvent(e)).toBeUndefined()
  })

  it('accept events without refs, and unknown ref names (missing refs are findings, not input errors)', () => {
    const e = sample('access.performed')
    delete e.refs
    expect(validateEvent(e)).toBeUndefined()
    e.refs = { grant: 'grant-0077', ticket: ['t-1', 't-2'] }
    expect(validateEvent(e)).toBeUndefined()
  })

  it('accept optional conditional fields absent when their condition does not hold', () => {
    const cat = sample('catalogue.registered')
    cat.data['sharing'] = 'unconditional'
    delete cat.data['conditions']
    expect(validateEvent(cat)).toBeUndefined()
    const reply = sample('request.replied')
    expect(reply.data['decision']).toBe('approved')
    expect(reply.data['reason']).toBeUndefined()
    expect(validateEvent(reply)).toBeUndefined()
  })

  it.each(['2026-03-02T09:15:04Z', '2026-03-02T09:15:04.123456789+08:00', '2026-03-02T09:15:04-05:30', '2028-02-29T00:00:00+08:00'])('accept the time %s', (at) => {
    expect(validateEvent({ ...sample('access.performed'), at })).toBeUndefined()
  })
})
