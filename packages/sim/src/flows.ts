/**
 * Who asks whom for what: flow direction (horizontal, up, down) picks the resource's owner class
 * and the requesting unit; sharing type picks the resource, by popularity.
 */
import type { Org } from './org.js'
import type { Resource, Sharing } from './catalogue.js'
import { weightedIndex } from './catalogue.js'
import { actorOf, plan, someone, PURPOSES, type Ctx, type Purpose } from './context.js'
import type { Draft } from './draft.js'

/** Flow direction of the seed's second factor. */
export type Direction = 'horizontal' | 'up' | 'down'

const pools = new WeakMap<Ctx, Map<string, { list: Resource[]; weights: number[] }>>()

/** A resource of owner class `cls` and sharing `sharing` (falls back to any sharing). */
export function pickResource(ctx: Ctx, cls: Resource['cls'], sharing: Sharing): Resource | undefined {
  let map = pools.get(ctx)
  if (!map) {
    map = new Map()
    for (const r of ctx.cat.resources) {
      for (const key of [`${r.cls}:${r.sharing}`, `${r.cls}:*`]) {
        const pool = map.get(key) ?? { list: [], weights: [] }
        pool.list.push(r)
        pool.weights.push(r.weight)
        map.set(key, pool)
      }
    }
    pools.set(ctx, map)
  }
  const pool = map.get(`${cls}:${sharing}`) ?? map.get(`${cls}:*`)
  return pool ? pool.list[weightedIndex(pool.weights, ctx.rng)] : undefined
}

/** A requesting unit and a resource for a flow in direction `dir`. */
export function pickFlow(ctx: Ctx, dir: Direction, sharing: Sharing, grassroots = false): { user: Org; resource: Resource } | undefined {
  const { rng, orgs } = ctx
  let cls: Resource['cls']
  let users: Org[]
  if (grassroots) {
    cls = rng.chance(0.5) ? 'superior' : 'district'
    users = rng.chance(0.8) ? (rng.chance(0.5) ? orgs.streets : orgs.communities) : orgs.districtDepts
  } else if (dir === 'horizontal') {
    cls = 'district'
    users = orgs.districtDepts
  } else if (dir === 'up') {
    const fromStreet = rng.chance(0.5)
    cls = fromStreet ? 'street' : 'district'
    users = fromStreet ? orgs.districtDepts : orgs.superiors.filter((o) => o.level === 'city')
  } else {
    const fromAbove = rng.chance(0.5)
    cls = fromAbove ? 'superior' : 'district'
    users = fromAbove ? (rng.chance(0.7) ? orgs.districtDepts : orgs.streets) : rng.chance(0.5) ? orgs.streets : orgs.communities
  }
  const resource = pickResource(ctx, cls, sharing)
  if (!resource || users.length === 0) return undefined
  const candidates = users.filter((u) => u.id !== resource.owner.id)
  if (candidates.length === 0) return undefined
  return { user: rng.pick(candidates), resource }
}

/** A purpose for a new request. */
export function pickPurpose(ctx: Ctx): Purpose {
  return ctx.rng.pick(PURPOSES)
}

/** Schedules a request.submitted by a caseworker of `user`. */
export function submit(ctx: Ctx, t: number, user: Org, r: Resource, items: string[], purpose: Purpose, mechanism: string): Draft {
  ctx.used.add(r.id)
  const data = { resource: r.id, items, purpose: purpose.code, legalBasis: purpose.basis, mechanism, scenario: purpose.scenario }
  return plan(ctx, t, 'req', 'request.submitted', actorOf(someone(ctx, user, 'caseworker')), data, { catalogue: { latestCatalogue: r.id } })
}

/** Whether a request on day `day` with a `days`-working-day deadline may be planted late or
 * unanswered: the last simulated day must lie past the deadline day plus one working day, so
 * the label holds under any reading of "within n working days". */
export function mayBeLate(ctx: Ctx, day: number, days: number): boolean {
  return ctx.lastDay > ctx.clock.addWorkingDays(day, days + 1)
}

/** Working days to a conditional reply: lognormal; late (>= 12) only where allowed, never 9–11. */
export function replyDays(ctx: Ctx, reluctant: boolean, allowLate: boolean): number {
  const { rng, w } = ctx
  const m = reluctant ? 2 : 1
  let l = rng.lognormal(w.replyLatency.median * m, w.replyLatency.p90 * m)
  if (!reluctant && l > 8.5 && rng.chance(0.8)) l = rng.int(1, 8)
  let k = Math.max(0, Math.round(l))
  if (k >= 9 && k <= 11) k = k === 9 ? 8 : 12
  if (k >= 12 && !allowLate) k = rng.int(1, 8)
  return k
}
