/**
 * Slowly changing reference state rebuilt from the log: org levels, role assignments,
 * catalogue versions, tasks and data versions. Memory grows with these registries only, never
 * with accesses. Refs count only when resolved (the ledger found the id earlier in the log)
 * and pointing at an entry of the expected type.
 */
import type { Entry, EntryRef, JsonValue } from '@liuhen/core'
import { instant, obj, str, strList } from './util.js'

/** One version of a catalogue entry, as in force from `ms`. */
export interface CatalogueVersion {
  id: string
  index: number
  ms: number
  resource: string
  owner: string
  sharing: string
  grade: string
  updateCycle: string | undefined
  /** Item name → whether it carries personal information. */
  items: Map<string, boolean>
  withdrawnMs?: number
}

interface Assignment {
  person: string
  role: string
  from: number
  until: number
  revoked: number
}

/** The refs of `entry` named `name`. */
export function refsNamed(entry: Entry, name: string): EntryRef[] {
  return entry.refs.filter((r) => r.name === name)
}

/** The first ref named `name` if it resolved, else undefined. */
export function resolvedRef(entry: Entry, name: string): EntryRef | undefined {
  const ref = entry.refs.find((r) => r.name === name)
  return ref?.index === undefined ? undefined : ref
}

/** Looks a resolved ref up in `map`, checking the indexes agree (so a wrong-type ref misses). */
export function follow<T extends { index: number }>(map: Map<string, T>, ref: EntryRef | undefined): T | undefined {
  if (ref?.index === undefined) return undefined
  const hit = map.get(ref.id)
  return hit?.index === ref.index ? hit : undefined
}

/** Registries of the log so far. */
export class Registry {
  readonly levels = new Map<string, string>()
  /** The dept that registers orgs: the data bureau, unless configured. */
  bureau: string | undefined
  readonly catalogues = new Map<string, CatalogueVersion>()
  readonly #byResource = new Map<string, CatalogueVersion[]>()
  readonly #assignments = new Map<string, Assignment & { index: number }>()
  readonly #byPerson = new Map<string, Assignment[]>()
  readonly tasks = new Map<string, { index: number; until: number; owner: string }>()
  readonly updates = new Map<string, { index: number; resource: string; ms: number }>()
  readonly #updatesOf = new Map<string, { id: string; ms: number }[]>()

  /** Takes in a registry event; returns false for other types. */
  add(entry: Entry): boolean {
    const { event } = entry
    const data = event.data
    const ms = instant(event.at)
    switch (event.type) {
      case 'org.registered': {
        const org = str(data['org'])
        const level = str(data['level'])
        if (org && level) this.levels.set(org, level)
        this.bureau ??= event.actor.dept
        return true
      }
      case 'role.assigned': {
        const person = str(data['person'])
        if (!person) return true
        const a = { person, role: str(data['role']) ?? '', from: ms, until: instant(data['until'], true), revoked: Number.NaN, index: entry.index }
        this.#assignments.set(event.id, a)
        const list = this.#byPerson.get(person) ?? []
        list.push(a)
        this.#byPerson.set(person, list)
        return true
      }
      case 'role.revoked': {
        const a = follow(this.#assignments, resolvedRef(entry, 'assignment'))
        if (a && !(a.revoked <= ms)) a.revoked = ms
        return true
      }
      case 'task.registered':
        this.tasks.set(event.id, { index: entry.index, until: instant(data['until'], true), owner: str(data['owner']) ?? event.actor.dept })
        return true
      case 'catalogue.registered':
      case 'catalogue.updated':
        this.#addCatalogue(entry, ms)
        return true
      case 'catalogue.withdrawn': {
        const c = follow(this.catalogues, resolvedRef(entry, 'catalogue'))
        if (c && (c.withdrawnMs === undefined || ms < c.withdrawnMs)) c.withdrawnMs = ms
        return true
      }
      case 'resource.updated': {
        const resource = str(data['resource'])
        if (!resource) return true
        this.updates.set(event.id, { index: entry.index, resource, ms })
        const list = this.#updatesOf.get(resource) ?? []
        insertByTime(list, { id: event.id, ms })
        this.#updatesOf.set(resource, list)
        return true
      }
    }
    return false
  }

  #addCatalogue(entry: Entry, ms: number): void {
    const data = entry.event.data
    const resource = str(data['resource'])
    if (!resource) return
    const items = new Map<string, boolean>()
    for (const it of Array.isArray(data['items']) ? data['items'] : []) {
      const o = obj(it)
      const name = str(o?.['name'])
      if (name) items.set(name, o?.['pi'] === true || o?.['sensitive'] === true)
    }
    const v: CatalogueVersion = {
      id: entry.event.id,
      index: entry.index,
      ms,
      resource,
      owner: str(data['owner']) ?? entry.event.actor.dept,
      sharing: str(data['sharing']) ?? 'unknown',
      grade: str(data['grade']) ?? 'unknown',
      updateCycle: str(data['updateCycle']),
      items,
    }
    this.catalogues.set(v.id, v)
    const list = this.#byResource.get(resource) ?? []
    insertByTime(list, v)
    this.#byResource.set(resource, list)
  }

