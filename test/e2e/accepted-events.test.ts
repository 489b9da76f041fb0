/**
 * No accepted event may break a tool (short run; accepted-events.slow.test.ts is the wide one):
 * events at the limits and with odd Unicode that the append path accepts are read back,
 * verified, bundled, queried and rendered by every command.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { MAX_EVENT_DEPTH } from '@liuhen/core'
import { acceptedLines, checkEveryCommand, eventsOf, plans } from './accepted-events.js'
import { ensureBuilt } from './helpers.js'

beforeAll(() => ensureBuilt(), 120_000)

describe('accepted events', { timeout: 120_000 }, () => {
  it('every command reads every event the append path accepts, at the limits too', async () => {
    await fc.assert(
      fc.asyncProperty(plans(6, 4), async (plan) => {
        // Always some at the limits: the deepest nesting with the largest entry and a long odd
        // id (accepted), one level deeper (refused), 80 deep (refused; it broke the readers).
        const limit = `x-\u202e😀${'部'.repeat(120)}`
        plan.copies.push({ of: 43, id: limit, value: 'v', pad: -1, levels: MAX_EVENT_DEPTH })
        plan.copies.push({ of: 44, id: 'too-deep', value: 'v', pad: 0, levels: MAX_EVENT_DEPTH + 1 })
        plan.copies.push({ of: 45, id: 'far-too-deep', value: 'v', pad: 0, levels: 80 })
        const lines = await acceptedLines(eventsOf(plan))
        const ids = lines.map((l) => (JSON.parse(l) as { id: string }).id)
        const n = plan.copies.length
        expect(ids).toContain(`${limit}-${n - 3}`)
        expect(ids).not.toContain(`too-deep-${n - 2}`)
        expect(ids).not.toContain(`far-too-deep-${n - 1}`)
        checkEveryCommand(lines, [`${limit}-${n - 3}`, ids[43] as string])
      }),
      { numRuns: 1, endOnFailure: true },
    )
  })
})
