/**
 * The planning context shared by the generators: options, clock, randomness, the world
 * (organisations, catalogue), the schedule of drafts, and the grants planned so far.
 */
import type { Anomalies, Resolved, Workload } from './options.js'
import type { Catalogue, Resource } from './catalogue.js'
import type { Org, Orgs, Person } from './org.js'
import { draft, type Draft } from './draft.js'
import type { Clock } from './time.js'
import type { Rng } from './rng.js'
import { HOUR, MINUTE } from './time.js'
import { staffOf } from './org.js'

/** A grant as planned, with what the access generator needs. */
export interface GrantPlan {
  draft: Draft
  resource: Resource
  grantee: Org
  items: string[]
  purpose: Purpose
  from: number
  until: number
  revokedAt?: number
  storage: 'none' | 'cache' | 'copy'
  /** Call-rate weight (heavy-tailed; 0 for dormant grants). */
  weight: number
  /** Copies made under this grant are never destroyed (planted ACCESS_STORED). */
  sloppy: boolean
}

/** A purpose with its case-id prefix and legal basis. */
export interface Purpose {
  code: string
  prefix: string
  basis: string
  scenario: string
}

/** Purposes of requests and grants (scenario names are the 应用场景 in pinyin-free English). */
export const PURPOSES: readonly Purpose[] = [
  { code: 'dibao-check', prefix: 'DB', basis: '《社会救助暂行办法》第十一条', scenario: '最低生活保障审核' },
  { code: 'housing-subsidy', prefix: 'HS', basis: '《公共租赁住房管理办法》第七条', scenario: '住房保障资格审核' },
  { code: 'school-enrolment', prefix: 'SE', basis: '《义务教育法》第十二条', scenario: '义务教育入学' },
  { code: 'business-licence', prefix: 'BL', basis: '《市场主体登记管理条例》第十九条', scenario: '一网通办企业登记' },
  { code: 'elderly-care', prefix: 'EC', basis: '《老年人权益保障法》第三十三条', scenario: '养老服务补贴' },
  { code: 'disability-subsidy', prefix: 'DS', basis: '《残疾人保障法》第四十八条', scenario: '残疾人两项补贴' },
  { code: 'flood-control', prefix: 'FC', basis: '《防洪法》第四十五条', scenario: '防汛人员转移' },
  { code: 'grid-management', prefix: 'GM', basis: '《政务数据共享条例》第十三条', scenario: '网格化社会治理' },
  { code: 'medical-insurance', prefix: 'MI', basis: '《医疗保障基金使用监督管理条例》第十条', scenario: '医保待遇核验' },
  { code: 'employment-subsidy', prefix: 'ES', basis: '《就业促进法》第十八条', scenario: '就业补贴审核' },
  { code: 'veteran-benefit', prefix: 'VB', basis: '《退役军人保障法》第五十五条', scenario: '退役军人优待' },
  { code: 'identity-verification', prefix: 'IV', basis: '《政务数据共享条例》第十三条', scenario: '一网通办身份核验' },
]

/** Everything the generators share. */
export interface Ctx {
  p: Resolved
  w: Workload
  a: Anomalies
  clock: Clock
  rng: Rng
  orgs: Orgs
  cat: Catalogue
  grants: GrantPlan[]
  /** Resources that appear in a request or grant (never withdrawn). */
  used: Set<string>
  /** role.assigned drafts by person id. */
  assignments: Map<string, Draft>
  /** When the lapsing leader's role is revoked (undefined: never). */
  lapseAt: number | undefined
  /** Task drafts with their owner and end. */
  tasks: { draft: Draft; owner: Org; until: number }[]
  /** Every governance draft planned (scheduled before the day loop). */
  out: Draft[]
  /** Index of the last simulated day. */
  lastDay: number
  /** Providers that reply late (dept ids). */
  reluctant: Set<string>
}

/** A random instant on day d between hours `from` and `to` (Beijing), not before `after`. */
export function timeOn(ctx: Ctx, d: number, from = 9, to = 17, after?: number): number {
  const base = ctx.clock.dayStart(d)
  let t = base + from * HOUR + Math.floor(ctx.rng.float() * (to - from) * HOUR)
  if (after !== undefined && t <= after) t = after + MINUTE + Math.floor(ctx.rng.float() * 60 * MINUTE)
  return t
}

/** An acting account of `org` with `role` (reserved accounts excluded). */
export function someone(ctx: Ctx, org: Org, role: Person['role']): Person {
  return ctx.rng.pick(staffOf(org, role))
}

/** An actor object for `person` of its dept. */
export function actorOf(p: Person): Draft['actor'] {
  return { dept: p.dept, person: p.id, role: p.role }
}

/** Schedules a governance draft; returns it. */
export function plan(ctx: Ctx, t: number, prefix: string, type: string, actor: Draft['actor'], data: Draft['data'], refs?: Draft['refs']): Draft {
  const d = draft(t, prefix, type, actor, data, refs)
  ctx.out.push(d)
  return d
}

/** Whether an instant falls inside the simulation. */
export function inside(ctx: Ctx, t: number): boolean {
  return t < ctx.clock.end
}
