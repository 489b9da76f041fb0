/**
 * Turns Ajv's first error into a {@link ValidationIssue}: a dotted path into the event and a
 * message written for the person who submitted it.
 */
import type { ErrorObject } from 'ajv'
import { DEFINITION_MESSAGES, definitions, type DefinitionName } from '../schemas/defs.js'
import type { JsonSchema } from '../schemas/index.js'
import type { ValidationIssue } from '../validate.js'

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/
// Which shared definition a failing keyword belongs to, by identity of its schema object:
// Ajv reports `schemaPath` relative to the function it compiled, and it compiles definitions
// holding a `$ref` as functions of their own, so the path alone may not name the definition.
const DEFINITION_OF = new Map<unknown, DefinitionName>(Object.entries(definitions).map(([name, schema]) => [schema, name as DefinitionName]))
const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
}

/**
 * The issue for Ajv's error `error` (compiled with `verbose: true`, for `parentSchema`), found
 * validating `event` against `schema`.
 */
export function issueFromError(error: ErrorObject, event: unknown, schema: JsonSchema): ValidationIssue {
  const segments = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map(unescapePointer)
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'required') segments.push(String(params['missingProperty']))
  if (error.keyword === 'additionalProperties') segments.push(String(params['additionalProperty']))
  return { code: 'SCHEMA_INVALID', path: formatPath(segments, event), message: messageOf(error, params, schema) }
}

/**
 * Dotted path of a field: `data.items[0].name`; keys that are not identifiers are quoted
 * (`refs["two words"]`); `''` is the event itself. Whether a segment is an array index is
 * read from the event, since a JSON pointer cannot tell `/0` of a list from key `"0"`.
 */
export function formatPath(segments: readonly string[], event: unknown): string {
  let path = ''
  let node: unknown = event
  for (const seg of segments) {
    if (Array.isArray(node)) path += `[${seg}]`
    else if (IDENTIFIER.test(seg)) path += path === '' ? seg : `.${seg}`
    else path += `[${JSON.stringify(seg)}]`
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined
  }
  return path
}

function messageOf(error: ErrorObject, params: Record<string, unknown>, schema: JsonSchema): string {
  switch (error.keyword) {
    case 'required':
      return `is required${conditionOf(error.schemaPath, schema)}`
    case 'additionalProperties':
      return error.instancePath === '' ? 'is not an envelope field (platform fields belong in data or actor)' : 'is not allowed'
  }
  // A value that fails a shared definition gets that definition's message, whichever keyword.
  const def = DEFINITION_OF.get(error.parentSchema)
  if (def !== undefined) return DEFINITION_MESSAGES[def]
  switch (error.keyword) {
    case 'type': {
      const types = ([] as unknown[]).concat(params['type']).map((t) => TYPE_NAMES[String(t)] ?? String(t))
      return `must be ${types.join(' or ')}`
    }
    case 'enum':
      return `must be one of: ${(params['allowedValues'] as unknown[]).map(String).join(', ')}`
    case 'const':
      return `must be ${JSON.stringify(params['allowedValue'])}`
    case 'minItems':
      return `must have at least ${String(params['limit'])} item${params['limit'] === 1 ? '' : 's'}`
    case 'maxItems':
      return `must have at most ${String(params['limit'])} item${params['limit'] === 1 ? '' : 's'}`
    default:
      return error.message ?? `fails ${error.keyword}`
  }
}

/**
 * ` when sharing is conditional` for a `required` that failed inside a `then` whose `if` tests
 * one field against a constant (see `requiredWhen` in schemas/defs.ts); `''` otherwise.
 */
function conditionOf(schemaPath: string, schema: JsonSchema): string {
  const at = schemaPath.lastIndexOf('/then/')
  if (at < 0) return ''
  const parent = resolvePointer(schema, schemaPath.slice(2, at))
  const cond = (parent as { if?: { properties?: Record<string, { const?: unknown }> } } | undefined)?.if?.properties
  const [field, test] = Object.entries(cond ?? {})[0] ?? []
  return field === undefined || test?.const === undefined ? '' : ` when ${field} is ${String(test.const)}`
}

function resolvePointer(root: unknown, pointer: string): unknown {
  let node = root
  for (const seg of pointer.split('/').map(unescapePointer)) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[seg]
  }
  return node
}

function unescapePointer(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~')
}
