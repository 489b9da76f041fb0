/**
 * The accountability chain of an event: the event and, transitively, every event its refs
 * resolve to, each link checked against the hash bound into the referring entry.
 */
import { type Entry, type Event, type ReadableStore, bytesEqual, hashLeaf, toHex } from '@liuhen/core'
import { QueryError } from './error.js'
import { basisParties, EntryReader, type Loaded, REF_TYPES } from './internal/read.js'
import { signers } from './internal/registry.js'
import { personField, str } from './internal/util.js'
import { type DeadlinesConfig, defaultDeadlines } from './config.js'
import { type AccessStatus, StatusReader } from './status.js'
import { type Party, uniqueParties } from './types.js'

/** One event of a chain. */
export interface ChainLink {
  id: string
  type: string
  index: number
  /** Hex of the entry's leaf hash, recomputed from its stored bytes. */
  hash: string
  at: string
  actor: { dept: string; person?: string }
  /** The ref name this event was reached by; absent for the starting event. */
  refName?: string
  /** The references of this link's entry that resolved, in entry order (the chain's edges). */
  refs: { name: string; id: string }[]
  /** Id of the event whose ref reached this one (for a binding's confirmation and a later event: the event it references). */
  from?: string
  /**
   * True for an event appended after the link it references (`from`) that bears on it: a grant's
   * revocation, an access's copy destruction, quality report or incident, an agreement's
   * termination, an incident's accountability decision. Its own other refs are not followed.
   */
  later?: true
  /** For an access: its status at the time it happened (findings and the events that changed its grant). */
  status?: AccessStatus
}

/** A link that could not be followed or did not check. */
export interface BrokenLink {
  /** The referenced (or failing) event id. */
  id: string
  reason: string
}

/** The accountability chain of one event. */
export interface Chain {
  event: Event
  chain: ChainLink[]
  parties: Party[]
  broken: BrokenLink[]
}

/** Options of {@link buildChain}. */
export interface ChainOptions {
  /** The deadline configuration staleness is judged with (default: the shipped one). */
  deadlines?: DeadlinesConfig
  /**
   * Called with every link's index and leaf hash; return false when the entry is not included
   * under the checkpoint the auditor holds (wire `@liuhen/verify` inclusion proofs here).
   */
  verifyLink?: (index: number, leafHash: Uint8Array) => boolean | Promise<boolean>
}

/**
 * Builds the chain of `eventId` by following resolved refs by index. A ref that is unresolved,
 * whose bound hash differs from the referenced entry's leaf hash, whose entry has another id,
 * or whose entry has a type the ref name does not allow, is reported in `broken`; a hash or id
 * mismatch is not followed further. The later events that bear on a link (see
 * {@link ChainLink.later}) are added after it, found through the `ref` posting, and every access
 * carries its {@link AccessStatus}. Throws `QUERY_EVENT_NOT_FOUND` for an unknown id.
 * @example const { chain, parties, broken } = await buildChain(store, 'acc-2026-000123')
 */
