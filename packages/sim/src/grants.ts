/**
 * Grants: issuing (validity, storage, call-rate weight), revocation, and the planted
 * basis anomalies' labels.
 */
import type { Org, Person } from './org.js'
import type { Resource } from './catalogue.js'
import { label, type Draft, type RefTarget } from './draft.js'
import { actorOf, inside, plan, timeOn, type Ctx, type GrantPlan, type Purpose } from './context.js'
import { DAY, HOUR, formatTime } from './time.js'

/** What a grant is issued on. */
export interface GrantSpec {
  t: number
  resource: Resource
  grantee: Org
  issuer: Person
  request: Draft
  /** Basis refs (none: planted GRANT_NO_BASIS; two: GRANT_MANY_BASES). */
  basis: Record<string, RefTarget>
  purpose: Purpose
  items: string[]
  /** validUntil, when the basis bounds it. */
  until?: number
  /** Ground-truth labels for this grant. */
  labels?: [code: string, note: string][]
}

/** Items of a grant: 1 to 8 of the resource's, fewer than all when possible. */
export function grantItems(ctx: Ctx, r: Resource): string[] {
  const names = r.items.map((i) => i.name)
  const max = Math.min(8, names.length > 1 ? names.length - 1 : 1)
  return ctx.rng.sample(names, ctx.rng.int(1, max))
}

/** Validity of a new grant: a year, or 1–6 months for the short-lived share. */
export function validity(ctx: Ctx, t: number): number {
  return ctx.rng.chance(ctx.w.shortLivedGrants) ? t + ctx.rng.int(30, 180) * DAY : t + 365 * DAY
}

/** Call-rate weight: Pareto with the tail that gives the top 5% of grants `topGrantShare` of calls. */
export function callWeight(ctx: Ctx): number {
  if (ctx.rng.chance(ctx.w.dormantGrants)) return 0
  const alpha = 1 / (1 - Math.log(ctx.w.topGrantShare) / Math.log(0.05))
  return Math.min(1e5, Math.pow(1 - ctx.rng.float(), -1 / alpha))
}

/** Issues a grant if `spec.t` is inside the run; returns its plan. */
export function issueGrant(ctx: Ctx, spec: GrantSpec): GrantPlan | undefined {
  if (!inside(ctx, spec.t)) return undefined
  const until = spec.until ?? validity(ctx, spec.t)
  const storage = ctx.rng.weighted(ctx.w.grantStorage)
  const data = {
    grantee: spec.grantee.id,
    resource: spec.resource.id,
    items: spec.items,
    purpose: spec.purpose.code,
    validFrom: formatTime(spec.t),
    validUntil: formatTime(until),
    storage,
  }
  const d = plan(ctx, spec.t, 'grant', 'grant.issued', actorOf(spec.issuer), data, { request: spec.request, ...spec.basis })
  for (const [code, note] of spec.labels ?? []) label(d, code, note)
  ctx.used.add(spec.resource.id)
  const g: GrantPlan = {
    draft: d,
    resource: spec.resource,
    grantee: spec.grantee,
    items: spec.items,
    purpose: spec.purpose,
    from: spec.t,
    until: Math.floor(until / 1000) * 1000,
    storage,
    weight: callWeight(ctx),
    sloppy: storage === 'copy' && ctx.rng.chance(ctx.a.copyNeverDestroyed),
  }
  maybeRevoke(ctx, g, spec.issuer)
  ctx.grants.push(g)
  return g
}

/** Revokes the grant during the run with the monthly revocation rate. */
function maybeRevoke(ctx: Ctx, g: GrantPlan, issuer: Person): void {
  const firstDay = ctx.clock.dayOf(g.from) + 1
  const lastDay = Math.min(ctx.lastDay - 1, ctx.clock.dayOf(g.until) - 1)
  if (lastDay < firstDay) return
  const p = 1 - Math.pow(1 - ctx.w.revocationsPerMonth, (lastDay - firstDay + 1) / 30)
  if (!ctx.rng.chance(p)) return
  const t = timeOn(ctx, ctx.rng.int(firstDay, lastDay))
  if (t >= g.until - HOUR) return
  g.revokedAt = t
  plan(ctx, t, 'grev', 'grant.revoked', actorOf(issuer), { reason: ctx.rng.pick(['purpose complete', 'grantee reorganised', 'provider review', 'security review']) }, { grant: g.draft })
}
