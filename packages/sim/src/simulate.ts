/**
 * simulate(): a deterministic district's platform activity as a stream of events, with the
 * ground truth of every planted anomaly.
 */
import type { Event } from '@liuhen/core'
import type { Label } from './types.js'
import { resolveOptions, type Resolved, type SimOptions } from './options.js'
import { Rng } from './rng.js'
import { Clock, DAY, HOUR } from './time.js'
import { buildOrgs } from './org.js'
import { buildCatalogue } from './catalogue.js'
import { Emitter, Schedule, type Draft } from './draft.js'
import type { Ctx } from './context.js'
import { bootstrap, catalogueChanges, registries, requests, roleChanges } from './plan.js'
import { Updates } from './updates.js'
import { KNOWN, accessDay, type AccessRec } from './access.js'
import { Keyring, recordId } from './records.js'
import { incidentDay, qualityDay } from './quality.js'

/** A simulation: iterate it for events (each iteration regenerates them identically). */
export interface Simulation extends Iterable<Event> {
  /** The options with every default applied. */
  readonly options: Resolved
  /**
   * The planted anomalies: code and event id. Findings are as of the last event's time. Reading
   * it before a full iteration runs one (so it is always complete); a completed iteration fills it.
   */
  readonly truth: Label[]
  /** Secret key of a resource (32 bytes), derived from the seed. */
  resourceKey(resourceId: string): Uint8Array
  /** Lowercase hex HMAC-SHA-256(resourceKey(resource), UTF-8 record id). */
  recordDigest(resourceId: string, recordId: string): string
  /** Synthetic record ids that accesses touch (about 2% of accesses carry one). */
  readonly knownRecords: readonly string[]
}

function build(p: Resolved): Ctx {
  const clock = new Clock(p.start, p.days)
  const rng = new Rng(p.seed, 'plan')
  const orgs = buildOrgs(p.w)
  const cat = buildCatalogue(p.w, orgs, rng)
  const reluctantIds = ['district.police', 'district.health', 'district.medical-insurance', 'district.tax', 'district.civil-affairs', 'district.human-resources']
  const reluctant = new Set(reluctantIds.filter((id) => orgs.byId.has(id)).slice(0, p.w.reluctantProviders))
  const ctx: Ctx = {
    p,
    w: p.w,
    a: p.a,
    clock,
    rng,
    orgs,
    cat,
    grants: [],
    used: new Set(),
    assignments: new Map(),
    tasks: [],
    out: [],
    lastDay: p.days - 1,
    reluctant,
    lapseAt: p.a.grantBasis > 0 && p.days >= 6 ? clock.dayStart(Math.floor(p.days / 3)) + 10 * HOUR : undefined,
  }
  registries(ctx)
  bootstrap(ctx)
  requests(ctx)
  catalogueChanges(ctx)
  roleChanges(ctx)
  return ctx
}

function* run(p: Resolved, keys: Keyring, done: (truth: Label[]) => void): Generator<Event> {
  const ctx = build(p)
  const sched = new Schedule()
  const emitter = new Emitter()
  for (const d of ctx.out) sched.push(d)
  const updates = new Updates(ctx)
  for (const d of updates.bootstrap()) sched.push(d)
  const st = { ctx, keys, updates, unknown: 0 }
  let recent: AccessRec[] = []
  for (let day = 0; day < p.days; day++) {
    const dctx: Ctx = { ...ctx, rng: new Rng(p.seed, `day-${day}`) }
    const out: Draft[] = updates.day(day)
    const accesses = accessDay({ ...st, ctx: dctx }, day, out)
    qualityDay(dctx, day, accesses, out)
    incidentDay(dctx, day, recent, out)
    recent = accesses.length > 0 ? accesses : recent
    for (const d of out) sched.push(d)
    const end = ctx.clock.dayStart(day) + DAY
    for (let next = sched.peek(); next && next.t < end; next = sched.peek()) yield emitter.emit(sched.pop() as Draft)
  }
  done(emitter.truth)
}

/**
 * Simulates `options.days` days of a district's data-sharing platform.
 * @example
 * const sim = simulate({ seed: 'demo', days: 30, accessScale: 0.01 })
 * for (const event of sim) ledger.append(event)
 * sim.truth // [{ code: 'REPLY_LATE', event: 'req-000123', note: '...' }, ...]
 */
export function simulate(options: SimOptions = {}): Simulation {
  const p = resolveOptions(options)
  new Clock(p.start, p.days) // validates start and days now
  const keys = new Keyring(p.seed)
  let truth: Label[] | undefined
  const done = (t: Label[]): void => {
    truth = t
  }
  return {
    options: p,
    [Symbol.iterator]: () => run(p, keys, done),
    get truth(): Label[] {
      if (!truth) for (const _ of run(p, keys, done));
      return truth ?? []
    },
    resourceKey: (id) => new Uint8Array(keys.key(id)),
    recordDigest: (resource, record) => keys.digest(resource, record),
    knownRecords: KNOWN.map((n) => recordId(n)),
  }
}
