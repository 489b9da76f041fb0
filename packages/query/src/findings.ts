/**
 * The findings engine: one streaming pass over the log, in index order, computing every
 * finding code of DOMAIN.md. State grows with registries, grants, requests, reports and
 * undestroyed copies, never with the number of accesses.
 *
 * Accesses are judged against what the log held when they were appended (a revocation
 * appended after an access is not applied to it), by the functions of judge.ts, which every
 * per-access answer (access statuses in queries and chains) uses too. Accesses with
 * `outcome: denied` are not judged: the platform blocked them. Deadline findings are settled in {@link FindingsEngine.finish}.
 */
import type { Entry } from '@liuhen/core'
import { type WorkCalendar, defaultCalendar } from './calendar.js'
import { type DeadlinesConfig, defaultDeadlines } from './config.js'
import { Bases, basisRefs, type GrantFacts } from './internal/basis.js'
import { Deadlines } from './internal/deadlines.js'
import { follow, refsNamed, Registry, resolvedRef } from './internal/registry.js'
import { instant, personField, str, strList } from './internal/util.js'
import { grantTerms, judgeAccess, judgeStale, revocationAt, type GrantTerms, type Revocation, undestroyedCopy } from './judge.js'
import { AUDIT_TRAIL_TYPE, byFindingCode, type Finding, type FindingCode, type Party, uniqueParties } from './types.js'

/** Engine configuration; every field has a shipped default. */
export interface FindingsConfig {
  deadlines?: DeadlinesConfig
  calendar?: WorkCalendar
  /** The data bureau's dept id (R6); default: the actor of the first `org.registered`. */
  dataBureau?: string
}

/** A grant as the engine keeps it: its terms and the revocations appended so far. */
interface Grant extends GrantTerms {
  revocations: Revocation[]
}

/**
 * Computes findings from entries added in log order.
 * @example
 * const engine = new FindingsEngine()
 * for await (const { bytes } of store.readEntries(0, size)) engine.add(decodeEntry(bytes))
 * const findings = engine.finish()
 */
export class FindingsEngine {
  readonly #registry = new Registry()
  readonly #bases = new Bases(this.#registry)
  readonly #deadlines: Deadlines
  readonly #grants = new Map<string, Grant>()
  // The access entries themselves: few (copies awaiting destruction), and the judgment needs them.
  readonly #copies = new Map<string, { entry: Entry; grant: string | undefined }>()
  readonly #findings: Finding[] = []
  readonly #bureau: string | undefined
  #latest = Number.NEGATIVE_INFINITY
  #latestAt = ''

  constructor(config: FindingsConfig = {}) {
    this.#bureau = config.dataBureau
    this.#deadlines = new Deadlines(this.#registry, config.deadlines ?? defaultDeadlines(), config.calendar ?? defaultCalendar())
  }

  /** Event ids whose deadline could not be computed (calendar does not cover the dates). */
  get unchecked(): readonly string[] {
    return this.#deadlines.unchecked
  }

