#!/usr/bin/env node
/**
 * The two whole-log reads, timed and optionally under the V8 profiler:
 *
 *   node benchmarks/profile-audit.mjs [events] [--rounds N] [--keep DIR] [--prof audit|read]
 *
 * Builds a ledger of `events` access events (default 200 000, appended with sync: false, which
 * writes the same entries faster), then times the sequential read-verify (`ledger.entries()`,
 * every leaf hashed, the root recomputed) and the full audit (`auditLog` against the pinned key)
 * `rounds` times each, alternating (`--only audit|read` runs one). `--keep DIR` builds the ledger in DIR once and reuses it on
 * later runs, so two builds of the packages can be compared on the same ledger (a reopened
 * ledger reads faster than a freshly written one, which is what run.mjs reads). `--prof` runs
 * only that read under the V8 profiler, prints its top self-time functions and keeps the
 * profile as .data/last-<read>.cpuprofile.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { Ledger } from '@liuhen/ledger'
import { accessEvents } from './support/events.mjs'
import { liuhenAdapter, openLiuhen } from './lib/liuhen.mjs'
import { BENCH_DIR, median, removeDir, scratch, timed } from './lib/measure.mjs'
import { summarise } from './lib/profile-summary.mjs'

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '3' }, keep: { type: 'string' }, prof: { type: 'string' }, only: { type: 'string' } },
})
const events = Number(positionals[0] ?? 200_000)
const rounds = Number(args.rounds)
const log = (s) => process.stderr.write(`${s}\n`)

// --prof: the V8 profiler runs around the read only (not the build), in this process, so the
// profile is of the ledger as the read found it (freshly written, or reopened with --keep).
const session = new Session()
const post = (method) => new Promise((resolve, reject) => session.post(method, (err, res) => (err ? reject(err) : resolve(res))))
if (args.prof) {
  session.connect()
  await post('Profiler.enable')
}
async function saveProfile(profile) {
  const file = join(BENCH_DIR, '.data', `last-${args.prof}.cpuprofile`)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, JSON.stringify(profile))
  console.log(summarise(file, 30))
}

const dir = args.keep ?? scratch('audit')
let a
if (existsSync(join(dir, 'ledger'))) {
  a = liuhenAdapter(await Ledger.open(join(dir, 'ledger')))
  if (a.ledger.size !== events) throw new Error(`${dir} holds ${a.ledger.size} entries, not ${events}`)
} else {
  a = await openLiuhen(dir, { sync: false })
  for (let i = 0; i < events; i += 1000) await a.appendBatch(accessEvents(i, Math.min(1000, events - i)))
  log(`built a ledger of ${events} entries`)
}
// CPU time (all threads) per entry as well as the wall-clock rate: on a busy machine the
// former still compares two builds fairly.
const rates = { 'read-verify': [], audit: [] }
const cpu = { 'read-verify': [], audit: [] }
for (let r = 0; r < rounds; r++) {
  for (const [name, fn] of [
    ['read-verify', () => a.readVerify()],
    ['audit', () => a.audit()],
  ]) {
    if ((args.only ?? args.prof) && (args.only ?? args.prof) !== name.replace('-verify', '')) continue
    if (args.prof) await post('Profiler.start')
    const before = process.cpuUsage()
    const { ms, value } = await timed(fn)
    const used = process.cpuUsage(before)
    if (args.prof) await saveProfile((await post('Profiler.stop')).profile)
    if (value !== events) throw new Error(`${name} counted ${value} entries`)
    rates[name].push((events / ms) * 1000)
    cpu[name].push((used.user + used.system) / events)
  }
}
await a.close()
if (!args.keep) removeDir(dir)
for (const [name, xs] of Object.entries(rates)) {
  if (xs.length === 0) continue
  const us = cpu[name].map((x) => x.toFixed(2))
  console.log(`${name}: median ${Math.round(median(xs))} entries/s of ${xs.map(Math.round).join(', ')}; CPU ${median(cpu[name]).toFixed(2)} µs/entry of ${us.join(', ')} (${events} entries)`)
}
