/**
 * Small readers for untrusted event fields and business times. Every event field is
 * submitter-controlled: a reader returns undefined (or NaN) rather than throwing.
 */
import type { JsonValue } from '@liuhen/core'

/** Milliseconds in one day. */
export const DAY_MS = 86_400_000
/** China Standard Time offset (UTC+08:00, no daylight saving) in milliseconds. */
export const CST_MS = 8 * 3_600_000

/** A string field, or undefined. */
export function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/** A list of strings (non-strings dropped); a single string becomes a one-element list. */
export function strList(v: JsonValue | undefined): string[] {
  if (typeof v === 'string') return [v]
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}

/** A plain object field, or undefined. */
export function obj(v: JsonValue | undefined): Record<string, JsonValue> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/**
 * Milliseconds since the epoch of an RFC 3339 time; NaN if malformed. A bare date
 * (`2026-12-31`) is read in Beijing time: its start, or with `endOfDay` its last millisecond,
 * so a `validUntil` date includes the whole day.
 */
export function instant(v: JsonValue | undefined, endOfDay = false): number {
  if (typeof v !== 'string') return Number.NaN
  if (DATE_ONLY.test(v)) {
    const start = Date.parse(`${v}T00:00:00+08:00`)
    return endOfDay ? start + DAY_MS - 1 : start
  }
  return Date.parse(v)
}

/** UTC ISO form with milliseconds (sortable as text), or '' if the time is malformed. */
export function utcIso(v: JsonValue | undefined): string {
  const ms = instant(v)
  return Number.isFinite(ms) && ms >= 0 && ms < 253402300800000 ? new Date(ms).toISOString() : ''
}

/**
 * `table[key]` when `table` has `key` as its own property, else undefined. Keys that come from
 * events are data: `toString` or `__proto__` must not reach `Object.prototype`.
 */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined
}

/** A null-prototype record: a lookup by a name from an event finds only what was put there. */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>
}

/** `{ person }` to spread into a `Party`, or `{}` when there is none (`exactOptionalPropertyTypes`). */
export function personField(person: string | undefined): { person?: string } {
  return person === undefined ? {} : { person }
}