  /** Takes in the next entry of the log. Precondition: entries come in index order. */
  add(entry: Entry): void {
    if (entry.event.type === AUDIT_TRAIL_TYPE) return
    const ms = instant(entry.event.at)
    if (ms > this.#latest) {
      this.#latest = ms
      this.#latestAt = entry.event.at
    }
    if (entry.event.type === 'access.performed') return this.#access(entry, ms)
    if (this.#registry.add(entry)) return
    this.#bases.add(entry)
    this.#deadlines.add(entry, ms)
    switch (entry.event.type) {
      case 'grant.issued':
        return this.#grant(entry, ms)
      case 'grant.revoked':
        follow(this.#grants, resolvedRef(entry, 'grant'))?.revocations.push({ id: entry.event.id, index: entry.index, ms })
        return
      case 'copy.destroyed': {
        const ref = resolvedRef(entry, 'access')
        if (ref && this.#copies.get(ref.id)?.entry.index === ref.index) this.#copies.delete(ref.id)
        return
      }
    }
  }

  /**
   * Settles deadlines and undestroyed copies as of `asOf` (default: the latest event's `at`)
   * and returns every finding whose event is at or before `asOf`, by log index then code.
   */
  finish(asOf?: string): Finding[] {
    const asOfMs = asOf === undefined ? this.#latest : instant(asOf)
    if (Number.isNaN(asOfMs)) throw new RangeError(`asOf is not an RFC 3339 time: ${String(asOf)}`)
    const out = this.#findings.filter((f) => !(instant(f.at) > asOfMs))
    for (const { entry, grant } of this.#copies.values()) {
      if (instant(entry.event.at) > asOfMs) continue
      const { code, evidence, parties, message } = undestroyedCopy(entry, grant)
      out.push({ code, event: entry.event.id, index: entry.index, at: entry.event.at, evidence, parties, message })
    }
    out.push(...this.#deadlines.settle(asOfMs))
    return out.sort((a, b) => a.index - b.index || byFindingCode(a, b))
  }

  /** The `at` of the latest event added, as submitted ('' before any). */
  get latestAt(): string {
    return this.#latestAt
  }

  #emit(entry: Entry, code: FindingCode, evidence: string[], parties: Party[], message: string): void {
    const { event } = entry
    this.#findings.push({ code, event: event.id, index: entry.index, at: event.at, evidence, parties: uniqueParties(parties), message })
  }

  #bureauParty(): Party[] {
    const dept = this.#bureau ?? this.#registry.bureau
    return dept === undefined ? [] : [{ dept, role: 'data-bureau', rule: 'R6' }]
  }

  #access(entry: Entry, ms: number): void {
    const ref = entry.refs.find((r) => r.name === 'grant')
    const g = follow(this.#grants, ref)
    const judged = judgeAccess(entry, { ref, grant: g, revoked: g && revocationAt(g.revocations, entry.index, ms), bureau: this.#bureauParty() })
    if (!judged) return
    for (const j of judged.judgments) this.#emit(entry, j.code, j.evidence, j.parties, j.message)
    if (judged.copy) this.#copies.set(entry.event.id, { entry, grant: ref?.id })
    const resource = str(entry.event.data['resource'])
    const cat = this.#registry.catalogueAt(resource, ms)
    const vref = resolvedRef(entry, 'version')
    const pinned = follow(this.#registry.updates, vref)
    const seen = pinned && vref && pinned.resource === resource ? { id: vref.id, ms: pinned.ms } : resource === undefined ? undefined : this.#registry.updateAt(resource, ms)
    const { staleHours, version } = this.#deadlines.config
    const stale = judgeStale(entry, { catalogue: cat, seen, staleHours, version })
    if (stale) this.#emit(entry, stale.code, stale.evidence, stale.parties, stale.message)
  }

  #grant(entry: Entry, ms: number): void {
    const { event } = entry
    const d = event.data
    const isBureau = event.actor.dept === (this.#bureau ?? this.#registry.bureau)
    const issuer: Party = { dept: event.actor.dept, ...personField(event.actor.person), role: isBureau ? 'data-bureau' : 'owner', rule: isBureau ? 'R6' : 'R1' }
    const g: GrantFacts = {
      ms,
      until: instant(d['validUntil'], true),
      resource: str(d['resource']),
      grantee: str(d['grantee']),
      items: strList(d['items']),
      request: resolvedRef(entry, 'request')?.id,
      issuer,
    }
    this.#grants.set(event.id, { ...grantTerms(entry), revocations: [] })
    const cat = this.#registry.catalogueAt(g.resource, ms)
    const owner: Party[] = cat ? [{ dept: cat.owner, role: 'owner', rule: 'R1' }] : []
    const bases = basisRefs(entry)
    let basisParties: Party[] = []
    if (bases.length === 0) this.#emit(entry, 'GRANT_NO_BASIS', [], [issuer, ...owner], 'grant cites no basis')
    else if (bases.length > 1)
      this.#emit(
        entry,
        'GRANT_MANY_BASES',
        bases.map((b) => b.id),
        [issuer, ...owner],
        `grant cites ${bases.length} bases: ${bases.map((b) => b.name).join(', ')}`,
      )
    else {
      const r = this.#bases.check(bases[0]!, g)
      basisParties = r.parties
      if (r.invalid !== undefined) this.#emit(entry, 'GRANT_BASIS_INVALID', r.evidence, [...r.parties, ...owner], r.invalid)
      if (r.outlives !== undefined) this.#emit(entry, 'GRANT_OUTLIVES_BASIS', r.evidence, [...r.parties, ...owner], r.outlives)
    }
    if (cat?.sharing === 'none')
      this.#emit(entry, 'GRANT_NOT_SHARED_DATA', [cat.id, ...refsNamed(entry, 'request').map((r) => r.id)], [...owner, issuer, ...basisParties], `${cat.resource} was not shared (none) at the grant`)
  }
}

/** Options of {@link filterFindings}; times are compared with each finding's event time. */
export interface FindingFilter {
  from?: string
  to?: string
  codes?: readonly FindingCode[]
}

/**
 * Findings whose event time is in [from, to] and whose code is listed (the CLI's `--from`,
 * `--to`, `--code`).
 */
export function filterFindings(findings: readonly Finding[], filter: FindingFilter): Finding[] {
  const from = filter.from === undefined ? Number.NEGATIVE_INFINITY : instant(filter.from)
  const to = filter.to === undefined ? Number.POSITIVE_INFINITY : instant(filter.to)
  return findings.filter((f) => {
    const t = instant(f.at)
    return t >= from && t <= to && (filter.codes === undefined || filter.codes.includes(f.code))
  })
}
