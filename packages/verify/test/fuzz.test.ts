/** Bounded fuzzing for CI (well under 20 s); the long run is fuzz.slow.test.ts. */
import { beforeAll, describe, it } from 'vitest'
import { properties, world, type FuzzWorld } from './support/fuzz.js'

let w: FuzzWorld
beforeAll(async () => {
  w = await world()
})

describe('hostile input (CI run)', () => {
  for (const name of [
    'bundle: random text and JSON',
    'bundle: random values',
    'bundle: mutated text never verifies',
    'bundle: fields replaced with anything',
    'note and checkpoint: random text',
    'note, checkpoint, cosignature: mutated signed notes',
    'entry: random bytes',
    'entry: mutated entries',
    'audit: a lying store gives a report, never a throw or a hang',
  ]) {
    it(name, async () => {
      const prop = properties(w, 200).find((p) => p.name === name)
      await prop?.run()
    })
  }
})
