import { describe, expect, it } from 'vitest'
import { FindingsEngine, StatsEngine } from '../src/index.js'
import { withAccesses } from './support/bulk.js'
import { buildLedger, readEvents } from './support/ledger.js'

const events = readEvents(new URL('./fixtures/scenario.jsonl', import.meta.url))

describe('findings throughput', () => {
  it('takes 100,000 accesses in well under 3 s, with no state per access', async () => {
    const { entries } = await buildLedger(events)
    const all = withAccesses(entries, 100_000)
    const engine = new FindingsEngine()
    const stats = new StatsEngine()
    const start = performance.now()
    for (const e of all) {
      engine.add(e)
      stats.add(e)
    }
    const fs = engine.finish('2026-07-05T10:00:00+08:00')
    const ms = performance.now() - start
    expect(fs.filter((f) => f.event.startsWith('bulk-') && f.code === 'ACCESS_NO_GRANT')).toHaveLength(100)
    expect(stats.result().byMechanism.unknown?.accesses).toBeGreaterThanOrEqual(100)
    expect(ms).toBeLessThan(3_000)
  })
})
