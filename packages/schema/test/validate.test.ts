import { describe, expect, it } from 'vitest'
import { EVENT_TYPES, PERSON_TYPES, schemas, validateEvent } from '@liuhen/schema'
import { sample, type Sample } from './fixtures.js'

type Case = [desc: string, type: string, mutate: (e: Sample) => unknown, path: string, message: string | RegExp]

const TIME_MSG = 'must be an RFC 3339 date-time with offset (e.g. 2026-03-02T09:15:04+08:00)'
const DIGEST_MSG = 'must be 64 lowercase hex characters'
const data = (e: Sample) => e.data as Record<string, unknown>
const set = (key: string, value: unknown) => (e: Sample) => ({ ...e, data: { ...e.data, [key]: value } })

const cases: Case[] = [
  // envelope
  ['missing id', 'access.performed', ({ id: _, ...e }) => e, 'id', 'is required'],
  ['empty id', 'access.performed', (e) => ({ ...e, id: '' }), 'id', /^must be a non-empty event id/],
  ['id with a newline', 'access.performed', (e) => ({ ...e, id: 'acc\n1' }), 'id', /without control characters/],
  ['id too long', 'access.performed', (e) => ({ ...e, id: 'a'.repeat(129) }), 'id', /at most 128/],
  ['numeric id', 'access.performed', (e) => ({ ...e, id: 7 }), 'id', /^must be a non-empty event id/],
  ['missing type', 'access.performed', ({ type: _, ...e }) => e, 'type', 'is required'],
  ['numeric type', 'access.performed', (e) => ({ ...e, type: 3 }), 'type', 'must be a string'],
  ['missing at', 'access.performed', ({ at: _, ...e }) => e, 'at', 'is required'],
  ['offsetless time', 'access.performed', (e) => ({ ...e, at: '2026-03-02T09:15:04' }), 'at', TIME_MSG],
  ['date only', 'access.performed', (e) => ({ ...e, at: '2026-03-02' }), 'at', TIME_MSG],
  ['space separator', 'access.performed', (e) => ({ ...e, at: '2026-03-02 09:15:04+08:00' }), 'at', TIME_MSG],
  ['lower-case t', 'access.performed', (e) => ({ ...e, at: '2026-03-02t09:15:04Z' }), 'at', TIME_MSG],
  ['offset without colon', 'access.performed', (e) => ({ ...e, at: '2026-03-02T09:15:04+0800' }), 'at', TIME_MSG],
  ['no seconds', 'access.performed', (e) => ({ ...e, at: '2026-03-02T09:15+08:00' }), 'at', TIME_MSG],
  ['30 February', 'access.performed', (e) => ({ ...e, at: '2026-02-30T09:15:04+08:00' }), 'at', TIME_MSG],
  ['29 February of a common year', 'access.performed', (e) => ({ ...e, at: '2026-02-29T09:15:04+08:00' }), 'at', TIME_MSG],
  ['hour 24', 'access.performed', (e) => ({ ...e, at: '2026-03-02T24:00:00+08:00' }), 'at', TIME_MSG],
  ['epoch number time', 'access.performed', (e) => ({ ...e, at: 1772414104000 }), 'at', TIME_MSG],
  ['unknown top-level field', 'access.performed', (e) => ({ ...e, ref: { grant: 'g' } }), 'ref', /^is not an envelope field/],
  ['missing actor', 'access.performed', ({ actor: _, ...e }) => e, 'actor', 'is required'],
  ['actor not an object', 'grant.issued', (e) => ({ ...e, actor: 'district.police' }), 'actor', 'must be an object'],
  ['missing actor.dept', 'grant.issued', (e) => ({ ...e, actor: { person: 'p-1' } }), 'actor.dept', 'is required'],
  ['bad dept id', 'grant.issued', (e) => ({ ...e, actor: { dept: 'district..police' } }), 'actor.dept', /^must be a dotted department id/],
  ['missing actor.person on an access', 'access.performed', (e) => ({ ...e, actor: { dept: 'district.civil-affairs' } }), 'actor.person', 'is required'],
  ['missing data', 'access.performed', ({ data: _, ...e }) => e, 'data', 'is required'],
  ['data as a list', 'access.performed', (e) => ({ ...e, data: [] }), 'data', 'must be an object'],
  ['refs as a list', 'access.performed', (e) => ({ ...e, refs: ['grant-0077'] }), 'refs', 'must be an object'],
  ['empty ref id', 'access.performed', (e) => ({ ...e, refs: { grant: '' } }), 'refs.grant', /^must be an event id or a non-empty list/],
  ['empty ref list', 'access.performed', (e) => ({ ...e, refs: { grant: [] } }), 'refs.grant', /^must be an event id or a non-empty list/],
  ['numeric ref', 'access.performed', (e) => ({ ...e, refs: { grant: 77 } }), 'refs.grant', /^must be an event id or a non-empty list/],
  ['bad id in a ref list', 'incident.reported', (e) => ({ ...e, refs: { accesses: ['a-1', ''] } }), 'refs.accesses[1]', /^must be a non-empty event id/],
  ['bad ref under an odd name', 'access.performed', (e) => ({ ...e, refs: { 'two words': 5 } }), 'refs["two words"]', /^must be an event id/],
  // data: counts, digests, lists, enums
  ['negative rows', 'access.performed', set('rows', -1), 'data.rows', 'must be a non-negative integer'],
  ['fractional rows', 'access.performed', set('rows', 1.5), 'data.rows', 'must be a non-negative integer'],
  ['rows as a string', 'access.performed', set('rows', '1'), 'data.rows', 'must be a non-negative integer'],
  ['upper-case digest', 'access.performed', (e) => set('resultDigest', String(data(e)['resultDigest']).toUpperCase())(e), 'data.resultDigest', DIGEST_MSG],
  ['short digest', 'access.performed', set('resultDigest', 'ab'.repeat(31) + 'a'), 'data.resultDigest', DIGEST_MSG],
  ['bad digest in a list', 'access.performed', set('recordDigests', ['0'.repeat(64), 'zz']), 'data.recordDigests[1]', DIGEST_MSG],
  ['digests not a list', 'access.performed', set('recordDigests', '0'.repeat(64)), 'data.recordDigests', 'must be a list'],
  ['empty items', 'access.performed', set('items', []), 'data.items', 'must be a non-empty list of identifiers'],
  ['empty item name', 'access.performed', set('items', ['name', '']), 'data.items[1]', /^must be a non-empty identifier/],
  ['unknown storage', 'access.performed', set('storage', 'disk'), 'data.storage', 'must be one of: none, cache, copy'],
  ['unknown outcome', 'access.performed', set('outcome', 'ok'), 'data.outcome', 'must be one of: success, denied'],
  ['unknown level', 'org.registered', set('level', 'county'), 'data.level', 'must be one of: province, city, district, street, community'],
  ['empty purpose', 'grant.issued', set('purpose', ''), 'data.purpose', 'must be a non-empty string'],
  ['offsetless validUntil', 'grant.issued', set('validUntil', '2026-12-31T23:59:59'), 'data.validUntil', TIME_MSG],
  ['catalogue item pi not boolean', 'catalogue.registered', (e) => set('items', [{ name: 'name', pi: 'yes' }])(e), 'data.items[0].pi', 'must be a boolean'],
  ['catalogue item without name', 'catalogue.registered', (e) => set('items', [{ pi: true }])(e), 'data.items[0].name', 'is required'],
  ['three agreement parties', 'agreement.signed', (e) => set('parties', ['a.b', 'c.d', 'e.f'])(e), 'data.parties', 'must have at most 2 items'],
  ['one agreement party', 'agreement.signed', (e) => set('parties', ['a.b'])(e), 'data.parties', 'must have at least 2 items'],
  ['signer without person', 'agreement.signed', (e) => set('signers', [{ dept: 'a.b', person: 'p-1' }, { dept: 'c.d' }])(e), 'data.signers[1].person', 'is required'],
  ['no signers', 'agreement.signed', set('signers', []), 'data.signers', 'must have at least 1 item'],
  ['flow without to', 'agreement.signed', (e) => set('flows', [{ resource: 'r', items: ['x'], from: 'a.b' }])(e), 'data.flows[0].to', 'is required'],
  ['party without rule', 'accountability.determined', set('parties', [{ dept: 'a.b' }]), 'data.parties[0].rule', 'is required'],
  ['negative records', 'resource.updated', set('records', -5), 'data.records', 'must be a non-negative integer'],
  // conditional requirements
  [
    'conditional without conditions',
    'catalogue.registered',
    (e) => {
      delete data(e)['conditions']
      return e
    },
    'data.conditions',
    'is required when sharing is conditional',
  ],
  ['not shared without denialBasis', 'catalogue.registered', (e) => set('sharing', 'none')(e), 'data.denialBasis', 'is required when sharing is none'],
  [
    'updated, conditional without conditions',
    'catalogue.updated',
    (e) => {
      delete data(e)['conditions']
      return e
    },
    'data.conditions',
    'is required when sharing is conditional',
  ],
  ['refused without reason', 'request.replied', set('decision', 'refused'), 'data.reason', 'is required when decision is refused'],
  [
    'verbal without witness',
    'escalation.decided',
    (e) => {
      delete data(e)['witness']
      return e
    },
    'data.witness',
    'is required when form is verbal',
  ],
]

