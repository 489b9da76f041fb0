/** The long fuzz run: `npx vitest run --config vitest.slow.config.ts packages/verify`. */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Bundle } from '../src/index.js'
import { rejectsBundle } from './support/reject.js'
import { properties, world, type FuzzWorld } from './support/fuzz.js'
import { flipBits } from '../../../test/support/bytes.js'

let w: FuzzWorld
beforeAll(async () => {
  w = await world()
})

describe('hostile input (long run)', () => {
  it('every property, 20,000 runs each', async () => {
    for (const p of properties(w, 20_000)) await p.run()
  })

  it('every single-bit flip of the frozen bundle fixture is refused', () => {
    const text = readFileSync(fileURLToPath(new URL('../../../test/vectors/bundles/liuhen-bundle-1.json', import.meta.url)), 'utf8')
    const { vkey } = JSON.parse(text) as Bundle
    const bytes = Buffer.from(text, 'utf8')
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = Buffer.from(bytes)
      flipBits(flipped, bit >> 3, 1 << (bit & 7))
      expect(rejectsBundle(flipped.toString('utf8'), vkey), `bit ${bit}`).toBe(true)
    }
  })
})
