/**
 * The request chains of the four mechanisms (platform, escalation, bundling; exchange is in
 * agreements.ts): request → reply / escalation / binding → grant, with planted deadline and
 * basis anomalies labelled on the request or the grant.
 */
import type { Org } from './org.js'
import type { Resource } from './catalogue.js'
import { label, type Draft } from './draft.js'
import { actorOf, inside, plan, someone, timeOn, type Ctx, type Purpose } from './context.js'
import { grantItems, issueGrant, validity } from './grants.js'
import { mayBeLate, replyDays, submit } from './flows.js'
import { DAY, MINUTE, formatTime } from './time.js'
import { BUREAU } from './org.js'

/** One new request: who, what, when. */
export interface Ask {
  t: number
  day: number
  user: Org
  resource: Resource
  purpose: Purpose
}

const REFUSALS = ['超出申请部门法定职责范围', '数据质量尚未达到共享要求', '涉及敏感个人信息，需补充安全措施', '申请用途与共享条件不符']

function reply(ctx: Ctx, t: number, r: Resource, req: Draft, decision: 'approved' | 'refused', conditions?: string): Draft {
  const data: Draft['data'] = { decision }
  if (decision === 'refused') data['reason'] = r.sharing === 'none' ? `不予共享：${r.id}` : ctx.rng.pick(REFUSALS)
  if (conditions !== undefined) data['conditions'] = conditions
  return plan(ctx, t, 'rep', 'request.replied', actorOf(someone(ctx, r.owner, 'reviewer')), data, { request: req })
}

/** Whether this grant gets a planted basis anomaly. */
function plantBasis(ctx: Ctx): boolean {
  return ctx.rng.chance(ctx.a.grantBasis)
}

/** The platform path (80%): auto-grant for unconditional data, reply then grant otherwise. */
export function platform(ctx: Ctx, ask: Ask): void {
  const { rng, a, w, clock } = ctx
  const { t, day, user, resource: r, purpose } = ask
  const items = grantItems(ctx, r)
  const req = submit(ctx, t, user, r, items, purpose, 'platform')
  const bureau = someone(ctx, ctx.orgs.byId.get(BUREAU) as Org, 'reviewer')
  const owner = someone(ctx, r.owner, 'reviewer')
  const base = { resource: r, grantee: user, request: req, purpose, items }
  if (r.sharing === 'none') {
    const when = t + rng.int(10, 120) * MINUTE
    const pNotShared = a.notSharedGrantsPerYear / Math.max(1e-9, 250 * w.requestsPerWorkingDay * w.requestNone)
    if (rng.chance(pNotShared)) {
      const rep = reply(ctx, when, r, req, 'approved')
      issueGrant(ctx, { ...base, t: when + rng.int(5, 60) * MINUTE, issuer: owner, basis: { reply: rep }, labels: [['GRANT_NOT_SHARED_DATA', 'not-shared resource granted on an approved reply']] })
    } else {
      reply(ctx, when, r, req, 'refused')
      if (rng.chance(w.disputeRate)) escalate(ctx, { ...ask, t: when }, req, items, 'dispute')
    }
    return
  }
  const allowLate = mayBeLate(ctx, day, r.sharing === 'unconditional' ? 1 : 10)
  if (allowLate && rng.chance(a.unanswered)) {
    label(req, 'REQUEST_UNANSWERED', 'never answered')
    return
  }
  if (r.sharing === 'unconditional') {
    let when = t + rng.int(1, 30) * MINUTE
    if (allowLate && rng.chance(a.unconditionalLate)) {
      when = timeOn(ctx, clock.addWorkingDays(day, rng.int(3, 6)))
      label(req, inside(ctx, when) ? 'REPLY_LATE' : 'REQUEST_UNANSWERED', 'auto-grant delayed past 1 working day')
    }
    if (plantBasis(ctx)) {
      if (rng.chance(0.5)) {
        const rep = reply(ctx, when - MINUTE, r, req, 'approved')
        issueGrant(ctx, { ...base, t: when, issuer: bureau, basis: { reply: rep, catalogue: { latestCatalogue: r.id } }, labels: [['GRANT_MANY_BASES', 'reply and catalogue']] })
      } else issueGrant(ctx, { ...base, t: when, issuer: bureau, basis: {}, labels: [['GRANT_NO_BASIS', 'auto-grant citing no basis']] })
      return
    }
    issueGrant(ctx, { ...base, t: when, issuer: bureau, basis: { catalogue: { latestCatalogue: r.id } } })
    return
  }
  const planted = plantBasis(ctx)
  const variant = planted ? rng.pick(['auto', 'refused', 'none'] as const) : undefined
  if (variant === 'auto') {
    issueGrant(ctx, { ...base, t: t + rng.int(1, 30) * MINUTE, issuer: bureau, basis: { catalogue: { latestCatalogue: r.id } }, labels: [['GRANT_BASIS_INVALID', 'auto-grant on conditional data']] })
    return
  }
  const k = replyDays(ctx, ctx.reluctant.has(r.owner.id), allowLate)
  const when = k === 0 ? t + rng.int(10, 120) * MINUTE : timeOn(ctx, clock.addWorkingDays(day, k))
  if (k >= 12) label(req, inside(ctx, when) ? 'REPLY_LATE' : 'REQUEST_UNANSWERED', `reply after ${k} working days`)
  if (!inside(ctx, when)) return
  const outcome = variant === 'refused' ? 'refused' : rng.weighted(w.replyOutcome)
  const rep = reply(ctx, when, r, req, outcome === 'refused' ? 'refused' : 'approved', outcome === 'approvedWithConditions' ? '仅限申请用途，结果不得留存' : undefined)
  const f = Math.max(0, Math.round(rng.lognormal(w.fulfilmentLatency.median, w.fulfilmentLatency.p90)))
  const gt = timeOn(ctx, clock.addWorkingDays(clock.dayOf(when), f), 9, 17, when)
  if (variant === 'refused') issueGrant(ctx, { ...base, t: gt, issuer: owner, basis: { reply: rep }, labels: [['GRANT_BASIS_INVALID', 'grant on a refused reply']] })
  else if (variant === 'none') issueGrant(ctx, { ...base, t: gt, issuer: owner, basis: {}, labels: [['GRANT_NO_BASIS', 'grant citing no basis']] })
  else if (outcome !== 'refused') issueGrant(ctx, { ...base, t: gt, issuer: owner, basis: { reply: rep } })
  else if (rng.chance(w.disputeRate)) escalate(ctx, { ...ask, t: when, day: clock.dayOf(when) }, req, items, 'dispute')
}

