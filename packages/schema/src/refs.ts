import { deepFreeze } from './internal/freeze.js'
import type { EventType } from './vocabulary.js'

/**
 * The reference names of one event type, from DOMAIN.md's refs column. The schema does not
 * require any of them: a missing or unresolvable reference is recorded and becomes a finding
 * (`ACCESS_NO_GRANT`, `GRANT_NO_BASIS`), never an input error. Unknown names are allowed too.
 */
export interface RefNames {
  /** Names the contract expects on every event of the type (absence is a finding). */
  readonly required: readonly string[]
  /** Names the contract allows (`→` in DOMAIN.md). */
  readonly optional: readonly string[]
  /** Names of which exactly one is expected (the basis of a `grant.issued`); empty otherwise. */
  readonly exactlyOne: readonly string[]
}

const none: RefNames = { required: [], optional: [], exactlyOne: [] }
const req = (...required: string[]): RefNames => ({ required, optional: [], exactlyOne: [] })

/** The basis names of a `grant.issued`, of which exactly one is expected. */
export const GRANT_BASIS_REFS = ['reply', 'agreement', 'endorsement', 'binding', 'catalogue'] as const

/**
 * Reference names per event type.
 *
 * @example
 * REF_NAMES['grant.issued'].exactlyOne // ['reply', 'agreement', 'endorsement', 'binding', 'catalogue']
 */
export const REF_NAMES: Readonly<Record<EventType, RefNames>> = deepFreeze({
  'org.registered': none,
  'role.assigned': none,
  'role.revoked': req('assignment'),
  'task.registered': none,
  'catalogue.registered': none,
  'catalogue.updated': req('previous'),
  'catalogue.withdrawn': req('catalogue'),
  'resource.updated': req('catalogue'),
  'request.submitted': req('catalogue'),
  'request.replied': req('request'),
  'agreement.signed': { required: [], optional: ['requests'], exactlyOne: [] },
  'agreement.terminated': req('agreement'),
  'escalation.requested': req('request'),
  'escalation.decided': req('escalation'),
  'binding.declared': req('request', 'task'),
  'binding.confirmed': req('binding'),
  'grant.issued': { required: ['request'], optional: [], exactlyOne: [...GRANT_BASIS_REFS] },
  'grant.revoked': req('grant'),
  'access.performed': { required: ['grant'], optional: ['version'], exactlyOne: [] },
  'copy.destroyed': req('access'),
  'quality.raised': req('access'),
  'quality.resolved': req('report'),
  'incident.reported': { required: [], optional: ['accesses'], exactlyOne: [] },
  'accountability.determined': req('incident'),
  'audit.queried': none,
})
