/**
 * Deadline state: requests and their first answers, quality reports and their resolutions,
 * settled as of a time into REPLY_LATE, REQUEST_UNANSWERED and QUALITY_OVERDUE.
 *
 * A request is answered by its first `request.replied`, or else by the first `grant.issued` or
 * `agreement.signed` that references it ("first" by business time). Its deadline comes from
 * the sharing type of the requested resource's catalogue version in force at the request.
 */
import type { Entry } from '@liuhen/core'
import type { WorkCalendar } from '../calendar.js'
import type { DeadlinesConfig } from '../config.js'
import { formatLedgerTime, isLedgerError } from '@liuhen/core'
import type { Finding, Party } from '../types.js'
import { follow, refsNamed, type Registry, resolvedRef } from './registry.js'
import { personField, str } from './util.js'

interface Answer {
  id: string
  ms: number
  party: Party | undefined
}
interface Request {
  index: number
  at: string
  owner: string | undefined
  sharing: string
  reply?: Answer
  other?: Answer
}
interface Report {
  index: number
  at: string
  owner: string | undefined
  resolved?: Answer
}

const earlier = (a: Answer | undefined, b: Answer): Answer => (a && a.ms <= b.ms ? a : b)

/** Requests and quality reports awaiting settlement. */
export class Deadlines {
  readonly #requests = new Map<string, Request>()
  readonly #reports = new Map<string, Report>()
  readonly unchecked: string[] = []

  constructor(
    private readonly registry: Registry,
    readonly config: DeadlinesConfig,
    readonly calendar: WorkCalendar,
  ) {}

  /** Takes in a request, answer, quality report or resolution. */
  add(entry: Entry, ms: number): void {
    const { event } = entry
    const answer = (): Answer => ({ id: event.id, ms, party: undefined })
    switch (event.type) {
      case 'request.submitted': {
        const ref = follow(this.registry.catalogues, resolvedRef(entry, 'catalogue'))
        const cat = this.registry.catalogueAt(ref?.resource ?? str(event.data['resource']), ms) ?? ref
        this.#requests.set(event.id, { index: entry.index, at: event.at, owner: cat?.owner, sharing: cat?.sharing ?? 'unknown' })
        return
      }
      case 'request.replied': {
        const req = follow(this.#requests, resolvedRef(entry, 'request'))
        const p: Party = { dept: event.actor.dept, role: 'owner', rule: 'R1', ...personField(event.actor.person) }
        if (req) req.reply = earlier(req.reply, { id: event.id, ms, party: p })
        return
      }
      case 'grant.issued':
      case 'agreement.signed':
        for (const ref of refsNamed(entry, event.type === 'grant.issued' ? 'request' : 'requests')) {
          const req = follow(this.#requests, ref)
          if (req) req.other = earlier(req.other, answer())
        }
        return
      case 'quality.raised': {
        const cat = this.registry.catalogueAt(str(event.data['resource']), ms)
        this.#reports.set(event.id, { index: entry.index, at: event.at, owner: cat?.owner })
        return
      }
      case 'quality.resolved': {
        const rep = follow(this.#reports, resolvedRef(entry, 'report'))
        if (rep) rep.resolved = earlier(rep.resolved, answer())
        return
      }
    }
  }

  /** Findings as of `asOfMs`. Events after `asOfMs` neither raise nor answer anything. */
  settle(asOfMs: number): Finding[] {
    const out: Finding[] = []
    const versions = `${this.config.version}, ${this.calendar.version}`
    for (const [id, r] of this.#requests) {
      const days = this.config.reply[r.sharing as keyof DeadlinesConfig['reply']] ?? this.config.reply.unknown
      const due = this.#due(id, r.at, days)
      if (due === undefined || Date.parse(r.at) > asOfMs) continue
      const ans = r.reply ?? r.other
      const owner: Party[] = r.owner === undefined ? [] : [{ dept: r.owner, role: 'owner', rule: 'R1' }]
      const base = { event: id, index: r.index, at: r.at }
      if (ans && ans.ms <= asOfMs) {
        if (ans.ms > due)
          out.push({
            ...base,
            code: 'REPLY_LATE',
            evidence: [ans.id],
            parties: ans.party && ans.party.dept === r.owner ? [ans.party] : dedupe([...owner, ...(ans.party ? [ans.party] : [])]),
            message: `${r.sharing} request answered by ${ans.id} after its ${days}-working-day deadline ${formatLedgerTime(due)} (${versions})`,
          })
      } else if (asOfMs > due) {
        out.push({
          ...base,
          code: 'REQUEST_UNANSWERED',
          evidence: [],
          parties: owner,
          message: `${r.sharing} request unanswered past its ${days}-working-day deadline ${formatLedgerTime(due)} (${versions})`,
        })
      }
    }
    for (const [id, r] of this.#reports) {
      const due = this.#due(id, r.at, this.config.quality)
      if (due === undefined || Date.parse(r.at) > asOfMs) continue
      const done = r.resolved && r.resolved.ms <= asOfMs ? r.resolved : undefined
      if (done ? done.ms > due : asOfMs > due)
        out.push({
          event: id,
          index: r.index,
          at: r.at,
          code: 'QUALITY_OVERDUE',
          evidence: done ? [done.id] : [],
          parties: r.owner === undefined ? [] : [{ dept: r.owner, role: 'owner', rule: 'R1' }],
          message: `quality report ${done ? `resolved by ${done.id} after` : 'unresolved past'} its ${this.config.quality}-working-day deadline ${formatLedgerTime(due)} (${versions})`,
        })
    }
    return out
  }

  #due(id: string, at: string, days: number): number | undefined {
    try {
      return this.calendar.addWorkingDays(at, days).getTime()
    } catch (err) {
      if (isLedgerError(err, 'CALENDAR_NOT_COVERED') || err instanceof RangeError) {
        if (!this.unchecked.includes(id)) this.unchecked.push(id)
        return undefined
      }
      throw err
    }
  }
}

function dedupe(parties: Party[]): Party[] {
  const seen = new Set<string>()
  return parties.filter((p) => {
    const k = `${p.dept}\0${p.person ?? ''}`
    return seen.has(k) ? false : (seen.add(k), true)
  })
}
