/**
 * Human and machine renderings of an audit, in the manner of AWS CloudTrail's `validate-logs`:
 * what was checked, counts as valid/total, one line per failure naming its code, and a result
 * line a person can act on. The CLI prints these; `--json` prints {@link formatReportJson}.
 */
import { fromHex, inlineText, toBase64 } from '@liuhen/core'
import type { AuditFailure, AuditReport } from './codes.js'
import type { BundleResult } from './bundle.js'

const count = (n: number): string => n.toLocaleString('en-US')

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** What a failure is about, as the start of its line. */
function subject(f: AuditFailure): string {
  switch (f.code) {
    case 'AUDIT_ENTRY_MISSING':
    case 'AUDIT_ENTRY_CORRUPT':
    case 'AUDIT_ENTRY_INDEX':
    case 'AUDIT_ENTRY_UNEXPECTED':
    case 'AUDIT_TIME_REGRESSION':
    case 'AUDIT_REF_MISMATCH':
    case 'AUDIT_ID_INDEX':
      return f.index === undefined ? 'Entries' : `Entry ${count(f.index)}`
    case 'AUDIT_NODE_MISMATCH':
      return f.index === undefined ? `Tree at size ${count(f.size ?? 0)}` : `Tree node over entry ${count(f.index)}`
    case 'AUDIT_CHECKPOINT_SIGNATURE':
    case 'AUDIT_CHECKPOINT_ROOT':
    case 'AUDIT_CHECKPOINT_MISSING':
      return f.size === undefined ? 'Checkpoint' : `Checkpoint at size ${count(f.size)}`
    case 'AUDIT_INCONSISTENT':
      return `Held checkpoint at size ${count(f.size ?? 0)}`
    case 'AUDIT_HEAD_MISMATCH':
      return 'Head'
    case 'AUDIT_META_MISMATCH':
      return 'Ledger meta'
    case 'AUDIT_WITNESS_QUORUM':
      return 'Witnesses'
    case 'AUDIT_STORE_ERROR':
      return 'Store'
  }
}

/** What the witnesses vouch for: the cosignatures, the checkpoint they cosigned, the entries beyond it. */
function witnessLine(w: NonNullable<AuditReport['witnesses']>): string {
  const head = `${count(w.valid)} witness cosignatures valid, quorum ${count(w.quorum)}${w.names.length ? ` (${w.names.join(', ')})` : ''}`
  if (w.size === undefined) return head
  const when = w.cosignedAt === undefined ? '' : `, cosigned ${w.cosignedAt}`
  const beyond = w.beyond ?? 0
  return `${head}, on the checkpoint at size ${count(w.size)}${when}; ${count(beyond)} entr${beyond === 1 ? 'y' : 'ies'} beyond it`
}

/** One failure as its report line(s): `<subject> INVALID (<CODE>): <message>`, then expected/actual. */
export function formatFailure(f: AuditFailure): string {
  const lines = [`${subject(f)} INVALID (${f.code}): ${f.message}`]
  if (f.expected !== undefined) lines.push(`    expected ${f.expected}`)
  if (f.actual !== undefined) lines.push(`    actual   ${f.actual}`)
  return lines.join('\n')
}

/**
 * The human report of an audit: header, counts, one line per failure, result line. Ends with
 * a newline; plain text (no colour), so it reads the same in a file or on paper.
 *
 * @example process.stdout.write(formatReport(await auditLog(store, { key })))
 */
export function formatReport(report: AuditReport): string {
  const out: string[] = []
  const what = report.mode === 'full' ? 'Full audit' : 'Incremental audit'
  out.push(`${what} of ${report.origin ?? 'a ledger'}`)
  out.push(`Tree: ${count(report.size)} entries${report.root ? `, root ${toBase64(fromHex(report.root))}` : ''} (checked in ${seconds(report.durationMs)})`)
  out.push('')
  if (report.mode === 'full') out.push(`${count(report.entries.valid)}/${count(report.entries.checked)} entries valid`)
  out.push(`${count(report.checkpoints.consistent)}/${count(report.checkpoints.checked)} checkpoints consistent`)
  if (report.witnesses) out.push(witnessLine(report.witnesses))
  if (report.failures.length > 0) {
    out.push('')
    for (const f of report.failures) out.push(formatFailure(f))
    if (report.failuresOmitted > 0) out.push(`... and ${count(report.failuresOmitted)} more failures not listed`)
  }
  out.push('')
  if (report.ok) {
    const span = report.mode === 'full' && report.size > 0 ? ` from entry 0 to entry ${count(report.size - 1)}` : ''
    out.push(`Result: VALID. The log is intact${span}.`)
  } else {
    const total = report.failures.length + report.failuresOmitted
    const first = report.firstBadIndex === undefined ? '' : `; first bad entry ${count(report.firstBadIndex)}`
    out.push(`Result: FAILED. ${count(total)} failure${total === 1 ? '' : 's'}${first}.`)
  }
  return out.join('\n') + '\n'
}

/**
 * The `--json` rendering: the report itself under a format tag, hashes in lowercase hex.
 * Shape: `{format: "liuhen-audit/1", ok, mode, origin, size, root, entries: {checked, valid},
 * checkpoints: {checked, consistent}, witnesses?, firstBadIndex?, failures: [{code, index?,
 * size?, kind?, message, expected?, actual?}], failuresOmitted, durationMs}`.
 */
export function formatReportJson(report: AuditReport): string {
  return JSON.stringify({ format: 'liuhen-audit/1', ...report }, null, 2) + '\n'
}

/** The human report of a bundle check: the chain, then each failure with its code. */
export function formatBundleResult(result: BundleResult): string {
  const out: string[] = []
  if (result.checkpoint) out.push(`Checkpoint: ${result.checkpoint.origin} at size ${count(result.checkpoint.size)}, signature valid`)
  // An event's type and id are a department's text, a failure may quote the file: each stays on its line.
  for (const link of result.chain) out.push(inlineText(`Entry ${count(link.index)} included: ${link.entry.event.type} ${link.entry.event.id} (leaf ${link.leafHash})`))
  for (const f of result.failures) out.push(inlineText(`${f.index === undefined ? 'Bundle' : `Entry ${count(f.index)}`} INVALID (${f.code}): ${f.message}`))
  out.push(result.ok ? `Result: VALID. ${count(result.chain.length)} entries proven.` : `Result: FAILED. ${count(result.failures.length)} failure${result.failures.length === 1 ? '' : 's'}.`)
  return out.join('\n') + '\n'
}
