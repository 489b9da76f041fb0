/**
 * The one judgment of an access and of a grant's state at a time. The streaming findings
 * engine and the per-access answers (`queryAccesses`, `buildChain`, and through them the CLI's
 * `query`, `chain` and `bundle`) gather the same facts in two ways (a pass over the log, or
 * lookups in the `ref`, `catalogue`, `version` and `type` postings) and hand them to these functions, so they cannot
 * disagree about an access.
 */
import type { Entry, EntryRef } from '@liuhen/core'
import { instant, ownValue, personField, str, strList } from './internal/util.js'
import type { FindingCode, Party } from './types.js'

/** What a grant allows, read from its `grant.issued` event. */
export interface GrantTerms {
  id: string
  index: number
  resource: string | undefined
  grantee: string | undefined
  items: ReadonlySet<string>
  /** `validFrom` and `validUntil` (a bare date: its whole Beijing day) in ms; NaN when malformed. */
  from: number
  until: number
  storage: string
}

/** A `grant.revoked` of a grant: its id, log index and business time. */
export interface Revocation {
  id: string
  index: number
  ms: number
}

/** Reads the terms of a `grant.issued` entry. */
export function grantTerms(entry: Entry): GrantTerms {
  const d = entry.event.data
  return {
    id: entry.event.id,
    index: entry.index,
    resource: str(d['resource']),
    grantee: str(d['grantee']),
    items: new Set(strList(d['items'])),
    from: instant(d['validFrom']),
    until: instant(d['validUntil'], true),
    storage: str(d['storage']) ?? 'none',
  }
}

/**
 * The earliest of the `revocations` appended before log index `below` (default: all), by time;
 * of equal times, the first appended.
 */
export function earliestRevocation<R extends Revocation>(revocations: Iterable<R>, below = Number.POSITIVE_INFINITY): R | undefined {
  let first: R | undefined
  for (const r of revocations) if (r.index < below && (first === undefined || r.ms < first.ms || (r.ms === first.ms && r.index < first.index))) first = r
  return first
}

/**
 * The revocation in force for an access at log index `index` and time `ms`: of the grant's
 * revocations appended before the access, the earliest by time, if that time is at or before
 * the access's (of equal times, the first appended). A revocation appended after the access is
 * not applied to it: the log did not hold it when the access was recorded.
 */
export function revocationAt(revocations: Iterable<Revocation>, index: number, ms: number): Revocation | undefined {
  const first = earliestRevocation(revocations, index)
  return first !== undefined && first.ms <= ms ? first : undefined
}

/** One conclusion about an access, before it becomes a `Finding` (the event fields are the access's). */
export interface AccessJudgment {
  code: FindingCode
  evidence: string[]
  parties: Party[]
  message: string
}

/** The facts an access is judged on. */
export interface AccessFacts {
  /** The access's `grant` ref, as recorded. */
  ref: EntryRef | undefined
  /** The grant, when the ref resolved to a `grant.issued`. */
  grant: GrantTerms | undefined
  /** {@link revocationAt} of the grant for this access. */
  revoked: Revocation | undefined
  /** The data bureau (R6), when known. */
  bureau: Party[]
}

/** The user party (R2) of an access. */
export function userOf(access: Entry): Party {
  return { dept: access.event.actor.dept, ...personField(access.event.actor.person), role: 'user', rule: 'R2' }
}

/**
 * Judges an access against its grant: ACCESS_NO_GRANT, ACCESS_GRANT_EXPIRED,
 * ACCESS_GRANT_REVOKED, ACCESS_OUT_OF_SCOPE, and ACCESS_STORED for a cache or copy under a
 * grant that allows no storage. `copy` is true when the access made a copy that must later be
 * destroyed (see {@link undestroyedCopy}). Denied accesses are not judged (`undefined`).
 */
export function judgeAccess(access: Entry, facts: AccessFacts): { judgments: AccessJudgment[]; copy: boolean } | undefined {
  const { event } = access
  const d = event.data
  if (d['outcome'] === 'denied') return undefined
  const user = userOf(access)
  const served = [user, ...facts.bureau]
  const ms = instant(event.at)
  const resource = str(d['resource'])
  const storage = str(d['storage']) ?? 'none'
  const { ref, grant: g } = facts
  const out: AccessJudgment[] = []
  const add = (code: FindingCode, evidence: string[], parties: Party[], message: string): number => out.push({ code, evidence, parties, message })
  let stored = false
  if (!g || !ref) {
    const why = !ref ? 'has no grant ref' : ref.index === undefined ? `cites ${ref.id}, not in the log` : `cites ${ref.id}, not a grant`
    add('ACCESS_NO_GRANT', ref ? [ref.id] : [], served, `access ${why}`)
  } else {
    if (!(ms >= g.from && ms <= g.until)) add('ACCESS_GRANT_EXPIRED', [ref.id], served, `access outside grant ${ref.id}'s validity`)
    if (facts.revoked) add('ACCESS_GRANT_REVOKED', [ref.id, facts.revoked.id], served, `grant ${ref.id} was revoked by ${facts.revoked.id}`)
    const scope: string[] = []
    if (resource !== g.resource) scope.push(`resource ${resource ?? '(none)'} is not the grant's`)
    const extra = strList(d['items']).filter((i) => !g.items.has(i))
    if (extra.length > 0) scope.push(`items ${extra.join(', ')} not granted`)
    if (event.actor.dept !== g.grantee) scope.push(`dept ${event.actor.dept} is not the grantee`)
    if (scope.length > 0) add('ACCESS_OUT_OF_SCOPE', [ref.id], served, scope.join('; '))
    if (storage !== 'none' && g.storage === 'none') {
      stored = true
      add('ACCESS_STORED', [ref.id], [user], `access stored data (${storage}) under a grant that says none`)
    }
  }
  return { judgments: out, copy: storage === 'copy' && !stored }
}

/** ACCESS_STORED for a copy (see {@link judgeAccess}) that no `copy.destroyed` citing the access followed. */
export function undestroyedCopy(access: Entry, grant: string | undefined): AccessJudgment {
  return { code: 'ACCESS_STORED', evidence: grant === undefined ? [] : [grant], parties: [userOf(access)], message: `copy made by access ${access.event.id} was never destroyed` }
}

/** The catalogue version in force at an access, as far as staleness needs it. */
export interface StaleFacts {
  catalogue: { id: string; owner: string; updateCycle: string | undefined } | undefined
  /** The `resource.updated` the access saw: its `version` ref, or else the latest at or before it. */
  seen: { id: string; ms: number } | undefined
  staleHours: Readonly<Record<string, number>>
  version: string
}

/** DATA_STALE when the data the access saw is older than its catalogue's update cycle allows. */
export function judgeStale(access: Entry, f: StaleFacts): AccessJudgment | undefined {
  const resource = str(access.event.data['resource'])
  const cat = f.catalogue
  const hours = cat?.updateCycle === undefined ? undefined : ownValue(f.staleHours, cat.updateCycle)
  const ms = instant(access.event.at)
  if (resource === undefined || !cat || hours === undefined || !f.seen || f.seen.ms > ms) return undefined
  if (!(ms - f.seen.ms > hours * 3_600_000)) return undefined
  return {
    code: 'DATA_STALE',
    evidence: [f.seen.id, cat.id],
    parties: [{ dept: cat.owner, role: 'owner', rule: 'R1' }],
    message: `served ${resource} last updated ${((ms - f.seen.ms) / 3_600_000).toFixed(1)} h earlier; ${cat.updateCycle} allows ${hours} h (${f.version})`,
  }
}
