import { describe, expect, it } from 'vitest'
import { FindingsEngine } from '../src/index.js'
import { withAccesses } from './support/bulk.js'
import { buildLedger, readEvents } from './support/ledger.js'

const events = readEvents(new URL('./fixtures/scenario.jsonl', import.meta.url))

describe('findings throughput (slow)', () => {
  it('takes 1,000,000 accesses in under 30 s', async () => {
    const { entries } = await buildLedger(events)
    const all = withAccesses(entries, 1_000_000)
    const engine = new FindingsEngine()
    const start = performance.now()
    for (const e of all) engine.add(e)
    const fs = engine.finish('2026-07-05T10:00:00+08:00')
    const ms = performance.now() - start
    console.log(`findings: ${all.length} entries in ${ms.toFixed(0)} ms (${Math.round(all.length / (ms / 1000))}/s), ${fs.length} findings`)
    expect(fs.filter((f) => f.code === 'ACCESS_NO_GRANT' && f.event.startsWith('bulk-'))).toHaveLength(1000)
    expect(ms).toBeLessThan(30_000)
  })
})
