#!/usr/bin/env node
/**
 * The durable append path under the V8 profiler, then its top self-time functions:
 *
 *   node benchmarks/profile-append.mjs [events] [batch]
 *
 * Re-runs itself under `node --cpu-prof` (profile in benchmarks/.data/prof) and prints the
 * summary from lib/profile-summary.mjs.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { accessEvents } from './support/events.mjs'
import { openLiuhen } from './lib/liuhen.mjs'
import { removeDir, scratch, timed } from './lib/measure.mjs'
import { summarise } from './lib/profile-summary.mjs'

const events = Number(process.argv[2] ?? 50_000)
const batch = Number(process.argv[3] ?? 1000)

if (!process.execArgv.includes('--cpu-prof')) {
  const dir = scratch('prof')
  const run = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, fileURLToPath(import.meta.url), String(events), String(batch)], { stdio: 'inherit' })
  if (run.status !== 0) process.exit(run.status ?? 1)
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
  console.log(summarise(join(dir, file), 25))
  removeDir(dir)
} else {
  const dir = scratch('prof-ledger')
  const a = await openLiuhen(dir)
  const all = accessEvents(0, events)
  const { ms } = await timed(async () => {
    for (let i = 0; i < events; i += batch) await a.appendBatch(all.slice(i, i + batch))
  })
  await a.close()
  removeDir(dir)
  console.log(`appended ${events} events in batches of ${batch}, durable: ${Math.round((events / ms) * 1000)} events/s under --cpu-prof`)
}
