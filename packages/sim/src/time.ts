/**
 * Simulation time: epoch milliseconds, Beijing days, working-day arithmetic on the 2026 table,
 * RFC 3339 with the +08:00 offset.
 */
import { CALENDAR_RANGE, isWorkingDate } from './calendar-2026.js'

/** One minute, hour and day in milliseconds. */
export const MINUTE = 60_000
export const HOUR = 3_600_000
export const DAY = 86_400_000
const CST = 8 * HOUR

/** RFC 3339 with +08:00 and whole seconds. */
export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + CST).toISOString().slice(0, 19) + '+08:00'
}

/** The simulated period: day indices 0..days-1 from `start` (a Beijing date). */
export class Clock {
  /** Epoch ms of 00:00 Beijing time on day 0. */
  readonly t0: number
  /** Working-day flag of each day index, from 0 up to `days` + 60 (for deadlines after the end). */
  readonly #working: boolean[] = []

  constructor(
    readonly start: string,
    readonly days: number,
  ) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || Number.isNaN(Date.parse(`${start}T00:00:00Z`))) throw new RangeError(`start must be a date YYYY-MM-DD, got ${start}`)
    if (!Number.isSafeInteger(days) || days < 1) throw new RangeError(`days must be a positive integer, got ${days}`)
    this.t0 = Date.parse(`${start}T00:00:00+08:00`)
    const last = this.date(days - 1)
    if (start < CALENDAR_RANGE.first || last > CALENDAR_RANGE.last) throw new RangeError(`the simulator's calendar covers ${CALENDAR_RANGE.first}..${CALENDAR_RANGE.last}; got ${start}..${last}`)
    for (let d = 0; d < days + 60; d++) this.#working.push(isWorkingDate(this.date(d)))
  }

  /** Beijing date (YYYY-MM-DD) of day index d. */
  date(d: number): string {
    return new Date(this.t0 + d * DAY + CST).toISOString().slice(0, 10)
  }

  /** Epoch ms of 00:00 Beijing on day d. */
  dayStart(d: number): number {
    return this.t0 + d * DAY
  }

  /** Epoch ms where the simulation ends (exclusive). */
  get end(): number {
    return this.dayStart(this.days)
  }

  /** Day index of an instant. */
  dayOf(ms: number): number {
    return Math.floor((ms - this.t0) / DAY)
  }

  /** Whether day index d is an official working day. */
  isWorking(d: number): boolean {
    return this.#working[d] ?? isWorkingDate(this.date(d))
  }

  /** Day index of the n-th working day after day d (n = 0: d itself). */
  addWorkingDays(d: number, n: number): number {
    let day = d
    for (let left = n; left > 0;) {
      day++
      if (this.isWorking(day)) left--
    }
    return day
  }

  /** Working day indices in [0, days). */
  workingDays(): number[] {
    const out: number[] = []
    for (let d = 0; d < this.days; d++) if (this.isWorking(d)) out.push(d)
    return out
  }
}
