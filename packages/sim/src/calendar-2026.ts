/**
 * China's official 2026 calendar, used by the simulator ONLY to time generated activity
 * (replies, quality resolutions on working days). The query package has its own authoritative,
 * versioned calendar; this table must agree with it for the findings to match the labels.
 *
 * Source: 国务院办公厅关于2026年部分节假日安排的通知 (General Office of the State Council,
 * notice on the 2026 public holidays, November 2025); cross-checked against the data of the
 * `chinese-days` package 1.5.7.
 */

/** Public holidays (放假) of 2026, Beijing dates. */
export const HOLIDAYS_2026: readonly string[] = [
  '2026-01-01',
  '2026-01-02',
  '2026-01-03', // 元旦 New Year
  '2026-02-15',
  '2026-02-16',
  '2026-02-17',
  '2026-02-18',
  '2026-02-19',
  '2026-02-20',
  '2026-02-21',
  '2026-02-22',
  '2026-02-23', // 春节 Spring Festival
  '2026-04-04',
  '2026-04-05',
  '2026-04-06', // 清明 Qingming
  '2026-05-01',
  '2026-05-02',
  '2026-05-03',
  '2026-05-04',
  '2026-05-05', // 劳动节 Labour Day
  '2026-06-19',
  '2026-06-20',
  '2026-06-21', // 端午 Dragon Boat
  '2026-09-25',
  '2026-09-26',
  '2026-09-27', // 中秋 Mid-Autumn
  '2026-10-01',
  '2026-10-02',
  '2026-10-03',
  '2026-10-04',
  '2026-10-05',
  '2026-10-06',
  '2026-10-07', // 国庆 National Day
]

/** Make-up working days (调休上班) of 2026: weekend days that are working days. */
export const MAKEUP_WORKDAYS_2026: readonly string[] = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']

const holidays = new Set(HOLIDAYS_2026)
const makeup = new Set(MAKEUP_WORKDAYS_2026)

/** The first and last dates this table covers. */
export const CALENDAR_RANGE = { first: '2026-01-01', last: '2026-12-31' } as const

/**
 * Whether a Beijing date (YYYY-MM-DD) is an official working day. Dates outside 2026 fall back to
 * Monday–Friday (only used for dates after the simulation, where it cannot change a label).
 * @example isWorkingDate('2026-02-14') // true: a Saturday make-up working day
 */
export function isWorkingDate(date: string): boolean {
  if (makeup.has(date)) return true
  if (holidays.has(date)) return false
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
  return weekday !== 0 && weekday !== 6
}
