#!/usr/bin/env node
/**
 * Where the memory goes, phase by phase, one child process per size:
 *
 *   node benchmarks/memory.mjs [events ...] [--store key=value,...] [--harness] [--json]
 *
 * Each child runs what a scaling point runs (benchmarks/lib/scale-child.mjs): durable appends in
 * batches of 1,000 with the event contract and the query indexes, 1,000 inclusion proofs, a
 * read-verify pass, the full audit; then 500 record lookups (`queryAccesses` by record digest).
 * Every 20 ms it samples `/proc/self/status` (RssAnon: the heap, malloc arenas, LevelDB's
 * caches and buffers; RssFile: mapped file pages, which for LevelDB are its table files) and
 * `process.memoryUsage()` (V8 heap, external, arrayBuffers), and prints the peak of each per
 * phase, with the process's peak RSS so far (VmHWM, what `/usr/bin/time -v` reports) and the
 * phase's rate. `--store` passes LevelStore options (e.g. `maxOpenFiles=1000,cacheSize=8388608`)
 * to compare settings; `--harness` runs the harness alone (the same events generated, nothing
 * appended) for its own footprint. Default sizes: 1e5 and 1e6. Linux only (`/proc`).
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { removeDir, scratch } from './lib/measure.mjs'

const args = process.argv.slice(2)
const flag = (name) => args.includes(name)
const valueOf = (name) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const MiB = 2 ** 20

if (args[0] === '--child') await child(Number(args[1]), args[2], JSON.parse(args[3]), args[4] === 'harness')
else parent()

function parent() {
  const store = Object.fromEntries(
    (valueOf('--store') ?? '')
      .split(',')
      .filter(Boolean)
      .map((kv) => {
        const [k, v] = kv.split('=')
        return [k, v === 'true' ? true : v === 'false' ? false : Number(v)]
      }),
  )
  const skip = new Set([valueOf('--store')])
  const sizes = args.filter((a) => !a.startsWith('--') && !skip.has(a)).map(Number)
  const runs = []
  for (const n of sizes.length ? sizes : [1e5, 1e6]) {
    const dir = scratch(`memory-${n}`)
    const argv = [fileURLToPath(import.meta.url), '--child', String(n), dir, JSON.stringify(store), flag('--harness') ? 'harness' : 'ledger']
    const run = spawnSync(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })
    removeDir(dir)
    if (run.status !== 0) throw new Error(`memory child for ${n} events exited with ${run.status ?? run.signal}`)
    runs.push(JSON.parse(run.stdout.trim().split('\n').pop()))
  }
  if (flag('--json')) return console.log(JSON.stringify(runs))
  for (const r of runs) {
    console.log(`\n${r.events.toLocaleString('en-US')} events${r.harness ? ' (harness alone)' : ''}, store options ${JSON.stringify(r.store)}; MiB, peak per phase`)
    console.log('| phase | rate /s | p50 / p99 ms | RssAnon | RssFile | heap used / total | external | arrayBuffers | peak RSS so far |')
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for (const p of r.phases) {
      const m = (x) => (x / MiB).toFixed(0)
      console.log(
        `| ${p.phase} | ${p.rate ? Math.round(p.rate).toLocaleString('en-US') : '–'} | ${p.p50Ms === undefined ? '–' : `${p.p50Ms.toFixed(2)} / ${p.p99Ms.toFixed(2)}`} | ${m(p.rssAnon)} | ${m(p.rssFile)} | ${m(p.heapUsed)} / ${m(p.heapTotal)} | ${m(p.external)} | ${m(p.arrayBuffers)} | ${m(p.hwm)} |`,
      )
    }
  }
}

/** Peak of each figure while `fn` runs, sampled every 20 ms and once at its end. */
async function phase(name, count, fn) {
  const peak = { rssAnon: 0, rssFile: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 }
  const sample = () => {
    const s = status()
    const m = process.memoryUsage()
    peak.rssAnon = Math.max(peak.rssAnon, s.RssAnon)
    peak.rssFile = Math.max(peak.rssFile, s.RssFile)
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed)
    peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal)
    peak.external = Math.max(peak.external, m.external)
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers)
  }
  const timer = setInterval(sample, 20)
  const start = process.hrtime.bigint()
  const value = await fn()
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  clearInterval(timer)
  sample()
  process.stderr.write(`    ${name}: ${(ms / 1000).toFixed(1)} s\n`)
  const top = process.env.MEMORY_SMAPS ? smaps() : undefined
  return { phase: name, ms, rate: count ? (count / ms) * 1000 : undefined, ...peak, hwm: status().VmHWM, top, value }
}

