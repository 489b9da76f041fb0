/**
 * access.performed: the volume driver. Calls per day (working vs rest day), a diurnal shape,
 * heavy-tailed by grant; each within its grant's validity, scope and storage unless an anomaly is
 * planted (and labelled). Copies are destroyed within hours, except under sloppy grants.
 */
import type { JsonValue } from '@liuhen/core'
import { draft, label, type Draft, type RefTarget } from './draft.js'
import { someone, type Ctx, type GrantPlan } from './context.js'
import type { Keyring } from './records.js'
import { recordId } from './records.js'
import type { Updates } from './updates.js'
import { HOUR, MINUTE } from './time.js'

/** Residents in the synthetic population (record ids 0..POPULATION-1). */
export const POPULATION = 900_000
/** Population indices of the known records (exposed for "who accessed record X"). */
export const KNOWN = [4242, 123_456, 271_828, 314_159, 577_215]
const KNOWN_SHARE = 0.02
const MAX_DIGESTS = 4

/** One generated access, kept for quality reports and incidents. */
export interface AccessRec {
  d: Draft
  g: GrantPlan | undefined
  dept: string
  person: string
  digests: string[]
  items: string[]
  resource: string
  planted: boolean
}

/** Per-run access state. */
export interface AccessState {
  ctx: Ctx
  keys: Keyring
  updates: Updates
  unknown: number
}

function timeOfDay(ctx: Ctx, dayStart: number): number {
  const { rng } = ctx
  if (rng.chance(ctx.w.offHoursShare)) return dayStart + (rng.chance(0.6) ? rng.int(0, 8 * 60 - 1) : rng.int(19 * 60, 24 * 60 - 1)) * MINUTE + rng.int(0, 59_999)
  const band = rng.weighted({ morning: 45, afternoon: 40, shoulder: 15 })
  const [a, b] =
    band === 'morning'
      ? [9 * 60, 11.5 * 60]
      : band === 'afternoon'
        ? [14 * 60, 17 * 60]
        : rng.pick([
            [8 * 60, 9 * 60],
            [11.5 * 60, 14 * 60],
            [17 * 60, 19 * 60],
          ] as const)
  return dayStart + Math.floor((a + rng.float() * (b - a)) * MINUTE)
}

function live(g: GrantPlan, t: number): boolean {
  const end = Math.min(g.until, g.revokedAt ?? Number.POSITIVE_INFINITY)
  return t >= g.from + MINUTE && t <= end - MINUTE
}

/** Generates day d's accesses (sorted by time), with copies destroyed and real-time updates. */
export function accessDay(st: AccessState, d: number, out: Draft[]): AccessRec[] {
  const { ctx, updates } = st
  const { rng, clock, w, a } = ctx
  const start = clock.dayStart(d)
  const end = start + 24 * HOUR
  const pool = ctx.grants.filter((g) => g.weight > 0 && g.from < end && g.until > start && (g.revokedAt ?? Infinity) > start)
  const cum: number[] = []
  let total = 0
  for (const g of pool) cum.push((total += g.weight))
  const n = pool.length === 0 ? 0 : rng.poisson((clock.isWorking(d) ? w.accessPerWorkingDay : w.accessPerRestDay) * ctx.p.accessScale)
  const expired = ctx.grants.filter((g) => g.until < start - HOUR && g.revokedAt === undefined)
  const revoked = ctx.grants.filter((g) => g.revokedAt !== undefined && g.revokedAt < start - HOUR && g.until > end + HOUR)
  const recs: AccessRec[] = []
  for (let i = 0; i < n; i++) {
    for (let attempt = 0; attempt < 8; attempt++) {
      const t = timeOfDay(ctx, start)
      if (d === 0 && t < start + 2 * HOUR) continue
      let g = pool[bisect(cum, rng.float() * total)] as GrantPlan
      const u = rng.float()
      let kind: 'none' | 'nogrant' | 'expired' | 'revoked' | 'items' | 'dept' | 'stored' = 'none'
      let c = a.accessNoGrant
      if (u < c) kind = 'nogrant'
      else if (u < (c += a.accessExpiredOrRevoked)) kind = rng.chance(0.5) ? 'expired' : 'revoked'
      else if (u < (c += a.accessExtraItems)) kind = 'items'
      else if (u < (c += a.accessOtherDept)) kind = 'dept'
      else if (u < c + a.accessStored) kind = 'stored'
      if (kind === 'expired' || kind === 'revoked') {
        const list = kind === 'expired' ? expired : revoked
        if (list.length === 0) kind = 'none'
        else g = rng.pick(list)
      }
      if (kind === 'none' || kind === 'items' || kind === 'dept' || kind === 'stored' || kind === 'nogrant') {
        if (!live(g, t)) continue
      }
      if (kind === 'items' && g.items.length >= g.resource.items.length) kind = 'none'
      if (kind === 'stored' && g.storage !== 'none') kind = 'none'
      const fresh = updates.check(g.resource.id, t)
      if (fresh === 'reject') continue
      recs.push(makeAccess(st, g, t, kind, fresh === 'stale', d, out))
      break
    }
  }
  recs.sort((x, y) => x.d.t - y.d.t)
  for (const r of recs) {
    const u = updates.realtime(r.resource, r.d.t)
    if (u) out.push(u)
    out.push(r.d)
  }
  return recs
}