export async function buildChain(store: ReadableStore, eventId: string, options: ChainOptions = {}): Promise<Chain> {
  const start = await store.readIdIndex(eventId)
  if (start === undefined) throw new QueryError('QUERY_EVENT_NOT_FOUND', `no event ${eventId} in the log`, { id: eventId })
  const reader = new EntryReader(store)
  const status = new StatusReader(reader, options.deadlines ?? defaultDeadlines())
  const root = await reader.get(start)
  const links: ChainLink[] = []
  const broken: BrokenLink[] = []
  const parties: Party[] = []
  const seen = new Set<number>()
  const queue: { loaded: Loaded; refName?: string; from?: string; later?: number }[] = [{ loaded: root }]
  while (queue.length > 0) {
    const { loaded, refName, from, later } = queue.shift()!
    const { entry } = loaded
    if (seen.has(entry.index)) continue
    seen.add(entry.index)
    const leaf = hashLeaf(loaded.bytes)
    if (options.verifyLink && !(await options.verifyLink(entry.index, leaf))) broken.push({ id: entry.event.id, reason: `entry ${entry.index} is not included under the checkpoint` })
    const l = link(entry, leaf, refName, from)
    links.push(l)
    parties.push(...(await partiesOf(reader, entry)))
    if (later !== undefined) {
      // A later event: only its ref to the link it bears on is checked, its other refs lead away.
      const target = await reader.get(later)
      if (!entry.refs.some((r) => r.index === later && r.hash !== undefined && bytesEqual(r.hash, hashLeaf(target.bytes))))
        broken.push({ id: entry.event.id, reason: `${entry.event.id}.${refName ?? 'ref'}: hash mismatch at entry ${later}` })
      l.later = true
      continue
    }
    if (entry.event.type === 'access.performed') l.status = await status.of(loaded)
    for (const ref of entry.refs) {
      const where = `${entry.event.id}.${ref.name}`
      if (ref.index === undefined || ref.hash === undefined) {
        broken.push({ id: ref.id, reason: `${where} is unresolved` })
        continue
      }
      const target = await reader.get(ref.index).catch(() => undefined)
      if (!target) broken.push({ id: ref.id, reason: `${where}: entry ${ref.index} is missing` })
      else if (!bytesEqual(hashLeaf(target.bytes), ref.hash)) broken.push({ id: ref.id, reason: `${where}: hash mismatch at entry ${ref.index}` })
      else if (target.entry.event.id !== ref.id) broken.push({ id: ref.id, reason: `${where}: entry ${ref.index} is ${target.entry.event.id}` })
      else {
        const allowed = REF_TYPES.get(ref.name)
        if (allowed && !allowed.includes(target.entry.event.type)) broken.push({ id: ref.id, reason: `${where} is a ${target.entry.event.type}, not a ${allowed.join(' or ')}` })
        queue.push({ loaded: target, refName: ref.name, from: entry.event.id })
      }
    }
    if (entry.event.type === 'binding.declared') {
      for (const c of await reader.referrers(entry.event.id, entry.index, 'binding', 'binding.confirmed')) queue.push({ loaded: c, refName: 'confirmation', from: entry.event.id })
    }
    for (const ev of await status.later(loaded)) queue.push({ loaded: await reader.get(ev.index), refName: ev.ref, from: entry.event.id, later: entry.index })
  }
  return { event: root.entry.event, chain: links, parties: uniqueParties(parties), broken }
}

function link(entry: Entry, leaf: Uint8Array, refName: string | undefined, from: string | undefined): ChainLink {
  const { event } = entry
  return {
    id: event.id,
    type: event.type,
    index: entry.index,
    hash: toHex(leaf),
    at: event.at,
    actor: { dept: event.actor.dept, ...personField(event.actor.person) },
    refs: entry.refs.filter((r) => r.index !== undefined).map((r) => ({ name: r.name, id: r.id })),
    ...(refName === undefined ? {} : { refName }),
    ...(from === undefined ? {} : { from }),
  }
}

/** The parties one chain event names, by the responsibility rules R1–R6. */
async function partiesOf(reader: EntryReader, entry: Entry): Promise<Party[]> {
  const e = entry.event
  const actor = { dept: e.actor.dept, ...personField(e.actor.person) }
  switch (e.type) {
    case 'access.performed':
    case 'request.submitted':
      return [{ ...actor, role: 'user', rule: 'R2' }]
    case 'catalogue.registered':
    case 'catalogue.updated':
      return [{ dept: str(e.data['owner']) ?? e.actor.dept, role: 'owner', rule: 'R1' }]
    case 'grant.issued': {
      const basis = entry.refs.find((r) => r.name === 'catalogue')
      return basis ? [{ ...actor, role: 'data-bureau', rule: 'R6' }] : [{ ...actor, role: 'owner', rule: 'R1' }]
    }
    case 'request.replied':
    case 'escalation.decided':
      return basisParties(reader, entry, entry)
    case 'agreement.signed': {
      const parties = Array.isArray(e.data['parties']) ? e.data['parties'].filter((x): x is string => typeof x === 'string') : []
      return signers(e.data['signers'], parties).map((s) => ({ ...s, role: 'agreement-party', rule: 'R4' }) as Party)
    }
    case 'binding.declared':
    case 'binding.confirmed':
      return [{ ...actor, role: 'binding', rule: 'R5' }]
  }
  return []
}
