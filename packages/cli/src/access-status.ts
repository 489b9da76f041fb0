/**
 * Human rendering of an access's status (`AccessStatus` of @liuhen/query), shared by `query` and
 * `chain`: the findings about the access, and the events that changed its grant or bear on it,
 * each with its index and leaf hash, "later" when appended after the access.
 */
import { inlineText } from '@liuhen/core'
import type { AccessStatus, StatusEvent } from '@liuhen/query'

/**
 * The status column of `query` and a chain link's status: the finding codes, or `ok`. Codes are
 * the engine's own names; the table and the chain's line it goes into escape event data there.
 */
export function statusCell(s: AccessStatus): string {
  return s.findings.length === 0 ? 'ok' : s.findings.map((f) => f.code).join(', ')
}

/** One event of a status: `grant.revoked rev-5 #12 2026-… leaf 3fa1…` and whether it came later. */
export function statusEventLine(e: StatusEvent): string {
  const when = e.later ? 'appended after the access' : 'appended before the access'
  return inlineText(`${e.type} ${e.id} (${e.ref} of ${e.target})  #${e.index}  ${e.at}  leaf ${e.hash}  ${when}`)
}

/** The lines that explain a status, each starting with `indent`; none for a clean access with no such events. */
export function statusLines(s: AccessStatus, indent: string): string[] {
  const lines: string[] = []
  for (const f of s.findings) lines.push(inlineText(`${indent}${f.code}: ${f.message}${f.evidence.length > 0 ? ` (evidence: ${f.evidence.join(', ')})` : ''}`))
  for (const e of s.events) lines.push(`${indent}${statusEventLine(e)}`)
  return lines
}
