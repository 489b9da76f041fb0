/** `data` of the auditors' own trail, an addition of this project to the contract. */
import type { JsonValue } from '@liuhen/core'

/**
 * `audit.queried` (no refs; `actor.person` is the auditor): an auditor ran a query command.
 * `params` never holds raw record ids, only their keyed digests.
 */
export interface AuditQueriedData {
  /** The command run, e.g. `chain`, `query`, `findings`. */
  command: string
  /** Its parameters (record ids only as digests). */
  params: { [key: string]: JsonValue }
  /** How many results it returned (chain links, accesses, findings). */
  results: number
}
