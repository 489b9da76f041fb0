/**
 * Working days on China's official calendar (State Council holiday notices, with their
 * make-up working days, 调休), counted in Beijing time (UTC+08:00, no daylight saving).
 *
 * The default data is the `chinese-days` npm package's `dist/chinese-days.json` (maintained
 * from the State Council's annual 节假日安排 notices on gov.cn); its package version is the
 * calendar version. Its functions are not used: they read dates in the machine's local time
 * zone, and a deadline must not depend on where the auditor runs. A year the data does not
 * cover throws `CALENDAR_NOT_COVERED` rather than guessing from weekdays.
 *
 * Deadline rule: n working days after an event at time t are due by the end (24:00 Beijing
 * time) of the n-th working day after t's Beijing calendar day; t's own day never counts, even
 * if it is a working day and t is early in the morning.
 */
import { createRequire } from 'node:module'
import { QueryError } from './error.js'
import { CST_MS, DAY_MS } from './internal/util.js'

/** Calendar data: explicit exceptions to the Monday–Friday rule, within covered years. */
export interface CalendarData {
  /** Names the data and its version, e.g. `chinese-days@1.5.7`. */
  version: string
  /** Public holidays falling on days that would otherwise be working days (and others), `YYYY-MM-DD`. */
  holidays: string[]
  /** Weekend days that are official working days (make-up days, 调休), `YYYY-MM-DD`. */
  workdays: string[]
  /** First and last Gregorian year the data covers, inclusive. */
  years: [number, number]
}

const dayNumber = (ymd: string): number => {
  const ms = Date.parse(`${ymd}T00:00:00Z`)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd) || Number.isNaN(ms)) throw new QueryError('CONFIG_INVALID', `bad calendar date ${ymd}`, { date: ymd })
  return ms / DAY_MS
}

/** Beijing calendar day of an instant, as days since 1970-01-01. */
const beijingDay = (ms: number): number => Math.floor((ms + CST_MS) / DAY_MS)

/** A working-day calendar built from {@link CalendarData}. */
export class WorkCalendar {
  readonly version: string
  readonly #holidays: Set<number>
  readonly #workdays: Set<number>
  readonly #first: number
  readonly #last: number

  constructor(data: CalendarData) {
    this.version = data.version
    this.#holidays = new Set(data.holidays.map(dayNumber))
    this.#workdays = new Set(data.workdays.map(dayNumber))
    this.#first = dayNumber(`${String(data.years[0]).padStart(4, '0')}-01-01`)
    this.#last = dayNumber(`${String(data.years[1]).padStart(4, '0')}-12-31`)
  }

  /** Whether the Beijing calendar day `ymd` (`YYYY-MM-DD`) is an official working day. */
  isWorkingDay(ymd: string): boolean {
    return this.#isWorking(dayNumber(ymd))
  }

  #isWorking(day: number): boolean {
    if (day < this.#first || day > this.#last) {
      const date = new Date(day * DAY_MS).toISOString().slice(0, 10)
      throw new QueryError('CALENDAR_NOT_COVERED', `calendar ${this.version} does not cover ${date}`, { date, version: this.version })
    }
    if (this.#workdays.has(day)) return true
    if (this.#holidays.has(day)) return false
    const weekday = (day + 4) % 7 // 1970-01-01 was a Thursday; 0 = Sunday
    return weekday !== 0 && weekday !== 6
  }

  /**
   * The last millisecond (23:59:59.999 Beijing time) of the n-th working day after `at`'s
   * Beijing day; n = 0 gives the end of `at`'s own day. Precondition: n is a non-negative integer.
   * @example cal.addWorkingDays('2026-02-13T10:00:00+08:00', 1) // Sat 2026-02-14, a make-up day
   */
  addWorkingDays(at: Date | string, n: number): Date {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer, got ${n}`)
    let day = beijingDay(toMs(at))
    for (let left = n; left > 0;) {
      day++
      if (this.#isWorking(day)) left--
    }
    return new Date((day + 1) * DAY_MS - CST_MS - 1)
  }

  /**
   * Working days in (day of `from`, day of `to`] (Beijing days); negative when `to` is earlier.
   * So `workingDaysBetween(t, addWorkingDays(t, n)) === n`.
   */
  workingDaysBetween(from: Date | string, to: Date | string): number {
    const a = beijingDay(toMs(from))
    const b = beijingDay(toMs(to))
    const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1]
    let count = 0
    for (let day = lo + 1; day <= hi; day++) if (this.#isWorking(day)) count++
    return sign * count
  }
}

function toMs(at: Date | string): number {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime()
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${String(at)}`)
  return ms
}

let cached: WorkCalendar | undefined

/**
 * The official China calendar from the `chinese-days` package's data (loaded once).
 * Covers the years that package lists (2004–2026 in 1.5.7); update the package for later years.
 */
export function defaultCalendar(): WorkCalendar {
  if (!cached) {
    const require = createRequire(import.meta.url)
    const pkg = require('chinese-days/package.json') as { version: string }
    const raw = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> }
    const days = [...Object.keys(raw.holidays), ...Object.keys(raw.workdays)]
    const years = days.map((d) => Number(d.slice(0, 4)))
    cached = new WorkCalendar({
      version: `chinese-days@${pkg.version}`,
      holidays: Object.keys(raw.holidays),
      workdays: Object.keys(raw.workdays),
      years: [Math.min(...years), Math.max(...years)],
    })
  }
  return cached
}

/**
 * {@link WorkCalendar.addWorkingDays} on `calendar` (default: {@link defaultCalendar}).
 * @example addWorkingDays('2026-02-06T15:00:00+08:00', 10) // 2026-02-27T15:59:59.999Z (end of Fri 27 Feb, Beijing)
 */
export function addWorkingDays(at: Date | string, n: number, calendar: WorkCalendar = defaultCalendar()): Date {
  return calendar.addWorkingDays(at, n)
}

/** {@link WorkCalendar.workingDaysBetween} on `calendar` (default: {@link defaultCalendar}). */
export function workingDaysBetween(from: Date | string, to: Date | string, calendar: WorkCalendar = defaultCalendar()): number {
  return calendar.workingDaysBetween(from, to)
}
