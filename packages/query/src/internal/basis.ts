/**
 * Grant bases (DOMAIN.md: `reply`, `agreement`, `endorsement`, `binding`, `catalogue`): the
 * state they need, and the check of one grant's basis. A basis ref that is unresolved or
 * resolves to an entry of another type counts as invalid.
 */
import type { Entry, EntryRef } from '@liuhen/core'
import type { Party } from '../types.js'
import { follow, type Registry, resolvedRef, signers } from './registry.js'
import { instant, obj, personField, str, strList } from './util.js'

/**
 * Ref names that are a grant's basis, with the event types each must resolve to. A Map: ref
 * names come from events, and a plain object would also "hold" `toString` or `constructor`.
 */
export const BASIS_TYPES: ReadonlyMap<string, readonly string[]> = new Map([
  ['reply', ['request.replied']],
  ['agreement', ['agreement.signed']],
  ['endorsement', ['escalation.decided']],
  ['binding', ['binding.declared']],
  ['catalogue', ['catalogue.registered', 'catalogue.updated']],
])

/** The refs of a grant entry that name a basis (whether or not they resolved). */
export function basisRefs(grant: Entry): EntryRef[] {
  return grant.refs.filter((r) => BASIS_TYPES.has(r.name))
}

interface Reply {
  index: number
  request: string | undefined
  decision: string
  dept: string
  person: string | undefined
}
interface Agreement {
  index: number
  signers: { dept: string; person?: string }[]
  flows: { resource: string; to: string | undefined; items: string[] }[]
  from: number
  until: number
  terminated?: { id: string; ms: number }
}
interface Decision {
  index: number
  decision: string
  dept: string
  person: string | undefined
  leader: boolean
}
interface Binding {
  index: number
  dept: string
  person: string | undefined
  task: string | undefined
  confirmation?: { id: string; decision: string; dept: string; person: string | undefined }
}

/** What a basis check concludes. */
export interface BasisResult {
  /** Why the basis is invalid, or undefined when it holds. */
  invalid?: string
  /** Why the grant outlives its basis, or undefined. */
  outlives?: string
  /** Ids of the basis events (and their confirmations, terminations). */
  evidence: string[]
  /** Who answers for the basis (R1 replier, R3 endorser, R4 signers, R5 binding, R6 bureau). */
  parties: Party[]
}

/** The grant being checked, already read from its event. */
export interface GrantFacts {
  ms: number
  until: number
  resource: string | undefined
  grantee: string | undefined
  items: string[]
  request: string | undefined
  issuer: Party
}

/** Replies, agreements, escalation decisions and bindings seen so far. */
export class Bases {
  readonly replies = new Map<string, Reply>()
  readonly agreements = new Map<string, Agreement>()
  readonly decisions = new Map<string, Decision>()
  readonly bindings = new Map<string, Binding>()

  constructor(private readonly registry: Registry) {}

  /** Takes in a basis-related event; returns false for other types. */
  add(entry: Entry): boolean {
    const { event } = entry
    const d = event.data
    const ms = instant(event.at)
    const actor = event.actor
    switch (event.type) {
      case 'request.replied':
        this.replies.set(event.id, { index: entry.index, request: resolvedRef(entry, 'request')?.id, decision: str(d['decision']) ?? '', dept: actor.dept, person: actor.person })
        return true
      case 'agreement.signed': {
        const flows = (Array.isArray(d['flows']) ? d['flows'] : []).map((f) => {
          const o = obj(f)
          return { resource: str(o?.['resource']) ?? '', to: str(o?.['to']), items: strList(o?.['items']) }
        })
        const parties = strList(d['parties'])
        this.agreements.set(event.id, { index: entry.index, signers: signers(d['signers'], parties), flows, from: instant(d['validFrom']), until: instant(d['validUntil'], true) })
        return true
      }
      case 'agreement.terminated': {
        const a = follow(this.agreements, resolvedRef(entry, 'agreement'))
        if (a && !(a.terminated && a.terminated.ms <= ms)) a.terminated = { id: event.id, ms }
        return true
      }
      case 'escalation.decided':
        this.decisions.set(event.id, { index: entry.index, decision: str(d['decision']) ?? '', dept: actor.dept, person: actor.person, leader: this.registry.isLeader(actor.person, ms) })
        return true
      case 'binding.declared': {
        const task = resolvedRef(entry, 'task')
        this.bindings.set(event.id, { index: entry.index, dept: actor.dept, person: actor.person, task: follow(this.registry.tasks, task) ? task?.id : undefined })
        return true
      }
      case 'binding.confirmed': {
        const b = follow(this.bindings, resolvedRef(entry, 'binding'))
        if (b) b.confirmation = { id: event.id, decision: str(d['decision']) ?? '', dept: actor.dept, person: actor.person }
        return true
      }
    }
    return false
  }

