/**
 * The governance plan, drawn up front: registries (orgs, roles, tasks, catalogue) at the start,
 * the steady-state grant pool, daily requests by mechanism, agreements, catalogue changes and
 * withdrawals, role revocations.
 */
import type { Resource } from './catalogue.js'
import type { Draft } from './draft.js'
import { catalogueData } from './catalogue.js'
import { BUREAU, GOVERNMENT, type Org } from './org.js'
import { actorOf, plan, someone, timeOn, type Ctx } from './context.js'
import { issueGrant, grantItems } from './grants.js'
import { pickFlow, pickPurpose, submit, type Direction } from './flows.js'
import { bundling, escalation, platform } from './mechanisms.js'
import { agreements } from './agreements.js'
import { DAY, HOUR, formatTime } from './time.js'

const TASKS = [
  '防汛抗旱专项行动',
  '基层减负一表通',
  '人口普查式入户核查',
  '城市更新攻坚行动',
  '营商环境优化',
  '养老服务体系建设',
  '义务教育入学保障',
  '安全生产专项整治',
  '困难群众精准帮扶',
  '网格化治理提升',
]

/** Registries in the first hour of day 0: orgs, roles, tasks, catalogue. */
export function registries(ctx: Ctx): void {
  const { orgs, cat, clock, rng } = ctx
  const bureauOrg = orgs.byId.get(BUREAU) as Org
  const admin = someone(ctx, bureauOrg, 'caseworker')
  const roleCount = orgs.all.reduce((n, o) => n + o.people.length, 0)
  const total = orgs.all.length + roleCount + ctx.w.tasks + cat.resources.length
  const step = HOUR / Math.max(1, total)
  let t = clock.dayStart(0)
  const next = (): number => (t += step)
  for (const o of orgs.all) {
    const data: Draft['data'] = { org: o.id, name: o.name, level: o.level }
    if (o.parent !== undefined) data['parent'] = o.parent
    plan(ctx, next(), 'org', 'org.registered', actorOf(admin), data)
  }
  for (const o of orgs.all) {
    for (const p of o.people) {
      const data: Draft['data'] = { person: p.id, dept: o.id, role: p.role }
      if (p.rank !== undefined) data['rank'] = p.rank
      ctx.assignments.set(p.id, plan(ctx, next(), 'role', 'role.assigned', { dept: o.id }, data))
    }
  }
  const owners = [orgs.byId.get(GOVERNMENT) as Org, ...orgs.superiors.filter((o) => o.level === 'city')]
  for (let i = 0; i < ctx.w.tasks; i++) {
    const owner = i === 0 ? (owners[0] as Org) : rng.pick(owners)
    const until = Date.parse('2026-12-31T23:59:59+08:00')
    const issuer = owner.kind === 'government' ? someone(ctx, bureauOrg, 'leader') : someone(ctx, owner, 'leader')
    const title = TASKS[i % TASKS.length] as string
    const data = { task: `task-2026-${String(i + 1).padStart(2, '0')}`, title, docNo: `${owner.level === 'city' ? '市' : '区'}政办发〔2026〕${i + 3}号`, owner: owner.id, until: formatTime(until) }
    ctx.tasks.push({ draft: plan(ctx, next(), 'task', 'task.registered', actorOf(issuer), data), owner, until })
  }
  for (const r of cat.resources) plan(ctx, next(), 'cat', 'catalogue.registered', actorOf(someone(ctx, r.owner, 'reviewer')), catalogueData(r))
}

/** The steady-state grant pool (activeGrants × accessScale), issued in the second hour of day 0. */
export function bootstrap(ctx: Ctx): void {
  const { rng, w } = ctx
  const n = Math.max(1, Math.round(w.activeGrants * ctx.p.accessScale))
  const bureau = ctx.orgs.byId.get(BUREAU) as Org
  const step = (50 * 60_000) / n
  for (let i = 0; i < n; i++) {
    const t = ctx.clock.dayStart(0) + HOUR + 10 * 60_000 + Math.floor(i * step)
    const flow = pickFlow(ctx, rng.weighted(w.direction), rng.chance(0.4) ? 'conditional' : 'unconditional')
    if (!flow || flow.resource.sharing === 'none') continue
    const { user, resource: r } = flow
    const purpose = pickPurpose(ctx)
    const items = grantItems(ctx, r)
    const req = submit(ctx, t, user, r, items, purpose, 'platform')
    const until = rng.chance(w.shortLivedGrants) ? t + rng.int(2, 180) * DAY : t + rng.int(60, 365) * DAY
    const base = { resource: r, grantee: user, request: req, purpose, items, until }
    if (r.sharing === 'unconditional') {
      issueGrant(ctx, { ...base, t: t + 1000, issuer: someone(ctx, bureau, 'reviewer'), basis: { catalogue: { latestCatalogue: r.id } } })
    } else {
      const owner = someone(ctx, r.owner, 'reviewer')
      const rep = plan(ctx, t + 1000, 'rep', 'request.replied', actorOf(owner), { decision: 'approved' }, { request: req })
      issueGrant(ctx, { ...base, t: t + 2000, issuer: owner, basis: { reply: rep } })
    }
  }
}

