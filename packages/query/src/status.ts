/**
 * The status of one access at the time it happened, from the indexes (no pass over the log):
 * the findings that concern it, computed by the same functions as the findings engine
 * (judge.ts), and the events that changed its grant or bear on it later (a revocation, a copy's
 * destruction, a quality report, an incident), each with its index and leaf hash.
 *
 * Facts are found through postings: the grant's revocations and the access's later events
 * through the `ref` posting (every entry that references an id), the catalogue version in force
 * and the data version seen through the resource's `catalogue` and `version` postings (or, in a
 * ledger indexed before those existed, the `type` posting), scanned backwards from its time.
 */
import { type Entry, hashLeaf, toHex } from '@liuhen/core'
import { timeRange } from './indexer.js'
import { type EntryReader, type Loaded } from './internal/read.js'
import { resolvedRef } from './internal/registry.js'
import { instant, str, utcIso } from './internal/util.js'
import { earliestRevocation, type GrantTerms, grantTerms, judgeAccess, judgeStale, revocationAt, undestroyedCopy } from './judge.js'
import type { DeadlinesConfig } from './config.js'
import { byFindingCode, type FindingCode } from './types.js'

/** An event that changed an access's grant or bears on the access. */
export interface StatusEvent {
  id: string
  type: string
  index: number
  /** Hex of the entry's leaf hash. */
  hash: string
  at: string
  /**
   * The ref by which it cites `target`: in an access's status, `grant` (a revocation of its grant)
   * or `access` / `accesses` (a copy destruction, quality report or incident citing the access).
   */
  ref: string
  /** The id it cites. */
  target: string
  /**
   * In an access's status: appended after the access, so not applied to it (as in `findings`).
   * From {@link StatusReader.later}: always true (it cites an earlier entry).
   */
  later: boolean
}

/** A finding about the access, as `findings` reports it (parties are in the row and the chain). */
export interface StatusFinding {
  code: FindingCode
  evidence: string[]
  message: string
}

/** What an auditor must know with an access. `findings` is empty for a clean or a denied access. */
export interface AccessStatus {
  findings: StatusFinding[]
  events: StatusEvent[]
}

/**
 * The later events that bear on an event, by its type: the event types that reference it and by
 * which ref name. Found through the `ref` posting; an entry's refs resolve only to earlier
 * entries, so each is appended after the event it bears on.
 */
const BEARING: ReadonlyMap<string, readonly (readonly [type: string, ref: string])[]> = new Map([
  ['grant.issued', [['grant.revoked', 'grant']]],
  [
    'access.performed',
    [
      ['copy.destroyed', 'access'],
      ['quality.raised', 'access'],
      ['incident.reported', 'accesses'],
    ],
  ],
  ['agreement.signed', [['agreement.terminated', 'agreement']]],
  ['incident.reported', [['accountability.determined', 'incident']]],
])

/** A catalogue version, as staleness needs it. */
interface Catalogue {
  id: string
  index: number
  ms: number
  owner: string
  updateCycle: string | undefined
}

/** The catalogue versions of one resource, and whether the `catalogue` posting found them. */
interface Versions {
  list: Catalogue[]
  indexed: boolean
}

const CATALOGUE_TYPES: readonly string[] = ['catalogue.registered', 'catalogue.updated']

function catalogueOf(entry: Entry): Catalogue {
  const d = entry.event.data
  return { id: entry.event.id, index: entry.index, ms: instant(entry.event.at), owner: str(d['owner']) ?? entry.event.actor.dept, updateCycle: str(d['updateCycle']) }
}

/** A later event and whether its first ref of that name is the one to the target (what the engine counts). */
interface Bearing {
  event: StatusEvent
  first: boolean
}

/** Computes access statuses and later events for one query, caching per event. */
export class StatusReader {
  readonly #later = new Map<number, Promise<Bearing[]>>()
  readonly #catalogues = new Map<string, Promise<Versions>>()
  #catalogueList: Promise<Map<string, Catalogue[]>> | undefined

  constructor(
    readonly reader: EntryReader,
    readonly deadlines: DeadlinesConfig,
  ) {}

