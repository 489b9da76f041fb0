/**
 * The wide run of accepted-events.test.ts: many random logs, each with more extra fields and
 * events, deeper values, at and past every limit; every accepted event must be read by every
 * command. `pnpm test:slow`; FC_SEED and FC_RUNS repeat or widen a run.
 */
import fc from 'fast-check'
import { beforeAll, describe, it } from 'vitest'
import { acceptedLines, checkEveryCommand, eventsOf, plans } from './accepted-events.js'
import { ensureBuilt } from './helpers.js'

beforeAll(() => ensureBuilt(), 120_000)

describe('accepted events, wide', () => {
  it('every command reads every event the append path accepts', async () => {
    const seed = process.env['FC_SEED'] === undefined ? undefined : Number(process.env['FC_SEED'])
    await fc.assert(
      fc.asyncProperty(plans(40, 8), async (plan) => {
        const lines = await acceptedLines(eventsOf(plan))
        const ids = lines.map((l) => (JSON.parse(l) as { id: string }).id)
        // The chains of the extra events (the newest lines) and of a sample access.
        checkEveryCommand(lines, [...ids.slice(-3), ids[50] as string])
      }),
      { numRuns: Number(process.env['FC_RUNS'] ?? 12), endOnFailure: true, ...(seed === undefined ? {} : { seed }) },
    )
  })
})
