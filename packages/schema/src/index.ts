export { SchemaError, type SchemaErrorCode } from './error.js'
export {
  EVENT_TYPES,
  PERSON_TYPES,
  LEVELS,
  SHARING,
  GRADES,
  UPDATE_CYCLES,
  MECHANISMS,
  REPLY_DECISIONS,
  ESCALATION_DECISIONS,
  ENDORSEMENT_FORMS,
  BINDING_DECISIONS,
  STORAGE,
  OUTCOMES,
  QUALITY_ISSUES,
  RESOLUTIONS,
  INCIDENT_KINDS,
  type EventType,
  type PersonEventType,
} from './vocabulary.js'
export { REF_NAMES, GRANT_BASIS_REFS, type RefNames } from './refs.js'
export { schemas, SCHEMA_DIALECT, SCHEMA_ID_PREFIX, type JsonSchema, type SchemaName } from './schemas/index.js'
export { MAX_ID_LENGTH } from './schemas/defs.js'
export { DEFAULT_MAX_EVENT_BYTES, validateEvent, assertEventBatch, eventByteLength, isEventType, type ValidationIssue, type BatchOptions } from './validate.js'
export type { Actor, PersonActor, ActorOf, Refs, DataExtras, EventOf, AnyEvent, EventDataMap } from './types/event.js'
export type { Level, OrgRegisteredData, RoleAssignedData, RoleRevokedData, TaskRegisteredData } from './types/registry.js'
export type { Sharing, Grade, UpdateCycle, CatalogueItem, CatalogueData, CatalogueWithdrawnData, ResourceUpdatedData } from './types/catalogue.js'
export type {
  Mechanism,
  ReplyDecision,
  EscalationDecision,
  EndorsementForm,
  BindingDecision,
  RequestSubmittedData,
  RequestRepliedData,
  Signer,
  Flow,
  AgreementSignedData,
  AgreementTerminatedData,
  EscalationRequestedData,
  EscalationDecidedData,
  BindingDeclaredData,
  BindingConfirmedData,
} from './types/request.js'
export type { Storage, Outcome, GrantIssuedData, GrantRevokedData, AccessPerformedData, CopyDestroyedData } from './types/grant.js'
export type { QualityIssue, Resolution, IncidentKind, QualityRaisedData, QualityResolvedData, IncidentReportedData, AccountableParty, AccountabilityDeterminedData } from './types/incident.js'
export type { AuditQueriedData } from './types/audit.js'