/**
 * Escalated coordination (提级协调): the requesting unit's leader asks a district leader, who
 * endorses or declines. As a mechanism (not a dispute) the grant or refusal answers the request
 * within 6 working days. Disputes over not-shared data are always declined.
 */
export function escalate(ctx: Ctx, ask: Ask, req: Draft, items: string[], kind: 'mechanism' | 'dispute'): void {
  const { rng, clock, w } = ctx
  const { user, resource: r, purpose } = ask
  const d1 = clock.addWorkingDays(ask.day, rng.int(0, 1))
  const t1 = timeOn(ctx, d1, 9, 17, ask.t)
  const d2 = clock.addWorkingDays(clock.dayOf(t1), rng.int(1, 3))
  const planted = r.sharing !== 'none' && rng.chance(ctx.a.grantBasis)
  const t2 = timeOn(ctx, d2)
  const lapsed = planted && ctx.lapseAt !== undefined && t2 > ctx.lapseAt + DAY && rng.chance(0.5)
  const leader = lapsed ? ctx.orgs.lapsingLeader : rng.pick(ctx.orgs.endorsers)
  const esc = plan(
    ctx,
    t1,
    'esc',
    'escalation.requested',
    actorOf(someone(ctx, user, 'leader')),
    { leader: leader.id, summary: `${user.name}申请共享${r.name}，提供方未同意，提请协调` },
    { request: req },
  )
  const endorsed = r.sharing !== 'none' && (lapsed || rng.chance(kind === 'dispute' ? w.disputeEndorsedRate : w.endorsedRate))
  const declinedButGranted = planted && !lapsed && !endorsed
  const form = rng.weighted(w.endorsementForm)
  const data: Draft['data'] = { decision: endorsed ? 'endorsed' : 'declined', form }
  if (form !== 'verbal' || rng.chance(0.5)) data['memoDigest'] = rng.hex64()
  if (form === 'verbal') data['witness'] = someone(ctx, ctx.orgs.byId.get(BUREAU) as Org, 'leader').id
  if (!inside(ctx, t2)) return
  const dec = plan(ctx, t2, 'escd', 'escalation.decided', actorOf(leader), data, { escalation: esc })
  const t3 = timeOn(ctx, clock.addWorkingDays(d2, rng.int(0, 2)), 9, 17, t2)
  const owner = someone(ctx, r.owner, 'reviewer')
  const base = { resource: r, grantee: user, request: req, purpose, items, issuer: owner, t: t3 }
  if (lapsed) issueGrant(ctx, { ...base, basis: { endorsement: dec }, labels: [['GRANT_BASIS_INVALID', 'endorser no longer a leader']] })
  else if (declinedButGranted) issueGrant(ctx, { ...base, basis: { endorsement: dec }, labels: [['GRANT_BASIS_INVALID', 'grant on a declined escalation']] })
  else if (planted) issueGrant(ctx, { ...base, basis: {}, labels: [['GRANT_NO_BASIS', 'endorsed grant citing no basis']] })
  else if (endorsed) issueGrant(ctx, { ...base, basis: { endorsement: dec } })
  else if (kind === 'mechanism' && inside(ctx, t3)) reply(ctx, t3, r, req, 'refused')
}

