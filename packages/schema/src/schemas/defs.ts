/**
 * Shared building blocks of the event schemas (JSON Schema draft-07). Every published schema
 * file is self-contained: it carries these definitions under `definitions`, so a Java or Go
 * validator needs no cross-file `$ref` resolution.
 *
 * Patterns use only syntax common to ECMA-262, java.util.regex and Go's RE2 (no lookaround,
 * `\x` escapes rather than `\u`), so every platform refuses the same strings.
 */

/** Longest event id, person id, resource id or other key, in UTF-16 code units. */
export const MAX_ID_LENGTH = 128

/** Letters, digits and most punctuation; no C0/C1 control characters. */
const NO_CONTROL = '^[^\\x00-\\x1F\\x7F-\\x9F]+$'

/**
 * RFC 3339 `date-time` with a mandatory offset (`Z` or `±hh:mm`), upper-case `T` and `Z`.
 * The `date-time` format (checked by Ajv with ajv-formats) adds calendar checks such as
 * 2026-02-30 and leap seconds; the pattern alone already refuses offsetless times.
 */
const RFC3339 =
  '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$'

/** Definitions carried by every schema file. */
export const definitions = {
  eventId: {
    description: 'An event id: non-empty, no control characters.',
    type: 'string',
    minLength: 1,
    maxLength: MAX_ID_LENGTH,
    pattern: NO_CONTROL,
  },
  key: {
    description: 'An identifier (person, resource, task, data item): non-empty, no control characters.',
    type: 'string',
    minLength: 1,
    maxLength: MAX_ID_LENGTH,
    pattern: NO_CONTROL,
  },
  deptId: {
    description: 'A department id: dot-separated segments of letters, digits, "-" and "_", e.g. district.civil-affairs.',
    type: 'string',
    maxLength: MAX_ID_LENGTH,
    pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9][A-Za-z0-9_-]*)*$',
  },
  text: { description: 'Free text, non-empty.', type: 'string', minLength: 1 },
  time: {
    description: 'RFC 3339 date-time with offset, e.g. 2026-03-02T09:15:04+08:00.',
    type: 'string',
    pattern: RFC3339,
    format: 'date-time',
  },
  digest: {
    description: 'SHA-256 or HMAC-SHA-256 output: 64 lowercase hex characters.',
    type: 'string',
    pattern: '^[0-9a-f]{64}$',
  },
  count: { description: 'A non-negative integer.', type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
  flag: { type: 'boolean' },
  keys: {
    description: 'A non-empty list of identifiers (data items, resources).',
    type: 'array',
    minItems: 1,
    items: { $ref: '#/definitions/key' },
  },
  refValue: {
    description: 'An event id, or a non-empty list of event ids.',
    type: ['string', 'array'],
    minLength: 1,
    maxLength: MAX_ID_LENGTH,
    pattern: NO_CONTROL,
    minItems: 1,
    items: { $ref: '#/definitions/eventId' },
  },
  actor: {
    description: 'Who acted: dept required; person and role optional; other fields kept.',
    type: 'object',
    required: ['dept'],
    properties: {
      dept: { $ref: '#/definitions/deptId' },
      person: { $ref: '#/definitions/key' },
      role: { $ref: '#/definitions/text' },
    },
  },
  personActor: {
    description: 'Who acted, where a person acted: dept and person required.',
    type: 'object',
    required: ['dept', 'person'],
    properties: {
      dept: { $ref: '#/definitions/deptId' },
      person: { $ref: '#/definitions/key' },
      role: { $ref: '#/definitions/text' },
    },
  },
} as const

/** Name of one shared definition. */
export type DefinitionName = keyof typeof definitions

/**
 * Messages for a value that fails a shared definition, whichever keyword failed: one message
 * per kind of value reads better than Ajv's keyword messages ("must be >= 0").
 */
export const DEFINITION_MESSAGES: Readonly<Record<DefinitionName, string>> = {
  eventId: `must be a non-empty event id of at most ${MAX_ID_LENGTH} characters, without control characters`,
  key: `must be a non-empty identifier of at most ${MAX_ID_LENGTH} characters, without control characters`,
  deptId: 'must be a dotted department id (e.g. district.civil-affairs)',
  text: 'must be a non-empty string',
  time: 'must be an RFC 3339 date-time with offset (e.g. 2026-03-02T09:15:04+08:00)',
  digest: 'must be 64 lowercase hex characters',
  count: 'must be a non-negative integer',
  flag: 'must be a boolean',
  keys: 'must be a non-empty list of identifiers',
  refValue: 'must be an event id or a non-empty list of event ids',
  actor: 'must be an object',
  personActor: 'must be an object',
}

/** `{ $ref }` to a shared definition. */
export const ref = <N extends DefinitionName>(name: N) => ({ $ref: `#/definitions/${name}` }) as const

/** A closed list of strings. */
export const oneOf = <const V extends readonly string[]>(values: V) => ({ type: 'string', enum: values }) as const

/**
 * `then` part of a conditional requirement: `field` is required (and is the given schema) when
 * `on` equals `value`. Declaring `field` under `properties` again keeps Ajv's strictRequired
 * satisfied and documents the field at the place it is required.
 */
export function requiredWhen<F extends string, S>(on: string, value: string, field: F, schema: S) {
  return {
    if: { properties: { [on]: { const: value } }, required: [on] },
    then: { properties: { [field]: schema } as { [K in F]: S }, required: [field] },
  } as const
}

/** An object schema with its required names and property schemas; other properties allowed. */
export function object<const R extends readonly string[], const P extends Readonly<Record<string, unknown>>>(required: R, properties: P) {
  return { type: 'object', required, properties } as const
}

/** A non-empty array of `items`. */
export function listOf<const S>(items: S) {
  return { type: 'array', minItems: 1, items } as const
}
