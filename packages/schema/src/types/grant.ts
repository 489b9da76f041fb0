/** `data` of grants, accesses and copy destruction. */
import type { OUTCOMES, STORAGE } from '../vocabulary.js'

/** What the user may keep, or kept. */
export type Storage = (typeof STORAGE)[number]
/** Outcome of an access. */
export type Outcome = (typeof OUTCOMES)[number]

/** `grant.issued` (ref `request` and exactly one basis ref). */
export interface GrantIssuedData {
  /** Grantee department id. */
  grantee: string
  resource: string
  items: string[]
  purpose: string
  validFrom: string
  validUntil: string
  storage: Storage
}

/** `grant.revoked` (ref `grant`). */
export interface GrantRevokedData {
  reason: string
}

/** `access.performed` (ref `grant`, optional `version`; actor.person required). */
export interface AccessPerformedData {
  resource: string
  items: string[]
  rows: number
  purpose: string
  /** Business case number (办件号). */
  case?: string
  /** Keyed digests of the records served; empty when none was. */
  recordDigests: string[]
  resultDigest: string
  storage: Storage
  outcome: Outcome
}

/** `copy.destroyed` (ref `access`). */
export interface CopyDestroyedData {
  method: string
}
