/** `data` of quality reports, incidents and accountability. */
import type { INCIDENT_KINDS, QUALITY_ISSUES, RESOLUTIONS } from '../vocabulary.js'

/** Issue of a quality report. */
export type QualityIssue = (typeof QUALITY_ISSUES)[number]
/** Resolution of a quality report. */
export type Resolution = (typeof RESOLUTIONS)[number]
/** Kind of an incident. */
export type IncidentKind = (typeof INCIDENT_KINDS)[number]

/** `quality.raised` (ref `access`). */
export interface QualityRaisedData {
  resource: string
  recordDigest: string
  item: string
  issue: QualityIssue
}

/** `quality.resolved` (ref `report`). */
export interface QualityResolvedData {
  resolution: Resolution
  note?: string
}

/** `incident.reported` (optional ref `accesses`). */
export interface IncidentReportedData {
  kind: IncidentKind
  severity: string
  resources: string[]
  discoveredAt: string
}

/** One party named by an accountability determination. */
export interface AccountableParty {
  dept: string
  person?: string
  /** The responsibility rule applied (R1 ... R6 of DOMAIN.md). */
  rule: string
}

/** `accountability.determined` (ref `incident`). */
export interface AccountabilityDeterminedData {
  parties: AccountableParty[]
}
