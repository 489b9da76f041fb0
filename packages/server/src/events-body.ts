/**
 * The events of an append request: a JSON array, or JSON Lines (`application/x-ndjson`), parsed
 * strictly (repeated keys, unsafe integers and bytes that are not UTF-8 refused, naming the
 * position) as the command line parses its input.
 */
import { LedgerError, MAX_EVENT_DEPTH, MAX_LINE_BYTES, parseStrictJson } from '@liuhen/core'

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** The events of `body`; `INPUT_INVALID` naming the position (or line) of what does not parse. */
export function parseEvents(body: Uint8Array, contentType: string | undefined): unknown[] {
  let text: string
  try {
    text = decoder.decode(body)
  } catch (cause) {
    throw new LedgerError('INPUT_INVALID', 'the body holds bytes that are not UTF-8', {}, { cause })
  }
  const json = (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json' || /^\s*\[/.test(text)
  if (json) {
    const value = parseStrictJson(text, MAX_EVENT_DEPTH + 1)
    if (!Array.isArray(value)) throw new LedgerError('INPUT_INVALID', 'a JSON body must be an array of events', { path: '' })
    return value
  }
  const events: unknown[] = []
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    if (Buffer.byteLength(line) > MAX_LINE_BYTES) throw new LedgerError('INPUT_TOO_LARGE', `line ${i + 1} is over ${MAX_LINE_BYTES} bytes`, { line: i + 1 })
    try {
      events.push(parseStrictJson(line))
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err
      throw new LedgerError(err.code, `line ${i + 1}: ${err.message}`, { ...err.details, line: i + 1, position: events.length }, { cause: err })
    }
  })
  return events
}
