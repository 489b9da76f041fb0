/** One size of benchmarks/queries.mjs: `queries.mjs --child <events> <dir>`; one JSON line out. */
import { join } from 'node:path'
import { Ledger } from '@liuhen/ledger'
import { FindingsEngine, indexEntry, queryAccesses, StatsEngine } from '@liuhen/query'
import { simulate } from '@liuhen/sim'
import { percentile, timed } from './measure.mjs'

const n = Number(process.argv[3])
const dir = process.argv[4]
const log = (s) => process.stderr.write(`    [${n}] ${s}\n`)

// A district makes about 110,000 events a working day at full volume: enough days for `n`.
const sim = simulate({ seed: 'bench', days: Math.max(2, Math.ceil((n / 80_000) * 1.4)), accessScale: 1 })
const ledger = await Ledger.create(join(dir, 'ledger'), { origin: 'bench.example/queries', indexer: indexEntry })
const sample = []
let batch = []
let appendMs = 0
let seen = 0
for (const event of sim) {
  batch.push(event)
  if (event.type === 'access.performed' && event.data.recordDigests?.length && seen++ % 997 === 0) sample.push({ resource: event.data.resource, digest: event.data.recordDigests[0] })
  if (batch.length === 1000 || ledger.size + batch.length >= n) {
    appendMs += (await timed(() => ledger.appendBatch(batch))).ms
    batch = []
    if (ledger.size >= n) break
  }
}
log(`appended ${ledger.size} events (${Math.round((ledger.size / appendMs) * 1000)}/s)`)

const picks = sample.sort((a, b) => (a.digest < b.digest ? -1 : 1)).slice(0, 500)
const latencies = []
let hits = 0
for (const { resource, digest } of picks) {
  const { ms, value } = await timed(() => queryAccesses(ledger.store, { resource, recordDigest: digest }))
  if (value.length === 0) throw new Error(`record ${digest} of ${resource} was accessed but the lookup found nothing`)
  hits += value.length
  latencies.push(ms)
}

const findings = await timed(async () => {
  const engine = new FindingsEngine()
  for await (const { entry } of ledger.entries()) engine.add(entry)
  return engine.finish()
})
const stats = await timed(async () => {
  const engine = new StatsEngine()
  for await (const { entry } of ledger.entries()) engine.add(entry)
  return engine.result()
})
log(`findings ${findings.value.length} in ${(findings.ms / 1000).toFixed(1)} s`)
await ledger.close()
process.stdout.write(
  `${JSON.stringify({
    events: ledger.size,
    appendPerSec: (ledger.size / appendMs) * 1000,
    lookupP50Ms: latencies.length ? percentile(latencies, 0.5) : null,
    lookupP99Ms: latencies.length ? percentile(latencies, 0.99) : null,
    meanHits: picks.length ? hits / picks.length : null,
    findingsMs: findings.ms,
    findings: findings.value.length,
    statsMs: stats.ms,
    maxRss: process.resourceUsage().maxRSS * 1024,
  })}\n`,
)
