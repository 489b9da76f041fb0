/**
 * Result types shared by findings, chains and access queries.
 */

/** Every finding code of the event contract (DOMAIN.md, "Findings"). Stable. */
export const FINDING_CODES = [
  'ACCESS_NO_GRANT',
  'ACCESS_GRANT_EXPIRED',
  'ACCESS_GRANT_REVOKED',
  'ACCESS_OUT_OF_SCOPE',
  'ACCESS_STORED',
  'GRANT_NO_BASIS',
  'GRANT_MANY_BASES',
  'GRANT_BASIS_INVALID',
  'GRANT_OUTLIVES_BASIS',
  'GRANT_NOT_SHARED_DATA',
  'REPLY_LATE',
  'REQUEST_UNANSWERED',
  'QUALITY_OVERDUE',
  'DATA_STALE',
] as const

/** A finding code. */
export type FindingCode = (typeof FINDING_CODES)[number]

/** Orders findings of one event as {@link FINDING_CODES} lists their codes (the order every report uses). */
export const byFindingCode = (a: { code: FindingCode }, b: { code: FindingCode }): number => FINDING_CODES.indexOf(a.code) - FINDING_CODES.indexOf(b.code)

/** The responsibility rules of DOMAIN.md: R1 owner … R6 data bureau. */
export type Rule = 'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'R6'

/** A responsible party and the rule that names it. */
export interface Party {
  dept: string
  person?: string
  role: 'owner' | 'user' | 'endorser' | 'agreement-party' | 'binding' | 'data-bureau'
  rule: Rule
}

/** One finding: what is wrong, about which event, with the evidence and the parties. */
export interface Finding {
  code: FindingCode
  /** Id of the event the finding is about (the access, grant, request or report). */
  event: string
  /** Log index of that event. */
  index: number
  /** Business time (`at`) of that event, as submitted. */
  at: string
  /** Ids of the other events the finding rests on (grant, basis, reply, revocation, ...). */
  evidence: string[]
  parties: Party[]
  message: string
}

/** Deduplicates parties by (dept, person, role, rule), keeping first-seen order. */
export function uniqueParties(parties: Party[]): Party[] {
  const seen = new Set<string>()
  return parties.filter((p) => {
    const key = `${p.dept}\0${p.person ?? ''}\0${p.role}\0${p.rule}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * The auditors' own trail (`audit.queried`): on the record, but no platform activity to judge or
 * count. Findings and the mechanism mix pass over it, so an audit run months after the events
 * never moves the findings' default "as of" or changes an answer.
 */
export const AUDIT_TRAIL_TYPE = 'audit.queried'
