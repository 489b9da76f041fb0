/**
 * resource.updated: the "real-time update" (实时更新) evidence. Every resource under a grant gets
 * an update at the start and then updates more often than its declared cycle requires:
 * daily every 24 h at a fixed time, weekly every 6 days, monthly every 28 days, and real-time
 * resources lazily, at most an hour before any access. Stale episodes suspend a daily resource's
 * updates for 6 days; accesses then more than 72 h after the last update are labelled DATA_STALE,
 * and accesses in between (24–72 h) are not generated, so the label holds for any allowance in
 * that range (the query's default for daily is 48 h).
 */
import type { Resource } from './catalogue.js'
import { draft, type Draft } from './draft.js'
import type { Ctx } from './context.js'
import { DAY, HOUR, MINUTE } from './time.js'

interface Plan {
  r: Resource
  boot: number
  period?: number
  phase?: number
  stop?: [number, number]
  version: number
  lastRealtime: number
}

const PERIOD: Record<string, number> = { daily: DAY, weekly: 6 * DAY, monthly: 28 * DAY }
const STALE_AFTER = 72 * HOUR

/** What an access at a time may see of its resource's freshness. */
export type Freshness = 'fresh' | 'stale' | 'reject'

/** Update schedules of the resources under grants. */
export class Updates {
  readonly #plans = new Map<string, Plan>()

  constructor(private readonly ctx: Ctx) {
    const { rng, clock } = ctx
    const weights = new Map<Resource, number>()
    for (const g of ctx.grants) weights.set(g.resource, (weights.get(g.resource) ?? 0) + g.weight)
    const boot0 = clock.dayStart(0) + HOUR
    let i = 0
    for (const r of weights.keys()) {
      if (!r.updateCycle) continue
      const p: Plan = { r, boot: boot0 + i++ * 1000, version: 0, lastRealtime: 0 }
      p.lastRealtime = p.boot
      const period = PERIOD[r.updateCycle]
      if (period !== undefined) {
        p.period = period
        p.phase = clock.dayStart(rng.int(0, Math.round(period / DAY) - 1)) + 2 * HOUR + rng.int(0, 3 * 3600) * 1000
      }
      this.#plans.set(r.id, p)
    }
    // Episodes hit busy resources (the top 20 daily ones by call weight), so they are seen.
    const daily = [...weights]
      .filter(([r, w]) => r.updateCycle === 'daily' && w > 0)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 20)
    const episodes = ctx.p.days >= 10 ? rng.poisson((ctx.a.staleEpisodesPerMonth * ctx.p.days) / 30) : 0
    for (const [r] of rng.sample(daily, episodes)) {
      const p = this.#plans.get(r.id)
      if (!p || p.phase === undefined) continue
      const s = clock.dayStart(rng.int(1, ctx.p.days - 8)) + (p.phase - clock.dayStart(0))
      p.stop = [s, s + 6 * DAY]
    }
  }

  /** The first update of every resource, in the second hour of day 0. */
  bootstrap(): Draft[] {
    return [...this.#plans.values()].map((p) => this.#draft(p, p.boot))
  }

  /** The periodic updates falling on day d. */
  day(d: number): Draft[] {
    const from = this.ctx.clock.dayStart(d)
    const out: Draft[] = []
    for (const p of this.#plans.values()) {
      if (p.period === undefined || p.phase === undefined) continue
      const n = Math.ceil((from - p.phase) / p.period)
      for (let t = p.phase + Math.max(0, n) * p.period; t < from + DAY; t += p.period) {
        if (t >= from && !(p.stop && t >= p.stop[0] && t < p.stop[1])) out.push(this.#draft(p, t))
      }
    }
    return out
  }

  /** Freshness of an access to `resource` at `t` (resources without a declared cycle are fresh). */
  check(resource: string, t: number): Freshness {
    const p = this.#plans.get(resource)
    if (!p || p.period === undefined || p.phase === undefined) return 'fresh'
    let last = p.boot
    const n = Math.floor((t - p.phase) / p.period)
    if (n >= 0) {
      let u = p.phase + n * p.period
      if (p.stop && u >= p.stop[0] && u < p.stop[1]) u = p.phase + (Math.ceil((p.stop[0] - p.phase) / p.period) - 1) * p.period
      last = Math.max(last, u >= p.phase ? u : p.boot)
    }
    const age = t - last
    if (age <= p.period - MINUTE) return 'fresh'
    if (p.stop && age > STALE_AFTER) return 'stale'
    return 'reject'
  }

  /** For a real-time resource, an update just before `t` if the last is over an hour old. */
  realtime(resource: string, t: number): Draft | undefined {
    const p = this.#plans.get(resource)
    if (!p || p.r.updateCycle !== 'realtime' || t - p.lastRealtime < HOUR) return undefined
    const at = Math.max(p.lastRealtime + 1000, t - this.ctx.rng.int(1, 30) * 1000)
    p.lastRealtime = at
    return this.#draft(p, at)
  }

  #draft(p: Plan, t: number): Draft {
    p.version++
    const data = {
      resource: p.r.id,
      version: `${p.r.id.split('.').pop() ?? 'v'}.${p.version}`,
      records: 1000 + ((p.r.id.length * 7919 + p.version * 104729) % 900_000),
      snapshotDigest: this.ctx.rng.hex64(),
    }
    return draft(t, 'upd', 'resource.updated', { dept: p.r.owner.id, role: 'system' }, data, { catalogue: { latestCatalogue: p.r.id } })
  }
}