/** The escalation mechanism (7%): a conditional request escalated at once. */
export function escalation(ctx: Ctx, ask: Ask): void {
  const items = grantItems(ctx, ask.resource)
  const req = submit(ctx, ask.t, ask.user, ask.resource, items, ask.purpose, 'escalation')
  escalate(ctx, ask, req, items, 'mechanism')
}

/** Issue bundling (议题捆绑, 5%): the request is bound to a superior's task; the task owner confirms. */
export function bundling(ctx: Ctx, ask: Ask): void {
  const { rng, clock } = ctx
  const { user, resource: r, purpose } = ask
  const items = grantItems(ctx, r)
  const req = submit(ctx, ask.t, user, r, items, purpose, 'bundling')
  const task = rng.pick(ctx.tasks)
  const t1 = timeOn(ctx, clock.addWorkingDays(ask.day, rng.int(0, 1)), 9, 17, ask.t)
  const decl = plan(ctx, t1, 'bind', 'binding.declared', actorOf(someone(ctx, user, 'leader')), { rationale: `服务于${String(task.draft.data['title'])}` }, { request: req, task: task.draft })
  const planted = rng.chance(ctx.a.grantBasis) ? rng.pick(['unconfirmed', 'rejected', 'outlives'] as const) : undefined
  const d2 = clock.addWorkingDays(clock.dayOf(t1), rng.int(1, 3))
  const t2 = timeOn(ctx, d2, 9, 17, t1)
  if (planted !== 'unconfirmed' && inside(ctx, t2)) {
    const confirmer = rng.chance(0.7) ? someone(ctx, task.owner, 'leader') : someone(ctx, ctx.orgs.byId.get(BUREAU) as Org, 'leader')
    plan(ctx, t2, 'bconf', 'binding.confirmed', actorOf(confirmer), { decision: planted === 'rejected' ? 'rejected' : 'confirmed' }, { binding: decl })
  }
  const t3 = timeOn(ctx, clock.addWorkingDays(d2, rng.int(0, 2)), 9, 17, t2)
  const base = { resource: r, grantee: user, request: req, purpose, items, issuer: someone(ctx, r.owner, 'reviewer'), t: t3, basis: { binding: decl } }
  if (planted === 'outlives') issueGrant(ctx, { ...base, until: task.until + 30 * DAY, labels: [['GRANT_OUTLIVES_BASIS', 'grant runs past its task']] })
  else if (planted) issueGrant(ctx, { ...base, until: Math.min(validity(ctx, t3), task.until), labels: [['GRANT_BASIS_INVALID', `binding ${planted}`]] })
  else issueGrant(ctx, { ...base, until: Math.min(validity(ctx, t3), task.until) })
}

/** The task end as RFC 3339 (for task.registered). */
export function taskUntil(ms: number): string {
  return formatTime(ms)
}
