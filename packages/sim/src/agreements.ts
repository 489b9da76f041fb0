/**
 * Complementary exchange (互补交换): two district departments each request the other's
 * conditional data; the bureau brings them together and they sign an agreement naming the
 * flows, method and validity; each provider then grants on the agreement.
 */
import type { Org } from './org.js'
import type { Resource } from './catalogue.js'
import type { Draft } from './draft.js'
import { actorOf, inside, plan, someone, timeOn, type Ctx } from './context.js'
import { grantItems, issueGrant, validity } from './grants.js'
import { pickPurpose, pickResource, submit } from './flows.js'
import { DAY, formatTime } from './time.js'

interface Flow {
  resource: Resource
  from: Org
  to: Org
  items: string[]
  request: Draft
}

function resourcesOf(ctx: Ctx, owner: Org, first: Resource): Resource[] {
  const others = ctx.cat.resources.filter((r) => r.owner === owner && r.sharing === 'conditional' && r !== first)
  return [first, ...ctx.rng.sample(others, ctx.rng.int(0, 2))]
}

/** Plans `agreementsPerMonth` exchange agreements over the run. */
export function agreements(ctx: Ctx): void {
  const { rng, clock, w } = ctx
  const workdays = clock.workingDays()
  const n = rng.poisson((w.agreementsPerMonth * ctx.p.days) / 30)
  for (let i = 0; i < n; i++) {
    const ra = pickResource(ctx, 'district', 'conditional')
    const rb = pickResource(ctx, 'district', 'conditional')
    if (!ra || !rb || ra.owner === rb.owner || ra.sharing !== 'conditional' || rb.sharing !== 'conditional') continue
    const a = ra.owner
    const b = rb.owner
    const s = rng.pick(workdays)
    const flows: Flow[] = []
    const extra: Flow[] = []
    const ask = (r: Resource, from: Org, to: Org, into: Flow[]): void => {
      const t = timeOn(ctx, clock.addWorkingDays(s, rng.int(0, 2)))
      const items = grantItems(ctx, r)
      into.push({ resource: r, from, to, items, request: submit(ctx, t, to, r, items, pickPurpose(ctx), 'exchange') })
    }
    for (const r of resourcesOf(ctx, a, ra)) ask(r, a, b, flows)
    for (const r of resourcesOf(ctx, b, rb)) ask(r, b, a, flows)
    const planted = rng.chance(ctx.a.grantBasis * flows.length) ? rng.pick(['uncovered', 'outlives', 'terminated'] as const) : undefined
    if (planted === 'uncovered') {
      const spare = ctx.cat.resources.find((r) => r.owner === a && r.sharing === 'conditional' && !flows.some((f) => f.resource === r))
      if (spare) ask(spare, a, b, extra)
    }
    const ts = timeOn(ctx, clock.addWorkingDays(s, rng.int(4, 6)))
    if (!inside(ctx, ts)) continue
    const years = rng.weighted(w.agreementYears)
    const until = ts + (years === 'one' ? 365 : years === 'two' ? 730 : 1095) * DAY
    const la = someone(ctx, a, 'leader')
    const lb = someone(ctx, b, 'leader')
    const agr = plan(
      ctx,
      ts,
      'agr',
      'agreement.signed',
      actorOf(la),
      {
        parties: [a.id, b.id],
        signers: [
          { dept: a.id, person: la.id },
          { dept: b.id, person: lb.id },
        ],
        flows: flows.map((f) => ({ resource: f.resource.id, items: f.items, from: f.from.id, to: f.to.id })),
        method: 'platform-api',
        validFrom: formatTime(ts),
        validUntil: formatTime(until),
        docDigest: rng.hex64(),
      },
      { requests: [...flows, ...extra].map((f) => f.request) },
    )
    const terminated = planted === 'terminated' || rng.chance(w.agreementTerminatedRate)
    let tg = ts
    if (terminated) {
      tg = timeOn(ctx, clock.addWorkingDays(clock.dayOf(ts), 1))
      plan(ctx, tg, 'agrt', 'agreement.terminated', actorOf(lb), { reason: '双方职责调整，协议提前终止' }, { agreement: agr })
      if (planted !== 'terminated') continue
    }
    const grant = (f: Flow, labels?: [string, string][], end?: number): void => {
      const t = timeOn(ctx, clock.addWorkingDays(clock.dayOf(tg), rng.int(1, 2)))
      const spec = {
        t,
        resource: f.resource,
        grantee: f.to,
        issuer: someone(ctx, f.from, 'reviewer'),
        request: f.request,
        basis: { agreement: agr },
        purpose: pickPurpose(ctx),
        items: f.items,
        until: end ?? Math.min(validity(ctx, t), until),
      }
      issueGrant(ctx, labels ? { ...spec, labels } : spec)
    }
    if (planted === 'terminated') {
      const f = flows[0]
      if (f) grant(f, [['GRANT_BASIS_INVALID', 'agreement terminated before the grant']])
      continue
    }
    flows.forEach((f, k) =>
      grant(f, planted === 'outlives' && k === 0 ? [['GRANT_OUTLIVES_BASIS', 'grant runs past its agreement']] : undefined, planted === 'outlives' && k === 0 ? until + 30 * DAY : undefined),
    )
    for (const f of extra) grant(f, [['GRANT_BASIS_INVALID', 'agreement does not cover the resource']])
  }
}
