/**
 * The published schemas: one per event type, each validating a whole event of that type, and
 * `envelope`, validating what all events share. Each is a self-contained JSON Schema draft-07
 * document, emitted verbatim to `schemas/<name>.schema.json`.
 */
import { deepFreeze } from '../internal/freeze.js'
import { REF_NAMES, type RefNames } from '../refs.js'
import { EVENT_TYPES, PERSON_TYPES, type EventType } from '../vocabulary.js'
import { auditData } from './audit.js'
import { catalogueData } from './catalogue.js'
import { definitions, ref } from './defs.js'
import { grantData } from './grant.js'
import { incidentData } from './incident.js'
import { registryData } from './registry.js'
import { requestData } from './request.js'

/** The `data` schema of every event type (literal types, for the type-level sync checks). */
export const DATA_SCHEMAS = {
  ...registryData,
  ...catalogueData,
  ...requestData,
  ...grantData,
  ...incidentData,
  ...auditData,
} as const satisfies Record<EventType, unknown>

/** A JSON Schema document as a plain, frozen JSON object. */
export type JsonSchema = Readonly<Record<string, unknown>>

/** Name of a published schema: an event type, or `envelope`. */
export type SchemaName = 'envelope' | EventType

/** `$schema` of every published file. */
export const SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#'

/** `$id` prefix of every published file; the schema name follows. */
export const SCHEMA_ID_PREFIX = 'urn:liuhen:schema:event:v1:'

/** Envelope fields; anything else at the top level is refused (a likely typo of `refs`). */
const ENVELOPE_REQUIRED = ['id', 'type', 'at', 'actor', 'data'] as const

function refsSchema(names: RefNames): JsonSchema {
  const doc = (name: string): string =>
    names.required.includes(name)
      ? 'expected; its absence is a finding, not an input error'
      : names.exactlyOne.includes(name)
        ? `one basis of: ${names.exactlyOne.join(', ')}`
        : 'optional'
  const known = [...names.required, ...names.exactlyOne, ...names.optional]
  return {
    description: 'Named references to earlier events by id. None is required by the schema; unknown names are kept.',
    type: 'object',
    properties: Object.fromEntries(known.map((n) => [n, { description: doc(n), ...ref('refValue') }])),
    additionalProperties: ref('refValue'),
  }
}

function eventSchema(type: EventType): JsonSchema {
  const person = (PERSON_TYPES as readonly string[]).includes(type)
  return {
    $schema: SCHEMA_DIALECT,
    $id: SCHEMA_ID_PREFIX + type,
    title: type,
    description: `One ${type} event of the Liuhen event contract, version 1.${person ? ' A person acted: actor.person is required.' : ''}`,
    type: 'object',
    required: ENVELOPE_REQUIRED,
    additionalProperties: false,
    properties: {
      id: ref('eventId'),
      type: { const: type },
      at: ref('time'),
      actor: ref(person ? 'personActor' : 'actor'),
      refs: refsSchema(REF_NAMES[type]),
      data: DATA_SCHEMAS[type],
    },
    definitions,
  }
}

const envelopeSchema: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: `${SCHEMA_ID_PREFIX}envelope`,
  title: 'envelope',
  description:
    'What every event of the Liuhen event contract, version 1, shares. Validate against the schema named by `type` for the full check.',
  type: 'object',
  required: ENVELOPE_REQUIRED,
  additionalProperties: false,
  properties: {
    id: ref('eventId'),
    type: { type: 'string', enum: EVENT_TYPES },
    at: ref('time'),
    actor: ref('actor'),
    refs: refsSchema({ required: [], optional: [], exactlyOne: [] }),
    data: { type: 'object' },
  },
  definitions,
}

/**
 * Every published schema by name (`envelope` and each event type), deeply frozen. The file
 * `schemas/<name>.schema.json` is `JSON.stringify(schemas[name], null, 2)` plus a newline.
 *
 * @example
 * new Ajv().compile(schemas['access.performed'])
 */
export const schemas: Readonly<Record<SchemaName, JsonSchema>> = deepFreeze({
  envelope: envelopeSchema,
  ...(Object.fromEntries(EVENT_TYPES.map((t) => [t, eventSchema(t)])) as Record<EventType, JsonSchema>),
})
