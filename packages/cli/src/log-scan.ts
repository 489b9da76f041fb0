/**
 * What the auditors' commands (findings, stats, simulate --score) share: a streaming pass over
 * the log in index order, and the parsing of time arguments.
 */
import { decodeEntry, LedgerError, type Entry, type ReadableStore } from '@liuhen/core'
import { CliError, EXIT } from './exit.js'

/**
 * Calls `fn` with every decoded entry of `store` in index order (the findings and stats engines
 * pass over the auditors' own `audit.queried` events themselves). `onProgress` gets the number of entries read so far and the total.
 * Throws `STORE_CORRUPT` (exit 1) on stored bytes that do not decode: `liuhen verify` locates it.
 */
export async function scanLog(store: ReadableStore, fn: (entry: Entry) => void, onProgress?: (done: number, total: number) => void): Promise<number> {
  const size = (await store.readHead())?.size ?? 0
  let done = 0
  for await (const { index, bytes } of store.readEntries(0, size)) {
    let entry: Entry
    try {
      entry = decodeEntry(bytes)
    } catch (cause) {
      throw new LedgerError('STORE_CORRUPT', `entry ${index} does not decode (run liuhen verify)`, { index }, { cause })
    }
    fn(entry)
    if (++done % 4096 === 0) onProgress?.(done, size)
  }
  onProgress?.(done, size)
  return size
}

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
