#!/usr/bin/env node
/**
 * End to end, as a user meets it: `liuhen append DIR FILE` of N access events (default 200,000),
 * then `liuhen verify DIR`, each timed as a whole process (from spawn to exit: Node's start,
 * opening, the event contract, the indexes, every fsync, closing), against hypercore appending
 * the same lines in batches of 1000 in its own process and reading them back in another. Liuhen
 * format 2 (what `liuhen init` makes) and format 1 (made with `Ledger.create(dir, {format: 1})`,
 * then the same commands) run in the same run, rounds rotating the order.
 *
 *   node benchmarks/cli-e2e.mjs [--events N] [--rounds N] [--no-peers] [--no-write]
 *   node benchmarks/cli-e2e.mjs --smoke      2,000 events, one round, nothing written
 *
 * Writes the `e2e` part of benchmarks/results.json and the figures of RESULTS.md (built first:
 * `bin/liuhen` runs `dist/`). CPU and peak RSS of each process come from `/usr/bin/time` when
 * present.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Ledger } from '@liuhen/ledger'
import { ensurePeers, hypercoreVersion } from './lib/hypercore.mjs'
import { BENCH_DIR, median, removeDir, scratch } from './lib/measure.mjs'
import { e2eTable, machine, writeResults } from './lib/report.mjs'
import { accessEvent } from './support/events.mjs'

const { values: args } = parseArgs({
  options: {
    events: { type: 'string' },
    rounds: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    'no-peers': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
})
const command = ['node benchmarks/cli-e2e.mjs', ...process.argv.slice(2)].join(' ')
const log = (s) => process.stderr.write(`${s}\n`)
const events = Number(args.events ?? (args.smoke ? 2000 : 200_000))
const rounds = Number(args.rounds ?? (args.smoke ? 1 : 3))
if (!Number.isSafeInteger(events) || events < 1 || !Number.isSafeInteger(rounds) || rounds < 1) throw new Error('--events and --rounds must be positive integers')
const write = !args['no-write'] && !args.smoke
const LIUHEN = join(BENCH_DIR, '..', 'bin', 'liuhen')
const HYPERCORE_CHILD = join(BENCH_DIR, 'lib', 'hypercore-e2e-child.mjs')
const GNU_TIME = '/usr/bin/time'

/**
 * Runs `argv` as one process and times it whole; fails on a non-zero exit. Returns wall ms,
 * CPU ms (user + system, from GNU time) and peak RSS bytes, and its stdout.
 */
function run(argv, timeFile) {
  const useTime = existsSync(GNU_TIME)
  const [cmd, rest] = useTime ? [GNU_TIME, ['-f', '%U %S %M', '-o', timeFile, ...argv]] : [argv[0], argv.slice(1)]
  const start = process.hrtime.bigint()
  const child = spawnSync(cmd, rest, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (child.status !== 0) throw new Error(`${argv.join(' ')} exited with ${child.status ?? child.signal}: ${child.stderr.slice(-2000)}`)
  let cpuMs
  let rss
  if (useTime) {
    const [user, system, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number)
    cpuMs = (user + system) * 1000
    rss = kb * 1024
  }
  return { ms, cpuMs, rss, stdout: child.stdout }
}

const PEERS = [
  {
    name: 'liuhen',
    async make(dir) {
      run([process.execPath, LIUHEN, 'init', dir, '--origin', 'bench.example/e2e'], join(dir, '..', 'time-init'))
    },
    append: (dir, file) => [process.execPath, LIUHEN, 'append', dir, file, '--no-progress'],
    read: (dir) => [process.execPath, LIUHEN, 'verify', dir, '--json', '--no-progress'],
  },
  {
    name: 'liuhen-f1',
    async make(dir) {
      await (await Ledger.create(dir, { origin: 'bench.example/e2e', format: 1 })).close()
    },
    append: (dir, file) => [process.execPath, LIUHEN, 'append', dir, file, '--no-progress'],
    read: (dir) => [process.execPath, LIUHEN, 'verify', dir, '--json', '--no-progress'],
  },
]
if (!args['no-peers']) {
  ensurePeers(log)
  PEERS.push({
    name: 'hypercore',
    async make() {},
    append: (dir, file) => [process.execPath, HYPERCORE_CHILD, 'append', dir, file],
    read: (dir) => [process.execPath, HYPERCORE_CHILD, 'read', dir],
  })
}

/** Checks that the read step saw every event: verify's report, or the count hypercore printed. */
function checkRead(peer, stdout) {
  if (peer.name === 'hypercore') {
    if (Number(stdout.trim()) !== events) throw new Error(`hypercore read ${stdout.trim()} blocks, not ${events}`)
    return
  }
  const report = JSON.parse(stdout)
  if (report.ok !== true || report.size !== events) throw new Error(`liuhen verify: ${stdout.slice(0, 500)}`)
}

const work = scratch('e2e')
const file = join(work, 'events.jsonl')
const lines = []
for (let i = 0; i < events; i++) lines.push(JSON.stringify(accessEvent(i)))
writeFileSync(file, `${lines.join('\n')}\n`)
lines.length = 0
log(`e2e: ${events} events (${readFileSync(file).length} bytes of JSON Lines), ${rounds} round(s)`)

const samples = {}
const add = (step, peer, x) => ((samples[step] ??= {})[peer] ??= []).push(x)
try {
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < PEERS.length; k++) {
      const peer = PEERS[(k + round) % PEERS.length]
      const dir = join(work, `${peer.name}-${round}`)
      await peer.make(dir)
      const a = run(peer.append(dir, file), join(work, 'time'))
      const r = run(peer.read(dir), join(work, 'time'))
      checkRead(peer, r.stdout)
      add('append', peer.name, a)
      add('read', peer.name, r)
      log(`  round ${round + 1} ${peer.name}: append ${Math.round(a.ms)} ms, read ${Math.round(r.ms)} ms`)
      rmSync(dir, { recursive: true, force: true })
    }
  }
} finally {
  removeDir(work)
}

const TITLES = { append: `liuhen append FILE / hypercore append, ${events.toLocaleString('en-US')} events`, read: 'liuhen verify / hypercore read back, whole process' }
const rows = Object.entries(samples).map(([step, byPeer]) => {
  const row = { id: `e2e-${step}`, title: TITLES[step], unit: 'events/s', values: {}, ms: {}, cpuUsPerEvent: {}, peakRss: {} }
  for (const [peer, xs] of Object.entries(byPeer)) {
    row.ms[peer] = median(xs.map((x) => x.ms))
    row.values[peer] = (events / row.ms[peer]) * 1000
    if (xs[0].cpuMs !== undefined) row.cpuUsPerEvent[peer] = (median(xs.map((x) => x.cpuMs)) * 1000) / events
    if (xs[0].rss !== undefined) row.peakRss[peer] = Math.max(...xs.map((x) => x.rss))
  }
  return row
})
const e2e = { machine: machine(command), hypercore: args['no-peers'] ? undefined : hypercoreVersion(), events, rounds, rows }
console.log(`\n${e2eTable(e2e)}\n`)
if (write) {
  writeResults({ e2e })
  log('wrote the e2e part of benchmarks/results.json and the figures of benchmarks/RESULTS.md')
}
