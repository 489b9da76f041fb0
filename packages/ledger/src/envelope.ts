/**
 * Structural checks of the event envelope (DOMAIN.md "The envelope"), made before anything is
 * written. The per-type contract is `@liuhen/schema`'s, plugged in through `LedgerOptions.validate`.
 */
import { JSON_EXPANSION, LedgerError, MAX_ENTRY_BYTES, MAX_EVENT_JSON_BYTES, maxEntrySize, showText, type Event } from '@liuhen/core'

/** Largest event accepted, as UTF-8 JSON of what was submitted: core's `MAX_EVENT_JSON_BYTES`. */
export const DEFAULT_MAX_EVENT_BYTES = MAX_EVENT_JSON_BYTES

/** ` (id …)` for a message: the id escaped and truncated, as it comes from input. */
export const idNote = (id: unknown): string => (typeof id === 'string' ? ` (id ${showText(id)})` : '')

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/

function refuse(position: number, path: string, problem: string, id?: unknown): never {
  throw new LedgerError('INPUT_INVALID', `event ${position}${idNote(id)}: ${showText(path)}: ${problem}`, { position, path })
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0

/** True when `at` is an RFC 3339 time with an offset that names a real instant. */
export function isRfc3339(at: unknown): at is string {
  return typeof at === 'string' && RFC3339.test(at) && !Number.isNaN(Date.parse(at))
}

/**
 * Checks the envelope of the event at `position` of its batch and returns it typed. Throws
 * `INPUT_INVALID` naming the position and the field path.
 */
export function checkEnvelope(value: unknown, position: number): Event {
  if (!isObject(value)) refuse(position, '(event)', 'must be a JSON object')
  const { id, type, at, actor, refs, data } = value
  if (!isText(id)) refuse(position, 'id', 'must be a non-empty string', id)
  if (!isText(type)) refuse(position, 'type', 'must be a non-empty string', id)
  if (!isRfc3339(at)) refuse(position, 'at', 'must be an RFC 3339 time with an offset', id)
  if (!isObject(actor)) refuse(position, 'actor', 'must be an object', id)
  if (!isText(actor['dept'])) refuse(position, 'actor.dept', 'must be a non-empty string', id)
  if (refs !== undefined) {
    if (!isObject(refs)) refuse(position, 'refs', 'must be an object of names to ids', id)
    for (const [name, target] of Object.entries(refs)) {
      const ok = isText(target) || (Array.isArray(target) && target.length > 0 && target.every(isText))
      if (!ok) refuse(position, `refs.${name}`, 'must be an id or a non-empty list of ids', id)
    }
  }
  if (!isObject(data)) refuse(position, 'data', 'must be an object', id)
  return value as unknown as Event
}

/**
 * The size of the event at `position` as JSON text, or an upper bound of it within the limit,
 * from its canonical bytes (`encoded`): JSON text is at most `JSON_EXPANSION` times longer, so
 * only an event near the limit is ever written out as JSON to be measured. Throws
 * `INPUT_TOO_LARGE` over `maxBytes`.
 */
export function checkSize(event: Event, encoded: Uint8Array, position: number, maxBytes = DEFAULT_MAX_EVENT_BYTES): number {
  const bound = JSON_EXPANSION * encoded.length + 16
  if (bound <= maxBytes) return bound
  const size = Buffer.byteLength(JSON.stringify(event), 'utf8')
  if (size > maxBytes) {
    throw new LedgerError('INPUT_TOO_LARGE', `event ${position}${idNote(event.id)}: ${size} bytes exceeds the limit of ${maxBytes}`, { position, path: '(event)', size, limit: maxBytes })
  }
  return size
}

/**
 * Refuses the event at `position` unless its entry fits `MAX_ENTRY_BYTES` (the tlog-tiles entry
 * limit) with every reference resolved (`maxEntrySize`), so every accepted event has an entry a
 * reader of the format takes. Throws `INPUT_TOO_LARGE`.
 */
export function checkEntrySize(event: Event, encoded: Uint8Array, refs: readonly { name: string; id: string }[], position: number): void {
  const size = maxEntrySize(encoded.length, refs)
  if (size <= MAX_ENTRY_BYTES) return
  const message = `event ${position}${idNote(event.id)}: its entry would take up to ${size} bytes, over the entry limit of ${MAX_ENTRY_BYTES}`
  throw new LedgerError('INPUT_TOO_LARGE', message, { position, path: '(event)', size, limit: MAX_ENTRY_BYTES })
}