  /** Checks the single basis ref `ref` of a grant. */
  check(ref: EntryRef, g: GrantFacts): BasisResult {
    const r: BasisResult = { evidence: [ref.id], parties: [] }
    const expected = BASIS_TYPES.get(ref.name)?.join(' or ') ?? '?'
    if (ref.index === undefined) return { ...r, invalid: `basis ${ref.name} ${ref.id} is not in the log`, parties: [g.issuer] }
    switch (ref.name) {
      case 'reply': {
        const rep = follow(this.replies, ref)
        if (!rep) break
        r.parties.push({ dept: rep.dept, ...personField(rep.person), role: 'owner', rule: 'R1' })
        if (rep.decision !== 'approved') r.invalid = `reply ${ref.id} was ${rep.decision || 'not a decision'}`
        else if (g.request !== undefined && rep.request !== g.request) r.invalid = `reply ${ref.id} answers another request`
        return r
      }
      case 'agreement':
        return this.#agreement(ref, g, r)
      case 'endorsement': {
        const dec = follow(this.decisions, ref)
        if (!dec) break
        r.parties.push({ dept: dec.dept, ...personField(dec.person), role: 'endorser', rule: 'R3' })
        if (dec.decision !== 'endorsed') r.invalid = `escalation ${ref.id} was ${dec.decision || 'not decided'}`
        else if (!dec.leader) r.invalid = `endorser ${dec.person ?? '(none)'} was not a leader at the time`
        return r
      }
      case 'binding':
        return this.#binding(ref, g, r)
      case 'catalogue': {
        const cat = follow(this.registry.catalogues, ref)
        if (!cat) break
        r.parties.push({ ...g.issuer, role: 'data-bureau', rule: 'R6' })
        const now = this.registry.catalogueAt(cat.resource, g.ms)
        if (cat.resource !== g.resource) r.invalid = `auto-grant cites the catalogue of ${cat.resource}`
        else if (cat.sharing !== 'unconditional' || (now && now.sharing !== 'unconditional')) r.invalid = `auto-grant on ${cat.resource}, which is ${now?.sharing ?? cat.sharing}, not unconditional`
        if (now && now.id !== cat.id) r.evidence.push(now.id)
        return r
      }
    }
    return { ...r, invalid: `basis ${ref.name} ${ref.id} is not a ${expected}`, parties: [g.issuer] }
  }

  #agreement(ref: EntryRef, g: GrantFacts, r: BasisResult): BasisResult {
    const a = follow(this.agreements, ref)
    if (!a) return { ...r, invalid: `basis agreement ${ref.id} is not an agreement.signed`, parties: [g.issuer] }
    for (const s of a.signers) r.parties.push({ ...s, role: 'agreement-party', rule: 'R4' })
    const covers = a.flows.some((f) => f.resource === g.resource && (f.to === undefined || f.to === g.grantee) && g.items.every((i) => f.items.length === 0 || f.items.includes(i)))
    if (a.terminated && a.terminated.ms <= g.ms) {
      r.invalid = `agreement ${ref.id} was terminated before the grant`
      r.evidence.push(a.terminated.id)
    } else if (g.ms > a.until || g.ms < a.from) r.invalid = `agreement ${ref.id} was not in force at the grant`
    else if (!covers) r.invalid = `agreement ${ref.id} does not cover ${g.resource ?? '(no resource)'} for ${g.grantee ?? '(no grantee)'}`
    if (g.until > a.until) r.outlives = `grant runs past agreement ${ref.id}`
    return r
  }

  #binding(ref: EntryRef, g: GrantFacts, r: BasisResult): BasisResult {
    const b = follow(this.bindings, ref)
    if (!b) return { ...r, invalid: `basis binding ${ref.id} is not a binding.declared`, parties: [g.issuer] }
    r.parties.push({ dept: b.dept, ...personField(b.person), role: 'binding', rule: 'R5' })
    const c = b.confirmation
    if (c) {
      r.parties.push({ dept: c.dept, ...personField(c.person), role: 'binding', rule: 'R5' })
      r.evidence.push(c.id)
    }
    if (!c) r.invalid = `binding ${ref.id} was never confirmed`
    else if (c.decision !== 'confirmed') r.invalid = `binding ${ref.id} was ${c.decision || 'not decided'}`
    const task = b.task === undefined ? undefined : this.registry.tasks.get(b.task)
    if (b.task === undefined) r.invalid ??= `binding ${ref.id} names no registered task`
    else r.evidence.push(b.task)
    if (task && g.until > task.until) r.outlives = `grant runs past task ${b.task ?? ''}`
    return r
  }
}
