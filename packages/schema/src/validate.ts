/**
 * Validation of submitted events against the published schemas. The validators are Ajv's
 * standalone code, generated ahead of time into `generated/validators.ts` (strict mode, first
 * error only: this is on the append path), so importing the package compiles nothing.
 */
import { MAX_EVENT_JSON_BYTES, showText } from '@liuhen/core'
import { SchemaError, type SchemaErrorCode } from './error.js'
import { validators, type StandaloneValidator } from './generated/validators.js'
import { issueFromError } from './internal/issue.js'
import { schemas, type JsonSchema } from './schemas/index.js'
import { EVENT_TYPES, type EventType } from './vocabulary.js'

/** Default size limit of one event: 64 KiB of its UTF-8 JSON (core's `MAX_EVENT_JSON_BYTES`). */
export const DEFAULT_MAX_EVENT_BYTES = MAX_EVENT_JSON_BYTES

/** Why an event was refused. */
export interface ValidationIssue {
  /** `SCHEMA_UNKNOWN_TYPE` when `type` names no type of the contract, else `SCHEMA_INVALID`. */
  readonly code: Exclude<SchemaErrorCode, 'SCHEMA_TOO_LARGE'>
  /** Dotted path of the field: `data.items[0].name`, `actor.person`; `''` for the event itself. */
  readonly path: string
  /** What is wrong, e.g. `must be a non-negative integer`. */
  readonly message: string
}

/** Options of {@link assertEventBatch}. */
export interface BatchOptions {
  /** Largest event accepted, in bytes of its UTF-8 JSON; default {@link DEFAULT_MAX_EVENT_BYTES}. */
  readonly maxBytes?: number
  /**
   * Byte length of each event as submitted (its JSON Lines line, say), index for index; when
   * given, used instead of measuring {@link eventByteLength}, which re-serialises each event.
   */
  readonly sizes?: readonly number[]
}

// A Map, not the record: `type` is attacker-controlled and may be `__proto__` or `toString`.
const byType: ReadonlyMap<string, StandaloneValidator> = new Map(EVENT_TYPES.map((t) => [t, validators[t]]))
const validateEnvelope = validators.envelope
const KNOWN: ReadonlySet<string> = new Set(EVENT_TYPES)

/** True when `value` is one of {@link EVENT_TYPES}. */
export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && KNOWN.has(value)
}

/**
 * Checks one event against the envelope and its type's schema; returns the first issue found,
 * or `undefined` when the event is valid. Does not check the size (see {@link eventByteLength})
 * nor references (missing refs are findings, not input errors).
 *
 * @example
 * validateEvent({ ...access, data: { ...access.data, rows: -1 } })
 * // { code: 'SCHEMA_INVALID', path: 'data.rows', message: 'must be a non-negative integer' }
 */
export function validateEvent(event: unknown): ValidationIssue | undefined {
  const type = event !== null && typeof event === 'object' ? (event as { type?: unknown }).type : undefined
  const validate = typeof type === 'string' ? byType.get(type) : undefined
  if (validate !== undefined) {
    return validate(event) ? undefined : firstIssue(validate, event, schemas[type as EventType])
  }
  if (typeof type === 'string') {
    const shown = `"${showText(type, 64)}"`
    return { code: 'SCHEMA_UNKNOWN_TYPE', path: 'type', message: `is not an event type of the contract: ${shown}` }
  }
  return validateEnvelope(event) ? undefined : firstIssue(validateEnvelope, event, schemas.envelope)
}

function firstIssue(validate: StandaloneValidator, event: unknown, schema: JsonSchema): ValidationIssue {
  const error = validate.errors?.[0]
  if (error === undefined) return { code: 'SCHEMA_INVALID', path: '', message: 'is not valid' }
  return issueFromError(error, event, schema)
}

/**
 * Size of `event` in bytes of its compact UTF-8 JSON (`JSON.stringify`), or `undefined` when it
 * is not JSON (a cycle, a bigint). Whitespace of the submitted text is not counted.
 */
export function eventByteLength(event: unknown): number | undefined {
  let json: string | undefined
  try {
    json = JSON.stringify(event)
  } catch {
    return undefined
  }
  return json === undefined ? undefined : utf8Length(json)
}

function utf8Length(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    // A surrogate pair is 2 code units and 4 bytes, so each unit above 0x7f adds 1 or 2.
    if (c >= 0x800 && (c < 0xd800 || c > 0xdfff)) n += 2
    else if (c >= 0x80) n += 1
  }
  return n
}

/**
 * Refuses a batch unless every event is valid and within `maxBytes`. The first bad event
 * throws a {@link SchemaError} with `details.position` (0-based), `details.path`, and
 * `details.id` when the event has a usable id:
 * `event 3 (id acc-1): data.rows: must be a non-negative integer`.
 * Throws `TypeError` if `events` is not an array and `RangeError` for a bad `maxBytes` or
 * `sizes` of the wrong length.
 *
 * @example
 * assertEventBatch(lines.map((l) => JSON.parse(l)), { maxBytes: 32 * 1024 })
 */
export function assertEventBatch(events: readonly unknown[], options: BatchOptions = {}): void {
  if (!Array.isArray(events)) throw new TypeError('events must be an array')
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_EVENT_BYTES
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new RangeError(`maxBytes must be a positive integer, got ${String(maxBytes)}`)
  const sizes = options.sizes
  if (sizes !== undefined && sizes.length !== events.length) throw new RangeError('sizes must have one entry per event')
  events.forEach((event: unknown, position) => {
    const size = sizes === undefined ? eventByteLength(event) : givenSize(sizes[position])
    if (size === undefined) throw batchError('SCHEMA_INVALID', position, event, '', 'is not a JSON value')
    if (size > maxBytes) {
      throw batchError('SCHEMA_TOO_LARGE', position, event, '', `is ${size} bytes, over the limit of ${maxBytes}`, { size, maxBytes })
    }
    const issue = validateEvent(event)
    if (issue !== undefined) throw batchError(issue.code, position, event, issue.path, issue.message)
  })
}

function givenSize(size: number | undefined): number {
  if (size === undefined || !Number.isSafeInteger(size) || size < 0) throw new RangeError(`sizes must be non-negative integers, got ${String(size)}`)
  return size
}

// Control characters are exactly what an id must not hold (they garble reports and logs).
// eslint-disable-next-line no-control-regex
const SAFE_ID = /^[^\x00-\x1F\x7F-\x9F]{1,128}$/

function batchError(code: SchemaErrorCode, position: number, event: unknown, path: string, message: string, extra: Record<string, unknown> = {}): SchemaError {
  const id = event !== null && typeof event === 'object' ? (event as { id?: unknown }).id : undefined
  // The id and the path's keys are attacker-controlled: the id is shown only when it is a
  // printable id of sane length, and both are escaped and truncated.
  const usable = typeof id === 'string' && SAFE_ID.test(id)
  const where = `event ${position}${usable ? ` (id ${showText(id)})` : ''}`
  const text = `${where}: ${path === '' ? '' : `${showText(path)}: `}${message}`
  return new SchemaError(code, text, { position, path, ...(usable ? { id } : {}), ...extra })
}
