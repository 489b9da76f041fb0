import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { EVENT_TYPES, REF_NAMES, SCHEMA_DIALECT, schemas } from '@liuhen/schema'
import { SCHEMA_DIR, renderSchemaFiles, writeSchemaFiles } from '../scripts/emit.js'
import { loadSamples } from './fixtures.js'

if (process.env['UPDATE_SCHEMAS'] === '1') writeSchemaFiles()

describe('published schema files', () => {
  const files = renderSchemaFiles()

  it('are exactly one per event type plus the envelope', () => {
    expect([...files.keys()].sort()).toEqual(['envelope', ...EVENT_TYPES].map((n) => `${n}.schema.json`).sort())
    expect(
      readdirSync(SCHEMA_DIR)
        .filter((n) => n.endsWith('.json'))
        .sort(),
    ).toEqual([...files.keys()].sort())
  })

  it.each([...files.keys()])('%s matches the TypeScript schema object (regenerate with UPDATE_SCHEMAS=1)', (name) => {
    expect(readFileSync(join(SCHEMA_DIR, name), 'utf8')).toBe(files.get(name))
  })

  // What a platform in another language does: load one file, on its own, and validate.
  it('validate the samples on their own, with a fresh validator', () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true })
    addFormats.default(ajv, ['date-time'])
    const load = (name: string) => ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.schema.json`), 'utf8')))
    const envelope = load('envelope')
    const byType = new Map(EVENT_TYPES.map((t) => [t, load(t)]))
    for (const e of loadSamples()) {
      expect(envelope(e), e.id).toBe(true)
      expect(byType.get(e.type as (typeof EVENT_TYPES)[number])!(e), e.id).toBe(true)
    }
    const bad = { ...loadSamples()[0]!, at: '2026-01-05T09:00:00' }
    expect(envelope(bad)).toBe(false)
  })

  it('declare draft-07 and a versioned $id', () => {
    for (const [name, s] of Object.entries(schemas)) {
      expect(s['$schema']).toBe(SCHEMA_DIALECT)
      expect(s['$id']).toBe(`urn:liuhen:schema:event:v1:${name}`)
    }
  })

  it('are frozen', () => {
    expect(Object.isFrozen(schemas['access.performed'])).toBe(true)
    expect(Object.isFrozen((schemas['access.performed']['properties'] as Record<string, unknown>)['data'])).toBe(true)
  })

  it('document the ref names of each type, none required', () => {
    for (const type of EVENT_TYPES) {
      const refs = (schemas[type]['properties'] as Record<string, Record<string, unknown>>)['refs']!
      const names = REF_NAMES[type]
      expect(Object.keys(refs['properties'] as object).sort()).toEqual([...names.required, ...names.optional, ...names.exactlyOne].sort())
      expect(refs['required']).toBeUndefined()
    }
    expect(REF_NAMES['grant.issued']).toEqual({ required: ['request'], optional: [], exactlyOne: ['reply', 'agreement', 'endorsement', 'binding', 'catalogue'] })
    expect(REF_NAMES['access.performed']).toEqual({ required: ['grant'], optional: ['version'], exactlyOne: [] })
  })
})