function makeAccess(st: AccessState, g: GrantPlan, t: number, kind: string, stale: boolean, day: number, out: Draft[]): AccessRec {
  const { ctx, keys } = st
  const { rng, w } = ctx
  const r = g.resource
  const org = kind === 'dept' ? rng.pick(ctx.orgs.districtDepts.filter((o) => o !== g.grantee)) : g.grantee
  const person = someone(ctx, org, 'caseworker')
  const op = rng.weighted(w.operation)
  let items = op === 'verify' ? rng.sample(g.items, rng.int(1, 2)) : op === 'query' ? rng.sample(g.items, rng.int(2, 6)) : g.items.slice()
  if (kind === 'items') items = [...items, rng.pick(r.items.filter((x) => !g.items.includes(x.name))).name]
  const denied = kind === 'none' && !stale && rng.chance(w.deniedRate)
  const rows = denied ? 0 : op === 'verify' ? 1 : op === 'query' ? (rng.chance(0.7) ? 1 : rng.int(2, 10)) : op === 'list' ? rng.int(10, 1000) : rng.int(1000, 50_000)
  const ids: string[] = []
  for (let k = 0; k < Math.min(rows, MAX_DIGESTS); k++) ids.push(recordId(k === 0 && rng.chance(KNOWN_SHARE) ? rng.pick(KNOWN) : rng.int(0, POPULATION - 1)))
  const digests = ids.map((id) => keys.digest(r.id, id))
  let storage: 'none' | 'cache' | 'copy' = 'none'
  const lastDayStart = ctx.clock.dayStart(ctx.lastDay)
  if (kind === 'stored') storage = 'cache'
  else if (kind === 'none' && !denied && g.storage === 'cache' && rng.chance(0.5)) storage = 'cache'
  else if (kind === 'none' && !denied && g.storage === 'copy' && (op === 'list' || op === 'batch') && t + 5 * HOUR < lastDayStart) storage = 'copy'
  const data: Record<string, JsonValue> = { resource: r.id, items, rows, purpose: g.purpose.code }
  if (!rng.chance(w.missingCaseRate)) data['case'] = `${g.purpose.prefix}-2026-${String(rng.int(1, 9999)).padStart(4, '0')}`
  data['recordDigests'] = digests
  data['resultDigest'] = rng.hex64()
  data['storage'] = storage
  data['outcome'] = denied ? 'denied' : 'success'
  const refs: Record<string, RefTarget> = { grant: g.draft, version: { latestVersion: r.id } }
  if (kind === 'nogrant') {
    if (rng.chance(0.5)) delete refs['grant']
    else refs['grant'] = { raw: `grant-ext-${String(++st.unknown).padStart(6, '0')}` }
  }
  const d = draft(t, 'acc', 'access.performed', { dept: org.id, person: person.id, role: person.role }, data, refs)
  const notes: Record<string, [string, string]> = {
    nogrant: ['ACCESS_NO_GRANT', 'grant ref missing or unknown'],
    expired: ['ACCESS_GRANT_EXPIRED', 'after the grant expired'],
    revoked: ['ACCESS_GRANT_REVOKED', 'after the grant was revoked'],
    items: ['ACCESS_OUT_OF_SCOPE', 'item beyond the grant'],
    dept: ['ACCESS_OUT_OF_SCOPE', 'another department used the grant (records outside its scope)'],
    stored: ['ACCESS_STORED', 'cached under a none grant'],
  }
  const note = notes[kind]
  if (note) label(d, note[0], note[1])
  if (stale) label(d, 'DATA_STALE', 'resource not updated for over 72 h')
  if (storage === 'copy') {
    if (g.sloppy) label(d, 'ACCESS_STORED', 'copy never destroyed')
    else
      out.push(
        draft(t + rng.int(10, 240) * MINUTE, 'copy', 'copy.destroyed', { dept: org.id, person: person.id, role: person.role }, { method: rng.pick(['secure-erase', 'crypto-shred']) }, { access: d }),
      )
  }
  void day
  return { d, g: kind === 'nogrant' ? undefined : g, dept: org.id, person: person.id, digests, items, resource: r.id, planted: note !== undefined || stale }
}

function bisect(cum: readonly number[], x: number): number {
  let lo = 0
  let hi = cum.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((cum[mid] as number) > x) hi = mid
    else lo = mid + 1
  }
  return lo
}
