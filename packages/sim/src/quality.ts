/**
 * Data-quality feedback (quality.raised by the accessing unit, mostly streets and communities;
 * quality.resolved by the owner) and incidents with their accountability determinations.
 */
import { draft, label, type Draft } from './draft.js'
import { someone, timeOn, type Ctx } from './context.js'
import type { AccessRec } from './access.js'
import { BUREAU, type Org } from './org.js'
import { mayBeLate } from './flows.js'
import { MINUTE, formatTime } from './time.js'

/** Working days to resolve: on time (<= 8) or late (>= 12), never the ambiguous 9–11. */
function resolveDays(ctx: Ctx, allowLate: boolean): number {
  let k = Math.max(0, Math.round(ctx.rng.lognormal(ctx.w.qualityResolution.median, ctx.w.qualityResolution.p90)))
  if (k >= 9 && k <= 11) k = k === 9 ? 8 : 12
  if (k >= 12 && !allowLate) k = ctx.rng.int(1, 8)
  return k
}

/** Quality reports raised on working day d against that day's accesses. */
export function qualityDay(ctx: Ctx, d: number, accesses: readonly AccessRec[], out: Draft[]): void {
  const { rng, clock, w } = ctx
  if (!clock.isWorking(d)) return
  const cutoff = clock.dayStart(d) + 17 * 60 * MINUTE
  const ok = accesses.filter((r) => r.digests.length > 0 && r.d.t < cutoff && r.d.data['outcome'] === 'success')
  const grassroots = ok.filter((r) => r.dept.startsWith('street.') || r.dept.startsWith('community.'))
  const n = Math.min(ok.length, rng.poisson(w.qualityPerWorkingDay))
  for (let i = 0; i < n; i++) {
    const src = grassroots.length > 0 && rng.chance(w.qualityFromGrassroots) ? grassroots : ok
    const acc = rng.pick(src)
    const res = ctx.cat.byId.get(acc.resource)
    if (!res) continue
    const t = acc.d.t + rng.int(5, 60) * MINUTE
    const data = { resource: acc.resource, recordDigest: rng.pick(acc.digests), item: rng.pick(acc.items), issue: rng.weighted(w.qualityIssue) }
    const raised = draft(t, 'qr', 'quality.raised', { dept: acc.dept, person: acc.person, role: 'caseworker' }, data, { access: acc.d })
    out.push(raised)
    const allowLate = mayBeLate(ctx, d, 10)
    if (allowLate && rng.chance(w.qualityOpen)) {
      label(raised, 'QUALITY_OVERDUE', 'never resolved')
      continue
    }
    const k = resolveDays(ctx, allowLate)
    const rt = k === 0 ? t + rng.int(30, 120) * MINUTE : timeOn(ctx, clock.addWorkingDays(d, k))
    if (k >= 12) label(raised, 'QUALITY_OVERDUE', `resolved after ${k} working days`)
    const resolution = rng.chance(w.qualityRejected) ? 'rejected' : 'fixed'
    out.push(
      draft(
        rt,
        'qres',
        'quality.resolved',
        { dept: res.owner.id, person: someone(ctx, res.owner, 'reviewer').id, role: 'reviewer' },
        { resolution, note: resolution === 'fixed' ? '已更正源数据' : '经核实数据无误' },
        { report: raised },
      ),
    )
  }
}

/** Incidents reported on day d about earlier accesses (planted ones first). */
export function incidentDay(ctx: Ctx, d: number, recent: readonly AccessRec[], out: Draft[]): void {
  const { rng, clock, w } = ctx
  if (recent.length === 0) return
  const minor = rng.poisson(w.minorIncidentsPerMonth / 30)
  const major = rng.poisson(w.significantIncidentsPerYear / 365)
  const bureau = ctx.orgs.byId.get(BUREAU) as Org
  for (let i = 0; i < minor + major; i++) {
    const significant = i >= minor
    const planted = recent.filter((r) => r.planted)
    const picks = rng.sample(planted.length > 0 && rng.chance(0.8) ? planted : recent, rng.int(1, 3))
    const first = picks[0]
    if (!first) continue
    const t = timeOn(ctx, d)
    const resources = [...new Set(picks.map((p) => p.resource))]
    const data = {
      kind: significant ? rng.pick(['leak', 'tamper'] as const) : rng.pick(['misuse', 'loss'] as const),
      severity: significant ? 'major' : 'minor',
      resources,
      discoveredAt: formatTime(t - rng.int(1, 6) * 60 * MINUTE),
    }
    const inc = draft(t, 'inc', 'incident.reported', { dept: BUREAU, person: someone(ctx, bureau, 'auditor').id, role: 'auditor' }, data, { accesses: picks.map((p) => p.d) })
    out.push(inc)
    const dt = timeOn(ctx, clock.addWorkingDays(d, rng.int(2, 5)))
    const parties = [
      { dept: first.dept, person: first.person, rule: 'R2' },
      { dept: ctx.cat.byId.get(first.resource)?.owner.id ?? BUREAU, rule: 'R1' },
    ]
    out.push(draft(dt, 'acct', 'accountability.determined', { dept: BUREAU, person: someone(ctx, bureau, 'leader').id, role: 'leader' }, { parties }, { incident: inc }))
  }
}