  /** The catalogue version of `resource` in force at `ms` (latest with business time ≤ ms). */
  catalogueAt(resource: string | undefined, ms: number): CatalogueVersion | undefined {
    return latestAt(resource === undefined ? undefined : this.#byResource.get(resource), ms)
  }

  /**
   * The `resource.updated` of `resource` an access at `ms` saw: among those appended so far, the
   * latest whose business time is at or before `ms` (the last appended of equal times).
   */
  updateAt(resource: string, ms: number): { id: string; ms: number } | undefined {
    return latestAt(this.#updatesOf.get(resource), ms)
  }

  /** Whether `person` held an unrevoked, unexpired `leader` role at `ms`. */
  isLeader(person: string | undefined, ms: number): boolean {
    if (person === undefined) return false
    return (this.#byPerson.get(person) ?? []).some((a) => a.role === 'leader' && a.from <= ms && !(a.until < ms) && !(a.revoked <= ms))
  }

  /** Org level rank (province 0 … community 4), or undefined when unregistered. */
  rank(dept: string | undefined): number | undefined {
    const level = dept === undefined ? undefined : this.levels.get(dept)
    const r = level === undefined ? -1 : LEVELS.indexOf(level)
    return r < 0 ? undefined : r
  }
}

/** Inserts `item` after every element of `list` with a time ≤ its own (equal times keep append order). */
function insertByTime<T extends { ms: number }>(list: T[], item: T): void {
  let i = list.length
  while (i > 0 && list[i - 1]!.ms > item.ms) i--
  list.splice(i, 0, item)
}

/** The last element of a time-sorted `list` whose time is ≤ `ms`. */
function latestAt<T extends { ms: number }>(list: readonly T[] | undefined, ms: number): T | undefined {
  if (!list) return undefined
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (list[mid]!.ms <= ms) lo = mid + 1
    else hi = mid
  }
  return lo > 0 ? list[lo - 1] : undefined
}

/** Org levels from the top down. */
export const LEVELS = ['province', 'city', 'district', 'street', 'community']

/** Reads `signers` of an agreement: strings (persons) or `{dept, person}` objects. */
export function signers(v: JsonValue | undefined, fallbackDepts: string[]): { dept: string; person?: string }[] {
  const out: { dept: string; person?: string }[] = []
  for (const s of Array.isArray(v) ? v : []) {
    const o = obj(s)
    const dept = str(o?.['dept'])
    const person = str(o?.['person'])
    if (dept) out.push(person ? { dept, person } : { dept })
  }
  if (out.length === 0) for (const dept of fallbackDepts) out.push({ dept })
  return out
}

/** `strList` re-exported for the engine's convenience. */
export { strList }