/** Resident MiB by mapped file (or [heap], [anon]…), the largest ten: where RssFile and RssAnon sit. */
function smaps() {
  const by = new Map()
  let name = ''
  let maps = 0
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line)
    if (head) {
      name = (head[1] || '[anon]').replace(/\/\d+\.ldb$/, '/*.ldb')
      maps++
      continue
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line)
    if (rss) by.set(name, (by.get(name) ?? 0) + Number(rss[1]) / 1024)
  }
  return {
    maps,
    top: [...by]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([k, v]) => `${k.split('/').slice(-2).join('/')} ${v.toFixed(1)}`),
  }
}

/** The kB figures of /proc/self/status, in bytes. */
function status() {
  const out = {}
  for (const m of readFileSync('/proc/self/status', 'utf8').matchAll(/^(\w+):\s+(\d+) kB$/gm)) out[m[1]] = Number(m[2]) * 1024
  return out
}

async function child(n, dir, store, harnessOnly) {
  const { accessEvent, accessEvents } = await import('./support/events.mjs')
  const phases = [await phase('start', 0, () => undefined)]
  if (harnessOnly) {
    let bytes = 0
    phases.push(
      await phase('events only', n, () => {
        for (let i = 0; i < n; i += 1000) bytes += accessEvents(i, Math.min(1000, n - i)).length
        return bytes
      }),
    )
    return done(n, store, phases, true)
  }
  const { join } = await import('node:path')
  const { Ledger } = await import('@liuhen/ledger')
  const { LevelStore } = await import('@liuhen/store-level')
  const { queryAccesses, indexEntry } = await import('@liuhen/query')
  const { assertEventBatch } = await import('@liuhen/schema')
  const { liuhenAdapter } = await import('./lib/liuhen.mjs')
  const { percentile, sampleIndices, timed } = await import('./lib/measure.mjs')

  // As lib/liuhen.mjs opens it, with the store built here to take the options under test.
  const ledger = await Ledger.create(new LevelStore(join(dir, 'db'), store), {
    origin: 'bench.example/liuhen',
    validate: (events, sizes) => assertEventBatch(events, { sizes }),
    indexer: indexEntry,
  })
  const a = liuhenAdapter(ledger)
  phases.push(
    await phase('append', n, async () => {
      for (let i = 0; i < n; i += 1000) await a.appendBatch(accessEvents(i, Math.min(1000, n - i)))
    }),
  )
  phases.push(
    await phase('proofs', 1000, async () => {
      const ms = []
      for (const i of sampleIndices(n, 1000)) ms.push((await timed(() => a.prove(i))).ms)
      return ms
    }),
  )
  phases.push(await phase('read-verify', n, () => a.readVerify()))
  phases.push(await phase('audit', n, () => a.audit()))
  phases.push(
    await phase('lookups', 500, async () => {
      const ms = []
      for (const i of sampleIndices(n, 500, 7)) {
        const digest = accessEvent(i).data.recordDigests[0]
        const { ms: t, value } = await timed(() => queryAccesses(ledger.store, { resource: 'res.police.hh', recordDigest: digest }))
        if (value.length === 0) throw new Error(`no access found for record ${i}`)
        ms.push(t)
      }
      return ms
    }),
  )
  phases.push(await phase('close', 0, () => a.close()))
  done(n, store, phases, false, percentile)
}

function done(n, store, phases, harness, percentile) {
  for (const p of phases) {
    if (Array.isArray(p.value)) [p.p50Ms, p.p99Ms] = [percentile(p.value, 0.5), percentile(p.value, 0.99)]
    delete p.value
  }
  process.stdout.write(`${JSON.stringify({ events: n, store, harness, phases })}\n`)
}
