/**
 * Auditing the auditors: the `audit.queried` event that records one question asked of the
 * ledger (who asked, the command and its parameters, how many results), appended before the
 * answer is given, by the command line (`--as`) and by the service (every auditor request).
 */
import { randomBytes } from 'node:crypto'
import { formatLedgerTime, type JsonValue } from '@liuhen/core'
import { AUDIT_TRAIL_TYPE } from './types.js'

/** Department named when an auditor gives none. */
export const DEFAULT_AUDIT_DEPT = 'audit'

/** Who asked: a person and their department. */
export interface Auditor {
  person: string
  dept: string
}

/**
 * The `audit.queried` event of one question. `params` must hold no raw record id (callers pass
 * keyed digests).
 * @example auditQueriedEvent({ person: 'p-9001', dept: 'district.audit' }, 'chain', { event: id }, 7)
 */
export function auditQueriedEvent(
  auditor: Auditor,
  command: string,
  params: Record<string, JsonValue>,
  results: number,
  now = new Date(),
): { id: string; type: string; at: string; actor: { dept: string; person: string; role: string }; data: { command: string; params: Record<string, JsonValue>; results: number } } {
  return {
    id: `audit-${now.getTime()}-${randomBytes(4).toString('hex')}`,
    type: AUDIT_TRAIL_TYPE,
    at: formatLedgerTime(now),
    actor: { dept: auditor.dept, person: auditor.person, role: 'auditor' },
    data: { command, params, results },
  }
}
