import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { VALIDATORS_FILE, renderValidatorModule, writeValidatorModule } from '../scripts/standalone.js'

if (process.env['UPDATE_SCHEMAS'] === '1') writeValidatorModule()

describe('generated validators module', () => {
  it('matches what the schemas produce (regenerate with UPDATE_SCHEMAS=1)', () => {
    expect(readFileSync(VALIDATORS_FILE, 'utf8')).toBe(renderValidatorModule())
  })
})
