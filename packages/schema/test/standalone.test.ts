import { readFileSync } from 'node:fs'
import type { ErrorObject } from 'ajv'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EVENT_TYPES, LEVELS, SHARING, STORAGE, schemas, validateEvent, type SchemaName } from '@liuhen/schema'
import { VALIDATORS_FILE, compileValidators, renderValidatorModule, writeValidatorModule } from '../scripts/standalone.js'
import { validators } from '../src/generated/validators.js'
import { issueFromError } from '../src/internal/issue.js'
import { loadSamples, type Sample } from './fixtures.js'

if (process.env['UPDATE_SCHEMAS'] === '1') writeValidatorModule()

const NAMES = Object.keys(schemas) as SchemaName[]
const samples = loadSamples()
const runtime = compileValidators()

describe('generated validators module', () => {
  it('matches what the schemas produce (regenerate with UPDATE_SCHEMAS=1)', () => {
    expect(readFileSync(VALIDATORS_FILE, 'utf8')).toBe(renderValidatorModule())
  })

  it('loads only the schemas, node:module, and runtime helpers of its own dependencies', () => {
    const text = readFileSync(VALIDATORS_FILE, 'utf8')
    const loaded = [...text.matchAll(/^import .* from '([^']+)'$|require\("([^"]+)"\)/gm)].map((m) => m[1] ?? m[2])
    expect(new Set(loaded)).toEqual(new Set(['ajv', '../schemas/defs.js', '../schemas/index.js', 'node:module', 'ajv/dist/runtime/ucs2length', 'ajv-formats/dist/formats']))
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> }
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['ajv', 'ajv-formats']))
  })

  it('has one validator per published schema', () => {
    expect(Object.keys(validators).sort()).toEqual([...NAMES].sort())
  })
})

/** What a test compares of Ajv's first error; `parentSchema` by identity, apart. */
function firstError(errors: readonly ErrorObject[] | null | undefined): Record<string, unknown> | undefined {
  const e = errors?.[0]
  if (e === undefined) return undefined
  return { keyword: e.keyword, instancePath: e.instancePath, schemaPath: e.schemaPath, params: e.params, message: e.message, data: e.data }
}

/** Precompiled and runtime-compiled validators of `name` give the same verdict and first error. */
function expectAgreement(name: SchemaName, event: unknown): void {
  const pre = validators[name]
  const run = runtime.get(name)!
  const verdict = pre(event)
  expect(verdict, name).toBe(run(event))
  if (verdict) return
  expect(firstError(pre.errors), name).toEqual(firstError(run.errors))
  // Same object, not a copy: messages name a shared definition by identity (internal/issue.ts).
  expect(pre.errors?.[0]?.parentSchema, name).toBe(run.errors?.[0]?.parentSchema)
}

/** `validateEvent` as it was, on the runtime-compiled validators. */
function referenceIssue(event: Sample): ReturnType<typeof validateEvent> {
  const name = (EVENT_TYPES as readonly string[]).includes(event.type) ? (event.type as SchemaName) : 'envelope'
  const run = runtime.get(name)!
  return run(event) ? undefined : issueFromError(run.errors![0]!, event, schemas[name])
}

describe('precompiled and runtime-compiled validators agree', () => {
  it('on every sample, against every schema', () => {
    for (const event of samples) for (const name of NAMES) expectAgreement(name, event)
  })

  it('on values that are not events', () => {
    for (const value of [null, undefined, 0, 'x', [], {}, [samples[0]], { type: 'access.performed' }]) {
      for (const name of NAMES) expectAgreement(name, value)
    }
  })

  it('on mutations of valid events', () => {
    fc.assert(
      fc.property(fc.nat(samples.length - 1), fc.nat(), mutationArb, (index, pick, mutate) => {
        const event = structuredClone(samples[index]!)
        const nodes = containers(event)
        mutate(nodes[pick % nodes.length]!, event)
        expectAgreement('envelope', event)
        if (typeof event.type === 'string' && schemas[event.type as SchemaName] !== undefined) {
          expectAgreement(event.type as SchemaName, event)
          expect(validateEvent(event)).toEqual(referenceIssue(event))
        }
      }),
      { numRuns: 600, seed: 20261127 },
    )
  })
})