  /** The status of the access `access` (an `access.performed` entry). */
  async of(access: Loaded): Promise<AccessStatus> {
    const { entry } = access
    const ms = instant(entry.event.at)
    const ref = entry.refs.find((r) => r.name === 'grant')
    const grant = await this.#grant(ref?.index, ref?.id)
    const onGrant = grant ? await this.#bearing(await this.reader.get(grant.index)) : []
    const onAccess = await this.#bearing(access)
    // The revocations of the grant the engine counts, and of them the
    // ones that changed the grant for this access: the one in force (the earliest of those appended
    // before it, as `revocationAt` picks) and the earliest appended after it. A grant revoked again
    // changed nothing more: listing every revocation with every access let one department, revoking
    // its grant thousands of times, make a query's output grow with accesses times revocations until
    // it could not be printed at all.
    const revocations = onGrant.filter((b) => b.first && b.event.type === 'grant.revoked').map((b) => ({ id: b.event.id, index: b.event.index, ms: instant(b.event.at), event: b.event }))
    const before = earliestRevocation(revocations, entry.index)
    const after = earliestRevocation(revocations.filter((r) => r.index > entry.index))
    const changes = [before, after].flatMap((r) => (r === undefined ? [] : [{ ...r.event, later: r.index > entry.index }]))
    const events = [...changes, ...onAccess.map((b) => b.event)].sort((a, b) => a.index - b.index)
    const judged = judgeAccess(entry, { ref, grant, revoked: revocationAt(revocations, entry.index, ms), bureau: [] })
    if (!judged) return { findings: [], events }
    const found = [...judged.judgments]
    const stale = judgeStale(entry, { ...(await this.#staleFacts(entry)), staleHours: this.deadlines.staleHours, version: this.deadlines.version })
    if (stale) found.push(stale)
    if (judged.copy && !onAccess.some((b) => b.first && b.event.type === 'copy.destroyed')) found.push(undestroyedCopy(entry, ref?.id))
    const findings = found.map(({ code, evidence, message }) => ({ code, evidence, message })).sort(byFindingCode)
    return { findings, events }
  }

  /** The later events that bear on `l` (see BEARING), in log order. */
  async later(l: Loaded): Promise<StatusEvent[]> {
    return (await this.#bearing(l)).map((b) => b.event)
  }

  #bearing(l: Loaded): Promise<Bearing[]> {
    let hit = this.#later.get(l.entry.index)
    if (!hit) {
      hit = this.#findBearing(l.entry)
      this.#later.set(l.entry.index, hit)
    }
    return hit
  }

  async #findBearing(target: Entry): Promise<Bearing[]> {
    const kinds = BEARING.get(target.event.type)
    const { id } = target.event
    const out: Bearing[] = []
    // The indexer skips ids with NUL; such an event has no referrers to find.
    if (!kinds || id.includes('\0')) return out
    for await (const p of this.reader.store.readPostings('ref', id)) {
      const l = await this.reader.get(p.entry)
      const name = kinds.find(([type]) => type === l.entry.event.type)?.[1]
      if (name === undefined || !l.entry.refs.some((r) => r.name === name && r.id === id && r.index === target.index)) continue
      const first = resolvedRef(l.entry, name)
      out.push({ event: statusEvent(l, name, id), first: first?.id === id && first.index === target.index })
    }
    return out
  }

  /** The grant `ref` resolved to, when it is a `grant.issued` with that id. */
  async #grant(index: number | undefined, id: string | undefined): Promise<GrantTerms | undefined> {
    if (index === undefined) return undefined
    const { entry } = await this.reader.get(index)
    return entry.event.type === 'grant.issued' && entry.event.id === id ? grantTerms(entry) : undefined
  }

  /** The catalogue version in force at the access and the data version it saw, as the engine's registry holds them. */
  async #staleFacts(access: Entry): Promise<{ catalogue: Catalogue | undefined; seen: { id: string; ms: number } | undefined }> {
    const resource = str(access.event.data['resource'])
    // The registry keeps no catalogue or update without a resource, and a time outside the
    // posting keys' range finds nothing in the engine either.
    if (!resource || utcIso(access.event.at) === '') return { catalogue: undefined, seen: undefined }
    const ms = instant(access.event.at)
    // In force: of the versions appended before the access, the latest at or before its time (of equal times, the last appended).
    let catalogue: Catalogue | undefined
    const versions = await this.#cataloguesOf(resource)
    for (const c of versions.list) if (c.index < access.index && c.ms <= ms && (!catalogue || c.ms > catalogue.ms || (c.ms === catalogue.ms && c.index > catalogue.index))) catalogue = c
    // Only a catalogue with an update cycle makes the data version matter.
    if (catalogue?.updateCycle === undefined) return { catalogue, seen: undefined }
    const ofResource = (e: Entry): boolean => e.index < access.index && str(e.event.data['resource']) === resource
    const vref = resolvedRef(access, 'version')
    if (vref?.index !== undefined) {
      const v = (await this.reader.get(vref.index)).entry
      if (v.event.type === 'resource.updated' && v.event.id === vref.id && str(v.event.data['resource']) === resource) return { catalogue, seen: { id: v.event.id, ms: instant(v.event.at) } }
    }
    const u = versions.indexed ? await this.#latestUpdate('version', resource, access, ofResource) : await this.#latestUpdate('type', 'resource.updated', access, ofResource)
    return { catalogue, seen: u && { id: u.event.id, ms: instant(u.event.at) } }
  }

