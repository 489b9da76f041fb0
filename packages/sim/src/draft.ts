/**
 * Drafts: events before their id is known. Ids are given in emission order, so a reference to
 * an earlier draft always becomes an earlier id; references to "the latest catalogue version" or
 * "the latest resource.updated" of a resource are resolved when the referring event is emitted.
 */
import type { Event, JsonValue } from '@liuhen/core'
import type { Label } from './types.js'
import { formatTime } from './time.js'

/** What a draft's reference points at. */
export type RefTarget = Draft | { raw: string } | { latestCatalogue: string } | { latestVersion: string }

/** An event to be emitted at `t`. */
export interface Draft {
  t: number
  seq: number
  prefix: string
  type: string
  actor: { dept: string; person?: string; role?: string }
  refs?: Record<string, RefTarget | RefTarget[]>
  data: Record<string, JsonValue>
  labels?: { code: string; note?: string }[]
  id?: string
}

/** Creates a draft (seq is set when it is scheduled). */
export function draft(t: number, prefix: string, type: string, actor: Draft['actor'], data: Draft['data'], refs?: Draft['refs']): Draft {
  const d: Draft = { t, seq: 0, prefix, type, actor, data }
  if (refs) d.refs = refs
  return d
}

/** Attaches a ground-truth label to a draft. */
export function label(d: Draft, code: string, note?: string): void {
  ;(d.labels ??= []).push(note === undefined ? { code } : { code, note })
}

/** A min-heap of drafts by (t, seq). */
export class Schedule {
  readonly #heap: Draft[] = []
  #seq = 0

  /** Schedules a draft. */
  push(d: Draft): void {
    d.seq = this.#seq++
    const h = this.#heap
    h.push(d)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!before(h[i] as Draft, h[p] as Draft)) break
      ;[h[i], h[p]] = [h[p] as Draft, h[i] as Draft]
      i = p
    }
  }

  /** The earliest draft, without removing it. */
  peek(): Draft | undefined {
    return this.#heap[0]
  }

  /** Removes and returns the earliest draft. */
  pop(): Draft | undefined {
    const h = this.#heap
    const top = h[0]
    const last = h.pop()
    if (top === undefined || last === undefined || h.length === 0) return top
    h[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < h.length && before(h[l] as Draft, h[m] as Draft)) m = l
      if (r < h.length && before(h[r] as Draft, h[m] as Draft)) m = r
      if (m === i) break
      ;[h[i], h[m]] = [h[m] as Draft, h[i] as Draft]
      i = m
    }
    return top
  }
}

function before(a: Draft, b: Draft): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq)
}

/** Turns drafts into events in emission order: ids, resolved refs, truth labels. */
export class Emitter {
  readonly #counters = new Map<string, number>()
  readonly #catalogue = new Map<string, Draft>()
  readonly #version = new Map<string, Draft>()
  readonly truth: Label[] = []
  lastAt = ''

  /** Emits a draft; returns its event. */
  emit(d: Draft): Event {
    const n = (this.#counters.get(d.prefix) ?? 0) + 1
    this.#counters.set(d.prefix, n)
    d.id = `${d.prefix}-${String(n).padStart(6, '0')}`
    const ev: Event = { id: d.id, type: d.type, at: formatTime(d.t), actor: d.actor, data: d.data }
    if (d.refs) {
      const refs: Record<string, string | string[]> = {}
      for (const [name, v] of Object.entries(d.refs)) {
        if (Array.isArray(v)) refs[name] = v.map((x) => this.#resolve(x)).filter((x): x is string => x !== undefined)
        else {
          const id = this.#resolve(v)
          if (id !== undefined) refs[name] = id
        }
      }
      ev.refs = refs
    }
    const resource = d.data['resource']
    if (typeof resource === 'string') {
      if (d.type === 'catalogue.registered' || d.type === 'catalogue.updated') this.#catalogue.set(resource, d)
      else if (d.type === 'resource.updated') this.#version.set(resource, d)
    }
    for (const l of d.labels ?? []) this.truth.push(l.note === undefined ? { code: l.code, event: d.id } : { code: l.code, event: d.id, note: l.note })
    this.lastAt = ev.at
    return ev
  }

  #resolve(r: RefTarget): string | undefined {
    /* eslint-disable no-restricted-syntax -- narrows the simulator's own RefTarget union, never event data */
    if ('raw' in r) return r.raw
    if ('latestCatalogue' in r) return this.#catalogue.get(r.latestCatalogue)?.id
    if ('latestVersion' in r) return this.#version.get(r.latestVersion)?.id
    /* eslint-enable no-restricted-syntax */
    if (r.id === undefined) throw new Error(`internal: reference to ${r.type} at ${formatTime(r.t)} not yet emitted`)
    return r.id
  }
}