/** Every object and array inside `value`, `value` included. */
function containers(value: unknown, out: (Record<string, unknown> | unknown[])[] = []): (Record<string, unknown> | unknown[])[] {
  if (value !== null && typeof value === 'object') {
    out.push(value as Record<string, unknown> | unknown[])
    for (const v of Object.values(value)) containers(v, out)
  }
  return out
}

type Mutation = (node: Record<string, unknown> | unknown[], event: Sample) => void

const timeArb = fc
  .tuple(
    fc.integer({ min: 1999, max: 2031 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 24 }),
    fc.integer({ min: 0, max: 60 }),
    fc.integer({ min: 0, max: 61 }),
    fc.constantFrom('', '.5', '.123456789', '.1234567890'),
    fc.constantFrom('Z', 'z', '+08:00', '-05:30', '+24:00', '+0800', ''),
    fc.constantFrom('T', 't', ' '),
  )
  .map(([y, mo, d, h, mi, s, frac, off, sep]) => {
    const p = (n: number) => String(n).padStart(2, '0')
    return `${y}-${p(mo)}-${p(d)}${sep}${p(h)}:${p(mi)}:${p(s)}${frac}${off}`
  })

const stringArb = fc.oneof(
  timeArb,
  fc.string({ maxLength: 8 }),
  fc.constantFrom('', 'a\u0000b', 'a\u0085b', 'x'.repeat(128), 'x'.repeat(129), '\u{1F600}'.repeat(100), 'a.b', 'a..b', '-a', 'G'.repeat(64)),
  fc.constantFrom(...EVENT_TYPES, 'access.performd', ...LEVELS, ...SHARING, ...STORAGE),
  fc.stringMatching(/^[0-9a-f]{63,65}$/),
)

const valueArb: fc.Arbitrary<unknown> = fc.oneof(stringArb, fc.constantFrom(-1, 0, 1.5, 2 ** 53, 2 ** 53 - 1, true, null, [], {}), fc.jsonValue({ maxDepth: 2 }))

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  // Replace a field or an item.
  fc.tuple(fc.nat(), valueArb).map(([k, value]): Mutation => (node) => {
    const keys = Object.keys(node)
    if (keys.length > 0) (node as Record<string, unknown>)[keys[k % keys.length]!] = value
  }),
  // Remove a field or an item.
  fc.nat().map((k): Mutation => (node) => {
    const keys = Object.keys(node)
    if (Array.isArray(node)) node.splice(k % Math.max(1, node.length), 1)
    else if (keys.length > 0) delete node[keys[k % keys.length]!]
  }),
  // Add a field (a typo of an envelope name, say) or an item.
  fc.tuple(fc.constantFrom('ref', 'extra', '0', 'two words', 'person', 'role'), valueArb).map(([key, value]): Mutation => (node) => {
    if (Array.isArray(node)) node.push(value)
    else node[key] = value
  }),
  // Another type, the same body: a wrong `data` for that type's schema.
  fc.constantFrom(...EVENT_TYPES).map((type): Mutation => (_, event) => {
    event.type = type
  }),
  // An id near the length limit, counted in code points (Ajv's ucs2length), not UTF-16 units.
  fc.tuple(fc.constantFrom('\u{1F600}', 'x'), fc.integer({ min: 60, max: 130 }), fc.boolean()).map(([c, n, person]): Mutation => (_, event) => {
    if (person) event.actor['person'] = c.repeat(n)
    else event.id = c.repeat(n)
  }),
  // A time of the event.
  timeArb.map((at): Mutation => (_, event) => {
    event.at = at
  }),
)
