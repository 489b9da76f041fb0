/**
 * The words of the event contract (DOMAIN.md, version 1): event types and the enumerations of
 * their fields. The JSON Schemas and the TypeScript types are both built from these lists, so
 * the two cannot disagree on an enumeration.
 */

/** Every event type of the contract, in DOMAIN.md order. */
export const EVENT_TYPES = [
  'org.registered',
  'role.assigned',
  'role.revoked',
  'task.registered',
  'catalogue.registered',
  'catalogue.updated',
  'catalogue.withdrawn',
  'resource.updated',
  'request.submitted',
  'request.replied',
  'agreement.signed',
  'agreement.terminated',
  'escalation.requested',
  'escalation.decided',
  'binding.declared',
  'binding.confirmed',
  'grant.issued',
  'grant.revoked',
  'access.performed',
  'copy.destroyed',
  'quality.raised',
  'quality.resolved',
  'incident.reported',
  'accountability.determined',
  // An addition of this project (not in the contract's first table): the audit trail of auditors.
  'audit.queried',
] as const

/** One of {@link EVENT_TYPES}. */
export type EventType = (typeof EVENT_TYPES)[number]

/**
 * Types whose `actor.person` is required: a person acted (accesses, requests and replies,
 * escalations and endorsements, the auditor of an `audit.queried`). `agreement.signed` names
 * its persons in `data.signers[]`.
 */
export const PERSON_TYPES = ['request.submitted', 'request.replied', 'escalation.requested', 'escalation.decided', 'access.performed', 'audit.queried'] as const satisfies readonly EventType[]

/** One of {@link PERSON_TYPES}. */
export type PersonEventType = (typeof PERSON_TYPES)[number]

/** Administrative level of an organisation (`org.registered` `level`). */
export const LEVELS = ['province', 'city', 'district', 'street', 'community'] as const
/** Sharing class of a catalogued resource (`sharing`). */
export const SHARING = ['unconditional', 'conditional', 'none'] as const
/** Data security grade of a catalogued resource (`grade`). */
export const GRADES = ['general', 'important', 'core'] as const
/** Promised update cycle of a catalogued resource (`updateCycle`). */
export const UPDATE_CYCLES = ['realtime', 'daily', 'weekly', 'monthly'] as const
/** Sharing mechanism asked for by a request (`mechanism`). */
export const MECHANISMS = ['platform', 'exchange', 'escalation', 'bundling'] as const
/** Decision of a `request.replied`. */
export const REPLY_DECISIONS = ['approved', 'refused'] as const
/** Decision of an `escalation.decided`. */
export const ESCALATION_DECISIONS = ['endorsed', 'declined'] as const
/** Form of an endorsement (`escalation.decided` `form`). */
export const ENDORSEMENT_FORMS = ['instruction', 'minutes', 'verbal'] as const
/** Decision of a `binding.confirmed`. */
export const BINDING_DECISIONS = ['confirmed', 'rejected'] as const
/** What the user may keep (`storage` of grants and accesses). */
export const STORAGE = ['none', 'cache', 'copy'] as const
/** Outcome of an `access.performed`. */
export const OUTCOMES = ['success', 'denied'] as const
/** Issue of a `quality.raised`. */
export const QUALITY_ISSUES = ['missing', 'wrong', 'outdated', 'duplicate', 'inconsistent'] as const
/** Resolution of a `quality.resolved`. */
export const RESOLUTIONS = ['fixed', 'rejected'] as const
/** Kind of an `incident.reported`. */
export const INCIDENT_KINDS = ['leak', 'misuse', 'tamper', 'loss'] as const