/** New requests on each working day, by mechanism (exchange comes from agreements). */
export function requests(ctx: Ctx): void {
  const { rng, w, clock } = ctx
  const mix = { platform: w.mechanism.platform, escalation: w.mechanism.escalation, bundling: w.mechanism.bundling }
  for (const day of clock.workingDays()) {
    const n = rng.poisson(w.requestsPerWorkingDay * (1 - w.mechanism.exchange))
    for (let i = 0; i < n; i++) {
      const mechanism = rng.weighted(mix)
      const u = rng.float()
      const sharing = mechanism !== 'platform' ? 'conditional' : u < w.requestNone ? 'none' : u < w.requestNone + w.requestConditional ? 'conditional' : 'unconditional'
      const dir: Direction = rng.weighted(w.direction)
      const flow = pickFlow(ctx, dir, sharing, mechanism === 'bundling')
      if (!flow || (mechanism !== 'platform' && flow.resource.sharing !== 'conditional')) continue
      const ask = { t: timeOn(ctx, day, 9, 16), day, user: flow.user, resource: flow.resource, purpose: pickPurpose(ctx) }
      if (mechanism === 'platform') platform(ctx, ask)
      else if (mechanism === 'escalation') escalation(ctx, ask)
      else bundling(ctx, ask)
    }
  }
  agreements(ctx)
}

/** Catalogue updates and regrades (sharing and update cycle never change), and withdrawals. */
export function catalogueChanges(ctx: Ctx): void {
  const { rng, w, clock, cat } = ctx
  const unused = cat.resources.filter((r) => !ctx.used.has(r.id))
  const withdrawn = new Set<Resource>()
  for (let d = 1; d < ctx.p.days; d++) {
    for (let i = rng.poisson(w.withdrawalsPerMonth / 30); i > 0 && unused.length > 0; i--) {
      const r = unused.splice(rng.int(0, unused.length - 1), 1)[0] as Resource
      withdrawn.add(r)
      plan(ctx, timeOn(ctx, d), 'catw', 'catalogue.withdrawn', actorOf(someone(ctx, r.owner, 'reviewer')), { resource: r.id, reason: '业务系统停用' }, { catalogue: { latestCatalogue: r.id } })
    }
  }
  for (let d = 1; d < ctx.p.days; d++) {
    if (!clock.isWorking(d)) continue
    const n = rng.poisson((w.catalogueChangesPerWeek / 5) * (7 / 7))
    for (let i = 0; i < n; i++) {
      const r = rng.pick(cat.resources)
      if (withdrawn.has(r)) continue
      if (rng.chance(w.regradesPerWeek / Math.max(1, w.catalogueChangesPerWeek)) && r.grade !== 'core') r.grade = r.grade === 'general' ? 'important' : 'general'
      else r.added++
      plan(ctx, timeOn(ctx, d), 'catu', 'catalogue.updated', actorOf(someone(ctx, r.owner, 'reviewer')), catalogueData(r), { previous: { latestCatalogue: r.id } })
    }
  }
}

/** Staff leaving (reserved accounts, which never act) and the lapsing leader's revocation. */
export function roleChanges(ctx: Ctx): void {
  const { rng, w, orgs } = ctx
  const reserved = orgs.all.flatMap((o) => o.people.filter((p) => p.reserved))
  for (let d = 1; d < ctx.p.days; d++) {
    for (let i = rng.poisson(w.roleRevocationsPerMonth / 30); i > 0 && reserved.length > 0; i--) {
      const p = reserved.splice(rng.int(0, reserved.length - 1), 1)[0]
      const a = p && ctx.assignments.get(p.id)
      if (p && a) plan(ctx, timeOn(ctx, d), 'rrev', 'role.revoked', { dept: p.dept }, { reason: '调离' }, { assignment: a })
    }
  }
  const leader = orgs.lapsingLeader
  const a = ctx.assignments.get(leader.id)
  if (ctx.lapseAt !== undefined && a) plan(ctx, ctx.lapseAt, 'rrev', 'role.revoked', { dept: GOVERNMENT }, { reason: '职务调整' }, { assignment: a })
}
