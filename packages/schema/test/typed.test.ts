/**
 * Typed samples: the smallest event of each type that the TypeScript types accept (only the
 * required fields) must pass the schema. Type-checked by `npx tsc -p packages/schema/test`;
 * src/internal/sync.ts proves at build time that interface keys and schema keys agree.
 */
import { describe, expect, it } from 'vitest'
import { EVENT_TYPES, validateEvent, type EventOf, type EventType } from '@liuhen/schema'

const at = '2026-03-02T09:15:04+08:00'
const hex = 'ab'.repeat(32)
const dept = { dept: 'district.civil-affairs' }
const person = { dept: 'district.civil-affairs', person: 'p-1043' }
const catalogue = { resource: 'res.x', name: 'X', owner: 'district.police', items: [{ name: 'name' }], sharing: 'unconditional', grade: 'general' } as const

const minimal: { [T in EventType]: EventOf<T> } = {
  'org.registered': { id: 'e1', type: 'org.registered', at, actor: dept, data: { org: 'district.police', name: 'P', level: 'district' } },
  'role.assigned': { id: 'e2', type: 'role.assigned', at, actor: dept, data: { person: 'p-1', dept: 'district.police', role: 'leader' } },
  'role.revoked': { id: 'e3', type: 'role.revoked', at, actor: dept, data: {} },
  'task.registered': { id: 'e4', type: 'task.registered', at, actor: dept, data: { task: 't', title: 'T', docNo: 'D', owner: 'district.gov' } },
  'catalogue.registered': { id: 'e5', type: 'catalogue.registered', at, actor: dept, data: { ...catalogue, items: [{ name: 'name' }] } },
  'catalogue.updated': { id: 'e6', type: 'catalogue.updated', at, actor: dept, data: { ...catalogue, items: [{ name: 'name' }] } },
  'catalogue.withdrawn': { id: 'e7', type: 'catalogue.withdrawn', at, actor: dept, data: { reason: 'r' } },
  'resource.updated': { id: 'e8', type: 'resource.updated', at, actor: dept, data: { resource: 'res.x', version: 'v1', snapshotDigest: hex } },
  'request.submitted': {
    id: 'e9',
    type: 'request.submitted',
    at,
    actor: person,
    data: { resource: 'res.x', items: ['name'], purpose: 'p', legalBasis: 'l', mechanism: 'platform' },
  },
  'request.replied': { id: 'e10', type: 'request.replied', at, actor: person, data: { decision: 'approved' } },
  'agreement.signed': {
    id: 'e11',
    type: 'agreement.signed',
    at,
    actor: dept,
    data: {
      signers: [{ dept: 'a.b', person: 'p-1' }],
      parties: ['a.b', 'c.d'],
      flows: [{ resource: 'res.x', items: ['name'], from: 'a.b', to: 'c.d' }],
      method: 'api',
      validFrom: at,
      validUntil: at,
    },
  },
  'agreement.terminated': { id: 'e12', type: 'agreement.terminated', at, actor: dept, data: { reason: 'r' } },
  'escalation.requested': { id: 'e13', type: 'escalation.requested', at, actor: person, data: { leader: 'p-7', summary: 's' } },
  'escalation.decided': { id: 'e14', type: 'escalation.decided', at, actor: person, data: { decision: 'endorsed', form: 'minutes' } },
  'binding.declared': { id: 'e15', type: 'binding.declared', at, actor: dept, data: { rationale: 'r' } },
  'binding.confirmed': { id: 'e16', type: 'binding.confirmed', at, actor: dept, data: { decision: 'confirmed' } },
  'grant.issued': {
    id: 'e17',
    type: 'grant.issued',
    at,
    actor: dept,
    data: { grantee: 'a.b', resource: 'res.x', items: ['name'], purpose: 'p', validFrom: at, validUntil: at, storage: 'none' },
  },
  'grant.revoked': { id: 'e18', type: 'grant.revoked', at, actor: dept, data: { reason: 'r' } },
  'access.performed': {
    id: 'e19',
    type: 'access.performed',
    at,
    actor: person,
    data: { resource: 'res.x', items: ['name'], rows: 0, purpose: 'p', recordDigests: [], resultDigest: hex, storage: 'none', outcome: 'denied' },
  },
  'copy.destroyed': { id: 'e20', type: 'copy.destroyed', at, actor: dept, data: { method: 'erase' } },
  'quality.raised': { id: 'e21', type: 'quality.raised', at, actor: dept, data: { resource: 'res.x', recordDigest: hex, item: 'name', issue: 'wrong' } },
  'quality.resolved': { id: 'e22', type: 'quality.resolved', at, actor: dept, data: { resolution: 'rejected' } },
  'incident.reported': { id: 'e23', type: 'incident.reported', at, actor: dept, data: { kind: 'leak', severity: 'high', resources: ['res.x'], discoveredAt: at } },
  'accountability.determined': { id: 'e24', type: 'accountability.determined', at, actor: dept, data: { parties: [{ dept: 'a.b', rule: 'R1' }] } },
  'audit.queried': { id: 'e25', type: 'audit.queried', at, actor: person, data: { command: 'chain', params: {}, results: 0 } },
}

describe('typed samples', () => {
  it('exist for every type', () => {
    expect(Object.keys(minimal).sort()).toEqual([...EVENT_TYPES].sort())
  })

  it.each(EVENT_TYPES)('the minimal typed %s is valid', (type) => {
    expect(validateEvent(minimal[type])).toBeUndefined()
  })
})