describe('validateEvent refuses', () => {
  it.each(cases)('%s (%s)', (_, type, mutate, path, message) => {
    const issue = validateEvent(mutate(sample(type)))
    expect(issue).toMatchObject({ code: 'SCHEMA_INVALID', path })
    if (typeof message === 'string') expect(issue?.message).toBe(message)
    else expect(issue?.message).toMatch(message)
  })

  it.each([null, 42, 'event', [], true])('a non-object event: %j', (event) => {
    expect(validateEvent(event)).toEqual({ code: 'SCHEMA_INVALID', path: '', message: 'must be an object' })
  })

  it('an unknown type, before anything else', () => {
    expect(validateEvent({ type: 'access.done' })).toEqual({
      code: 'SCHEMA_UNKNOWN_TYPE',
      path: 'type',
      message: 'is not an event type of the contract: "access.done"',
    })
    expect(validateEvent({ type: '__proto__' })?.code).toBe('SCHEMA_UNKNOWN_TYPE')
    expect(validateEvent({ type: 'x'.repeat(1000) })?.message.length).toBeLessThan(120)
  })
})

describe('required fields follow the schemas', () => {
  const requiredOf = (type: string): string[] => (schemas[type as keyof typeof schemas]['properties'] as Record<string, { required: string[] }>)['data']!.required

  it.each(EVENT_TYPES.flatMap((t) => requiredOf(t).map((k) => [t, k] as const)))('%s without data.%s is refused', (type, key) => {
    const e = sample(type)
    delete e.data[key]
    expect(validateEvent(e)).toEqual({ code: 'SCHEMA_INVALID', path: `data.${key}`, message: 'is required' })
  })

  it('a person is required exactly for the person types', () => {
    for (const type of EVENT_TYPES) {
      const e = sample(type)
      e.actor = { dept: String(e.actor['dept']) }
      const expected = (PERSON_TYPES as readonly string[]).includes(type) ? { path: 'actor.person', message: 'is required' } : undefined
      if (expected === undefined) expect(validateEvent(e), type).toBeUndefined()
      else expect(validateEvent(e), type).toMatchObject(expected)
    }
  })
})
