#!/usr/bin/env node
/**
 * The service under load, on loopback: durable events/s through `liuhen serve` (a real server
 * process, the CLI's event contract and indexes) at 1, 16 and 256 concurrent clients, each
 * posting one event per request and waiting for its answer, with p50/p99 request latency; and,
 * in the same run, the embedded engine appending the same events with the same concurrency (single
 * `ledger.append` calls in one process), so the service's cost is a ratio. Bounded in count: each
 * scenario appends a fixed number of events, then stops.
 *
 *   node benchmarks/serve.mjs [--events N]     N events at 256 clients (default 20,000; fewer below)
 *   node benchmarks/serve.mjs --smoke          a few hundred events, for the test suite
 *
 * Prints a Markdown table on stdout; the figures go into RESULTS.md's analysis by hand.
 */
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Ledger } from '@liuhen/ledger'
import { indexEntry } from '@liuhen/query'
import { assertEventBatch } from '@liuhen/schema'
import { BENCH_DIR, percentile, removeDir, scratch } from './lib/measure.mjs'
import { machine } from './lib/report.mjs'
import { accessEvent } from './support/events.mjs'

const { values: args } = parseArgs({ options: { events: { type: 'string' }, smoke: { type: 'boolean', default: false } } })
const BIN = join(BENCH_DIR, '..', 'bin', 'liuhen')
const top = Number(args.events ?? (args.smoke ? 300 : 20_000))
if (!Number.isSafeInteger(top) || top < 1) throw new Error('--events must be a positive integer')
/** Events per scenario: fewer where one request at a time makes each cost a whole commit. */
const SCENARIOS = [
  { clients: 1, events: Math.max(20, Math.round(top / 40)) },
  { clients: 16, events: Math.max(100, Math.round(top / 5)) },
  { clients: 256, events: top },
]
const log = (s) => process.stderr.write(`${s}\n`)
const options = { validate: (events, sizes) => assertEventBatch(events, { sizes }), indexer: indexEntry }

/** Runs `count` single-event calls of `one(i)` from `clients` concurrent loops; latencies in ms. */
async function load(clients, count, one) {
  const latencies = []
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now()
        await one(i)
        latencies.push(performance.now() - t)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  return { rate: count / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) }
}

async function embedded(clients, count, offset) {
  const base = scratch('serve-embedded')
  const dir = join(base, 'l')
  const ledger = await Ledger.create(dir, { origin: 'bench.liuhen.example/serve', ...options })
  try {
    return await load(clients, count, (i) => ledger.append(accessEvent(offset + i)))
  } finally {
    await ledger.close()
    removeDir(base)
  }
}

async function served(clients, count, offset) {
  const base = scratch('serve-http')
  const dir = join(base, 'l')
  const run = (...a) => spawnSync(process.execPath, [BIN, ...a], { encoding: 'utf8' })
  run('init', dir, '--origin', 'bench.liuhen.example/serve')
  const token = run('token', 'add', dir, '--name', 'bench', '--role', 'writer', '--dept', accessEvent(0).actor.dept).stdout.trim()
  const child = spawn(process.execPath, [BIN, 'serve', dir, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] })
  try {
    const url = await new Promise((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (d) => {
        out += d
        const m = /on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)
        if (m) resolve(m[1])
      })
      child.on('exit', (code) => reject(new Error(`serve exited ${code}`)))
    })
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }
    return await load(clients, count, async (i) => {
      const res = await fetch(`${url}v1/events`, { method: 'POST', headers, body: JSON.stringify(accessEvent(offset + i)) })
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`)
      await res.arrayBuffer()
    })
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    removeDir(base)
  }
}

const rows = []
for (const { clients, events } of SCENARIOS) {
  log(`${clients} clients, ${events} events: embedded…`)
  const e = await embedded(clients, events, 0)
  log(`${clients} clients, ${events} events: through liuhen serve…`)
  const h = await served(clients, events, 0)
  rows.push({ clients, events, e, h })
}
const f = (n) => Math.round(n).toLocaleString('en-US')
const ms = (n) => n.toFixed(1)
const m = machine(['node benchmarks/serve.mjs', ...process.argv.slice(2)].join(' '))
const lines = [
  `${m.date.slice(0, 10)}, ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), ${m.platform}, Node ${m.node}, commit ${m.commit}: \`${m.command}\``,
  '',
  '| clients | events | embedded events/s | served events/s | served / embedded | served p50 / p99 ms | embedded p50 / p99 ms |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.clients} | ${f(r.events)} | ${f(r.e.rate)} | ${f(r.h.rate)} | ${(r.h.rate / r.e.rate).toFixed(2)}× | ${ms(r.h.p50)} / ${ms(r.h.p99)} | ${ms(r.e.p50)} / ${ms(r.e.p99)} |`),
]
process.stdout.write(`${lines.join('\n')}\n`)
