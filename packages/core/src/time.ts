/**
 * The one way every Liuhen tool prints a time: RFC 3339 in the ledger's zone, China Standard
 * Time (UTC+08:00, no daylight saving), the zone the events and the deadline calendar use. So a
 * deadline, a checkpoint's cosignature time and an event's time read alike and compare by eye.
 */

/** The ledger's zone as an RFC 3339 offset. */
export const LEDGER_UTC_OFFSET = '+08:00'

const OFFSET_MS = 8 * 3_600_000
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/
// Years 0000–9999: what RFC 3339 can write.
const MAX_MS = 253402300800000 - OFFSET_MS

/**
 * `t` (epoch milliseconds, a Date, or an RFC 3339 string) as RFC 3339 in the ledger's zone:
 * `2026-02-27T23:59:59.999+08:00`, milliseconds only when there are some. A string already in
 * +08:00, or that is not an RFC 3339 time with an offset, is returned as it is (it is data,
 * shown as recorded, digits beyond the millisecond included), as is a time outside years
 * 0000–9999.
 * @example formatLedgerTime('2026-03-02T01:15:04Z') // '2026-03-02T09:15:04+08:00'
 */
export function formatLedgerTime(t: number | string | Date): string {
  if (typeof t === 'string' && (!RFC3339.test(t) || t.endsWith(LEDGER_UTC_OFFSET))) return t
  const ms = typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime()
  if (!Number.isFinite(ms) || ms < -OFFSET_MS || ms >= MAX_MS) return typeof t === 'string' ? t : String(t)
  const local = new Date(ms + OFFSET_MS).toISOString() // the wall clock of +08:00, labelled Z
  const text = local.endsWith('.000Z') ? local.slice(0, -5) : local.slice(0, -1)
  return `${text}${LEDGER_UTC_OFFSET}`
}
