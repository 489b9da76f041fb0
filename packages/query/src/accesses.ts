/**
 * Access queries by posting (no full scan): who accessed what, under which grant, on which
 * basis, approved by whom (auditor question 1, and the record side of 7 and 8).
 */
import { createHmac } from 'node:crypto'
import type { ReadableStore } from '@liuhen/core'
import { timeRange } from './indexer.js'
import { basisParties, EntryReader, REF_TYPES } from './internal/read.js'
import { basisRefs } from './internal/basis.js'
import { instant, str, strList } from './internal/util.js'
import { type DeadlinesConfig, defaultDeadlines } from './config.js'
import { type AccessStatus, StatusReader } from './status.js'
import { type Party, uniqueParties } from './types.js'

/** What to look for; times are RFC 3339 (or Dates) and bound the access's `at`, both inclusive (a malformed time throws `RangeError`). */
export interface AccessQuery {
  resource: string
  /** Keyed digest of the record ({@link recordDigest}). */
  recordDigest?: string
  dept?: string
  person?: string
  from?: string | Date
  to?: string | Date
}

/** One access with its authorisation. */
export interface AccessRow {
  id: string
  index: number
  at: string
  dept: string
  person?: string
  resource: string
  items: string[]
  rows?: number
  purpose?: string
  case?: string
  storage?: string
  outcome?: string
  /** The grant ref's id as cited, even when it does not resolve. */
  grantRef?: string
  /** The grant, when the ref resolved to a `grant.issued`. */
  grant?: { id: string; index: number; grantee?: string; validFrom?: string; validUntil?: string; storage?: string }
  /** The grant's single basis, when it has exactly one; `type` when the ref resolved. */
  basis?: { name: string; id: string; index?: number; type?: string }
  /** Who approved through the basis (replier, endorser, signers, binding, bureau), with rules. */
  approvers: Party[]
  /**
   * The access's status at the time it happened: the findings about it (as the findings engine
   * reports them) and the events that changed its grant or cite it (revocations, copy
   * destructions, quality reports, incidents), each with index and leaf hash, `later` when
   * appended after the access.
   */
  status: AccessStatus
}

/** Options of {@link queryAccesses}. */
export interface AccessQueryOptions {
  /** The deadline configuration staleness is judged with (default: the shipped one). */
  deadlines?: DeadlinesConfig
}

/**
 * Accesses of `q.resource` matching the query, in posting order (by time, then log index), each
 * with its status. Reads one posting range: by record digest if given, else by person, dept, or
 * resource; then, per access, the postings its status needs (see status.ts).
 * @example await queryAccesses(store, { resource: 'res.police.household', recordDigest: recordDigest(key, '3301...'), from: t1, to: t2 })
 */
export async function queryAccesses(store: ReadableStore, q: AccessQuery, options: AccessQueryOptions = {}): Promise<AccessRow[]> {
  const [name, value] = q.recordDigest !== undefined ? ['record', q.recordDigest] : q.person !== undefined ? ['person', q.person] : q.dept !== undefined ? ['dept', q.dept] : ['resource', q.resource]
  const reader = new EntryReader(store)
  const status = new StatusReader(reader, options.deadlines ?? defaultDeadlines())
  const from = bound(q.from, Number.NEGATIVE_INFINITY)
  const to = bound(q.to, Number.POSITIVE_INFINITY)
  const rows: AccessRow[] = []
  const seen = new Set<number>()
  for await (const p of store.readPostings(name, undefined, timeRange(value, q.from, q.to))) {
    if (seen.has(p.entry)) continue
    seen.add(p.entry)
    const { entry } = await reader.get(p.entry)
    const { event } = entry
    const d = event.data
    // Posting keys are prefix-matched: re-check every condition on the decoded event.
    if (event.type !== 'access.performed' || str(d['resource']) !== q.resource) continue
    if (q.dept !== undefined && event.actor.dept !== q.dept) continue
    if (q.person !== undefined && event.actor.person !== q.person) continue
    if (q.recordDigest !== undefined && !strList(d['recordDigests']).includes(q.recordDigest)) continue
    const t = instant(event.at)
    if (!(t >= from && t <= to)) continue
    rows.push(await row(reader, status, entry.index))
  }
  return rows
}

function bound(t: string | Date | undefined, none: number): number {
  if (t === undefined) return none
  const ms = instant(typeof t === 'string' ? t : t.toISOString())
  if (Number.isNaN(ms)) throw new RangeError(`not an RFC 3339 time: ${String(t)}`)
  return ms
}

async function row(reader: EntryReader, status: StatusReader, index: number): Promise<AccessRow> {
  const loaded = await reader.get(index)
  const { entry } = loaded
  const { event } = entry
  const d = event.data
  const out: AccessRow = { id: event.id, index, at: event.at, dept: event.actor.dept, resource: str(d['resource']) ?? '', items: strList(d['items']), approvers: [], status: await status.of(loaded) }
  if (event.actor.person !== undefined) out.person = event.actor.person
  if (typeof d['rows'] === 'number') out.rows = d['rows']
  for (const k of ['purpose', 'case', 'storage', 'outcome'] as const) {
    const v = str(d[k])
    if (v !== undefined) out[k] = v
  }
  const ref = entry.refs.find((r) => r.name === 'grant')
  if (!ref) return out
  out.grantRef = ref.id
  if (ref.index === undefined) return out
  const g = await reader.get(ref.index)
  if (g.entry.event.type !== 'grant.issued' || g.entry.event.id !== ref.id) return out
  const gd = g.entry.event.data
  out.grant = { id: ref.id, index: ref.index }
  for (const k of ['grantee', 'validFrom', 'validUntil', 'storage'] as const) {
    const v = str(gd[k])
    if (v !== undefined) out.grant[k] = v
  }
  const bases = basisRefs(g.entry)
  const b = bases.length === 1 ? bases[0] : undefined
  if (!b) return out
  out.basis = { name: b.name, id: b.id }
  if (b.index === undefined) return out
  const basis = await reader.get(b.index)
  out.basis.index = b.index
  out.basis.type = basis.entry.event.type
  if (basis.entry.event.id === b.id && REF_TYPES.get(b.name)?.includes(basis.entry.event.type)) out.approvers = uniqueParties(await basisParties(reader, basis.entry, g.entry))
  return out
}

/**
 * The keyed record digest of DOMAIN.md: lowercase hex HMAC-SHA-256(key, UTF-8 record id).
 * `keyHex` is the resource's secret key in hex (held outside the ledger).
 * @example recordDigest('00ff…', '330106198001010011')
 */
export function recordDigest(keyHex: string, recordId: string): string {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(keyHex)) throw new TypeError('recordDigest: key must be non-empty hex')
  return createHmac('sha256', Buffer.from(keyHex, 'hex')).update(recordId, 'utf8').digest('hex')
}
