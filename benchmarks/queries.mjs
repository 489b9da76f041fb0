#!/usr/bin/env node
/**
 * The auditors' questions at scale, on a simulated district (not synthetic events: findings need
 * grants, requests and deadlines to be worth timing):
 *
 *   node benchmarks/queries.mjs [events ...]        default: 1e5 1e6
 *
 * For each size, one child process builds the ledger with @liuhen/sim (full access volume,
 * as many days as the size needs) through the public append path (contract validation and
 * query indexes on, durable commits of 1,000), then measures: record lookups (who accessed
 * record X: `queryAccesses` by keyed digest, 500 random records that were accessed, latency
 * p50/p99), findings over the whole log (`FindingsEngine`, as `liuhen findings` runs it), and
 * the mechanism mix (`StatsEngine`). Prints a table; `--json` prints the rows.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { scratch, removeDir } from './lib/measure.mjs'

const args = process.argv.slice(2)
const json = args.includes('--json')
const child = args[0] === '--child'

if (child) {
  await import('./lib/queries-child.mjs')
} else {
  const sizes = args.filter((a) => !a.startsWith('--')).map(Number)
  const rows = []
  for (const n of sizes.length ? sizes : [1e5, 1e6]) {
    const dir = scratch(`queries-${n}`)
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(n), dir], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })
    removeDir(dir)
    if (run.status !== 0) throw new Error(`queries child for ${n} events exited with ${run.status ?? run.signal}`)
    rows.push(JSON.parse(run.stdout.trim().split('\n').pop()))
  }
  if (json) console.log(JSON.stringify(rows))
  else {
    console.log('| events | append/s | record lookup p50 / p99 ms | accesses per record looked up | findings (s) | findings | stats (s) | peak RSS MiB |')
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |')
    const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '–')
    for (const r of rows) {
      console.log(
        `| ${r.events.toLocaleString('en-US')} | ${Math.round(r.appendPerSec).toLocaleString('en-US')} | ${f(r.lookupP50Ms)} / ${f(r.lookupP99Ms)} | ${f(r.meanHits, 1)} | ${(r.findingsMs / 1000).toFixed(1)} | ${r.findings.toLocaleString('en-US')} | ${(r.statsMs / 1000).toFixed(1)} | ${(r.maxRss / 2 ** 20).toFixed(0)} |`,
      )
    }
  }
}
