/**
 * The parsing of time arguments the auditors' commands share (the scans of the log are
 * @liuhen/query's `scanLog`, `computeFindings` and `computeStats`).
 */
import { CliError, EXIT } from './exit.js'

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * Parses a time argument: RFC 3339 with an offset, or a bare date `YYYY-MM-DD`, read as a
 * Beijing (UTC+08:00) day: its first millisecond, or with `endOfDay` its last one (so
 * `--to 2026-03-01` includes that whole day). Anything else is a usage error.
 * @example parseTime('--from', '2026-03-01') // '2026-03-01T00:00:00.000+08:00'
 */
export function parseTime(name: string, text: string, endOfDay = false): string {
  const value = DATE.test(text) ? `${text}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}+08:00` : text
  if (!(RFC3339.test(value) && Number.isFinite(Date.parse(value)))) {
    throw new CliError(EXIT.USAGE, `${name} must be an RFC 3339 time with offset or a date YYYY-MM-DD, got ${JSON.stringify(text)}`)
  }
  return value
}

/** {@link parseTime} of an optional argument. */
export function optionalTime(name: string, text: string | undefined, endOfDay = false): string | undefined {
  return text === undefined ? undefined : parseTime(name, text, endOfDay)
}