  /**
   * The catalogue versions of `resource`, through its `catalogue` posting; `indexed` false when it
   * has none, which is also what a ledger indexed before that posting existed shows: then from
   * every catalogue of the log (read once per query).
   */
  #cataloguesOf(resource: string): Promise<Versions> {
    let hit = this.#catalogues.get(resource)
    if (!hit) {
      hit = (async () => {
        const list: Catalogue[] = []
        for await (const p of this.reader.store.readPostings('catalogue', undefined, timeRange(resource))) {
          const { entry } = await this.reader.get(p.entry)
          if (CATALOGUE_TYPES.includes(entry.event.type) && str(entry.event.data['resource']) === resource) list.push(catalogueOf(entry))
        }
        if (list.length > 0) return { list, indexed: true }
        return { list: (await this.#allCatalogues()).get(resource) ?? [], indexed: false }
      })()
      this.#catalogues.set(resource, hit)
    }
    return hit
  }

  /**
   * The latest `resource.updated` at or before the access's time that `accept`s (of equal times, the
   * last appended), scanning the `posting` under `key` backwards: the resource's `version` posting, or
   * in a ledger indexed before that existed, the `type` posting of `resource.updated`.
   */
  async #latestUpdate(posting: 'version' | 'type', key: string, access: Entry, accept: (e: Entry) => boolean): Promise<Entry | undefined> {
    const { gte, lt } = timeRange(key, undefined, access.event.at)
    for await (const p of this.reader.store.readPostings(posting, undefined, { gte, lt, reverse: true })) {
      const { entry } = await this.reader.get(p.entry)
      if (entry.event.type === 'resource.updated' && accept(entry)) return entry
    }
    return undefined
  }

  /** Every catalogue version with a resource, by resource (the registry of the log: read once per query, through the `type` posting). */
  #allCatalogues(): Promise<Map<string, Catalogue[]>> {
    this.#catalogueList ??= (async () => {
      const out = new Map<string, Catalogue[]>()
      for (const type of CATALOGUE_TYPES) {
        for await (const p of this.reader.store.readPostings('type', undefined, timeRange(type))) {
          const { entry } = await this.reader.get(p.entry)
          const resource = str(entry.event.data['resource'])
          if (entry.event.type !== type || !resource) continue
          const list = out.get(resource) ?? []
          list.push(catalogueOf(entry))
          out.set(resource, list)
        }
      }
      return out
    })()
    return this.#catalogueList
  }
}

function statusEvent(l: Loaded, ref: string, target: string): StatusEvent {
  const { event } = l.entry
  return { id: event.id, type: event.type, index: l.entry.index, hash: toHex(hashLeaf(l.bytes)), at: event.at, ref, target, later: true }
}
