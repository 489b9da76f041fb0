/**
 * The mechanism mix (auditor question 9): grants, accesses and rows by sharing mechanism, by
 * flow direction and by sensitivity, from one streaming pass. The mechanism is read from the
 * grant's basis, and the direction from registered org levels (owner vs grantee), never from
 * what a request declares.
 */
import type { Entry } from '@liuhen/core'
import { basisRefs } from './internal/basis.js'
import { follow, Registry, resolvedRef } from './internal/registry.js'
import { dict, instant } from './internal/util.js'
import { grantTerms } from './judge.js'
import { AUDIT_TRAIL_TYPE } from './types.js'

/** Mechanism, from the grant's basis: catalogue → platform-auto, reply → platform-reply, agreement → exchange, endorsement → escalation, binding → bundling. */
export type Mechanism = 'platform-auto' | 'platform-reply' | 'exchange' | 'escalation' | 'bundling' | 'unknown'
/** Flow direction of data from owner to grantee: same level → peer; to a lower level → down; to a higher level → up. */
export type Direction = 'peer' | 'up' | 'down' | 'unknown'

/** Counts of one bucket. */
export interface Tally {
  grants: number
  accesses: number
  /** Sum of the accesses' `rows`. */
  rows: number
}

/** One cell of the full cross-tabulation. */
export interface MixCell extends Tally {
  mechanism: Mechanism
  direction: Direction
  grade: string
  pi: boolean
}

/** The mechanism mix. `bySensitivity` keys are `grade` or `grade+pi`. */
export interface Stats {
  cells: MixCell[]
  byMechanism: Partial<Record<Mechanism, Tally>>
  byDirection: Partial<Record<Direction, Tally>>
  bySensitivity: Record<string, Tally>
}

const MECHANISM: ReadonlyMap<string, Mechanism> = new Map([
  ['catalogue', 'platform-auto'],
  ['reply', 'platform-reply'],
  ['agreement', 'exchange'],
  ['endorsement', 'escalation'],
  ['binding', 'bundling'],
])

interface Bucket {
  index: number
  key: string
}

/**
 * Streaming statistics; memory grows with grants and registries only.
 * @example const s = new StatsEngine(); for (const e of entries) s.add(e); s.result().byMechanism
 */
export class StatsEngine {
  readonly #registry = new Registry()
  readonly #grants = new Map<string, Bucket>()
  readonly #cells = new Map<string, MixCell>()

  /** Takes in the next entry of the log (index order). */
  add(entry: Entry): void {
    const { event } = entry
    if (event.type === AUDIT_TRAIL_TYPE) return
    if (this.#registry.add(entry)) return
    if (event.type === 'grant.issued') {
      const cell = this.#cell(this.#classify(entry))
      cell.grants++
      this.#grants.set(event.id, { index: entry.index, key: cellKey(cell) })
    } else if (event.type === 'access.performed') {
      if (event.data['outcome'] === 'denied') return
      const g = follow(this.#grants, resolvedRef(entry, 'grant'))
      const cell = g ? this.#cells.get(g.key)! : this.#cell({ mechanism: 'unknown', direction: 'unknown', grade: 'unknown', pi: false })
      cell.accesses++
      const rows = event.data['rows']
      if (typeof rows === 'number' && Number.isFinite(rows) && rows > 0) cell.rows += rows
    }
  }

  #classify(entry: Entry): Omit<MixCell, keyof Tally> {
    // What the grant allows is read as the findings and every access status read it (judge.ts).
    const g = grantTerms(entry)
    const bases = basisRefs(entry)
    const mechanism = bases.length === 1 ? (MECHANISM.get(bases[0]!.name) ?? 'unknown') : 'unknown'
    const cat = this.#registry.catalogueAt(g.resource, instant(entry.event.at))
    const owner = this.#registry.rank(cat?.owner ?? entry.event.actor.dept)
    const user = this.#registry.rank(g.grantee)
    const direction: Direction = owner === undefined || user === undefined ? 'unknown' : owner === user ? 'peer' : owner < user ? 'down' : 'up'
    const pi = cat ? [...g.items].some((i) => cat.items.get(i) === true) : false
    return { mechanism, direction, grade: cat?.grade ?? 'unknown', pi }
  }

  #cell(c: Omit<MixCell, keyof Tally>): MixCell {
    const key = cellKey(c)
    let cell = this.#cells.get(key)
    if (!cell) this.#cells.set(key, (cell = { ...c, grants: 0, accesses: 0, rows: 0 }))
    return cell
  }

  /** The mix so far; cells sorted by mechanism, direction, grade, pi. The `by*` records have no prototype. */
  result(): Stats {
    const cells = [...this.#cells.values()].map((c) => ({ ...c })).sort((a, b) => cellKey(a).localeCompare(cellKey(b)))
    const out: Stats = { cells, byMechanism: dict(), byDirection: dict(), bySensitivity: dict() }
    for (const c of cells) {
      addTo(out.byMechanism, c.mechanism, c)
      addTo(out.byDirection, c.direction, c)
      addTo(out.bySensitivity, c.pi ? `${c.grade}+pi` : c.grade, c)
    }
    return out
  }
}

const cellKey = (c: Omit<MixCell, keyof Tally>): string => `${c.mechanism}/${c.direction}/${c.grade}/${c.pi ? 'pi' : '-'}`

// `map` has no prototype (see result()): a grade read from an event is only ever its own key.
function addTo<K extends string>(map: Partial<Record<K, Tally>>, key: K, c: Tally): void {
  const t = (map[key] ??= { grants: 0, accesses: 0, rows: 0 })
  t.grants += c.grants
  t.accesses += c.accesses
  t.rows += c.rows
}
