/**
 * Auditing the auditors: `chain`, `query` and `findings` given `--as PERSON` append an
 * `audit.queried` event naming the auditor, the command and its parameters (record ids only as
 * keyed digests), so who looked at what is itself on the record. The event goes through the
 * ordinary append path (schema validation, indexes) after the query has run and before its
 * answer is printed: an answer is never shown without its record.
 */
import type { Command } from 'commander'
import type { JsonValue } from '@liuhen/core'
import { auditQueriedEvent, DEFAULT_AUDIT_DEPT, type Auditor } from '@liuhen/query'
import { renamed, withOldSpellings, type OldSpelling } from './flags.js'
import { openLedger } from './open.js'

/** The auditor options of a command. */
export interface AsOptions {
  as?: string
  asDept?: string
  dept?: string
}

/** `--dept` named the auditor's department in `chain` and `findings`; elsewhere it filters. */
const OLD_DEPT: OldSpelling = { flags: '--dept <dept>', meaning: "the auditor's department", use: '--as-dept' }

/**
 * Adds `--as PERSON` and `--as-dept D` to `command`, and with `deptAlias` also the old spelling
 * `--dept D` of `--as-dept` (commands where `--dept` is not a filter; it warns when used).
 */
export function withAuditorOptions(command: Command, deptAlias: boolean): Command {
  command.option('--as <person>', 'record this query in the ledger (an audit.queried event) as done by PERSON')
  command.option('--as-dept <dept>', `the auditor's own department, with --as (default ${DEFAULT_AUDIT_DEPT})`)
  return deptAlias ? withOldSpellings(command, [OLD_DEPT]) : command
}

/** The auditor named by the options, or undefined without `--as`. */
export function auditorOf(opts: AsOptions, deptAlias: boolean): { person: string; dept: string } | undefined {
  const dept = deptAlias ? renamed(opts.asDept, opts.dept, OLD_DEPT) : opts.asDept
  if (opts.as === undefined) return undefined
  return { person: opts.as, dept: dept ?? DEFAULT_AUDIT_DEPT }
}

/** Drops undefined values, so params hold only what was given. */
export function defined(params: Record<string, JsonValue | undefined>): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, JsonValue] => e[1] !== undefined))
}

/**
 * Appends the `audit.queried` event of one query to the ledger in `dir` and returns its id.
 * Precondition: `params` holds no raw record id (callers pass digests).
 * @example await recordQuery(dir, { person: 'p-9001', dept: 'district.audit' }, 'chain', { event: id }, 7)
 */
export async function recordQuery(dir: string, auditor: Auditor, command: string, params: Record<string, JsonValue>, results: number): Promise<string> {
  const event = auditQueriedEvent(auditor, command, params, results)
  const ledger = await openLedger(dir, 'append')
  try {
    await ledger.appendBatch([event])
  } finally {
    await ledger.close()
  }
  return event.id
}
