/** Typed events: the envelope of DOMAIN.md with each type's `data`. */
import type { JsonValue } from '@liuhen/core'
import type { EventType, PersonEventType } from '../vocabulary.js'
import type { AuditQueriedData } from './audit.js'
import type { CatalogueData, CatalogueWithdrawnData, ResourceUpdatedData } from './catalogue.js'
import type { AccessPerformedData, CopyDestroyedData, GrantIssuedData, GrantRevokedData } from './grant.js'
import type { AccountabilityDeterminedData, IncidentReportedData, QualityRaisedData, QualityResolvedData } from './incident.js'
import type { OrgRegisteredData, RoleAssignedData, RoleRevokedData, TaskRegisteredData } from './registry.js'
import type {
  AgreementSignedData,
  AgreementTerminatedData,
  BindingConfirmedData,
  BindingDeclaredData,
  EscalationDecidedData,
  EscalationRequestedData,
  RequestRepliedData,
  RequestSubmittedData,
} from './request.js'

/** The `data` interface of each event type (without the extra fields a platform may add). */
export interface EventDataMap {
  'org.registered': OrgRegisteredData
  'role.assigned': RoleAssignedData
  'role.revoked': RoleRevokedData
  'task.registered': TaskRegisteredData
  'catalogue.registered': CatalogueData
  'catalogue.updated': CatalogueData
  'catalogue.withdrawn': CatalogueWithdrawnData
  'resource.updated': ResourceUpdatedData
  'request.submitted': RequestSubmittedData
  'request.replied': RequestRepliedData
  'agreement.signed': AgreementSignedData
  'agreement.terminated': AgreementTerminatedData
  'escalation.requested': EscalationRequestedData
  'escalation.decided': EscalationDecidedData
  'binding.declared': BindingDeclaredData
  'binding.confirmed': BindingConfirmedData
  'grant.issued': GrantIssuedData
  'grant.revoked': GrantRevokedData
  'access.performed': AccessPerformedData
  'copy.destroyed': CopyDestroyedData
  'quality.raised': QualityRaisedData
  'quality.resolved': QualityResolvedData
  'incident.reported': IncidentReportedData
  'accountability.determined': AccountabilityDeterminedData
  'audit.queried': AuditQueriedData
}

/** Who acted: `dept` always; other fields are kept as submitted. */
export interface Actor {
  /** Dotted department id. */
  dept: string
  person?: string
  role?: string
  [key: string]: JsonValue | undefined
}

/** An actor where a person acted. */
export interface PersonActor extends Actor {
  person: string
}

/** The actor of a given type: a {@link PersonActor} for the {@link PersonEventType}s. */
export type ActorOf<T extends EventType> = T extends PersonEventType ? PersonActor : Actor

/** Named references to earlier events: an id, or a non-empty list of ids. */
export type Refs = Record<string, string | string[]>

/** Fields a platform added to `data`; kept as submitted. */
export type DataExtras = { [key: string]: JsonValue }

/**
 * A valid event of type `T`, as {@link validateEvent} accepts it.
 *
 * @example
 * const e: EventOf<'binding.confirmed'> = { id: 'b-1', type: 'binding.confirmed', at: '2026-03-02T09:00:00+08:00',
 *   actor: { dept: 'district.gov-office' }, refs: { binding: 'bd-1' }, data: { decision: 'confirmed' } }
 */
export interface EventOf<T extends EventType> {
  id: string
  type: T
  /** RFC 3339 business time with offset. */
  at: string
  actor: ActorOf<T>
  refs?: Refs
  data: EventDataMap[T] & DataExtras
}

/** Any valid event: a union discriminated by `type`. */
export type AnyEvent = { [T in EventType]: EventOf<T> }[EventType]
