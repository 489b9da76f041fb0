/** Tables, targets, results.json and the generated figures section of RESULTS.md. */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { BENCH_DIR } from './measure.mjs'

const START = '<!-- figures:start -->'
const END = '<!-- figures:end -->'
const PEERS = ['liuhen', 'liuhen-nosync', 'hypercore', 'raw', 'raw-nosync', 'raw-keys']
const LABELS = { liuhen: 'Liuhen durable', 'liuhen-nosync': 'Liuhen sync:false', hypercore: 'hypercore', raw: 'raw durable', 'raw-nosync': 'raw no fsync', 'raw-keys': "raw durable, ledger's keys" }

/** Same-run ratio targets: `of` over `over` (peer names), on row `row` (`overRow` if another). */
export const TARGETS = [
  { row: 'append-1000', of: 'liuhen', over: 'hypercore', min: 1.5, what: 'durable append, batch 1000 (vs hypercore default)' },
  { row: 'append-1000', of: 'liuhen-nosync', over: 'hypercore', min: 1.5, what: 'sync:false append, batch 1000 (vs hypercore default)' },
  { row: 'concurrent-256', of: 'liuhen', over: 'hypercore', min: 15, what: '256 concurrent single appends, durable' },
  { row: 'read-verify', of: 'liuhen', over: 'hypercore', min: 7, what: 'sequential read-verify' },
  { row: 'audit', overRow: 'read-verify', of: 'liuhen', over: 'hypercore', min: 7, what: 'full audit (auditLog) vs hypercore sequential read' },
  { row: 'proof-gen', of: 'liuhen', over: 'hypercore', min: 10, what: 'inclusion proof generation' },
  { row: 'proof-verify-path', of: 'liuhen', over: 'hypercore', min: 3, what: 'inclusion proof verification, Merkle path' },
  { row: 'proof-verify-signed', of: 'liuhen', over: 'hypercore', min: 3, what: 'inclusion proof verification, path + signed root' },
]
/** Absolute targets on the scaling point of 10⁶ events. */
export const SCALE_TARGETS = [
  { field: 'readVerifyPerSec', events: 1e6, min: 150_000, what: 'read-verify at 10⁶, entries/s' },
  { field: 'auditPerSec', events: 1e6, min: 150_000, what: 'full audit at 10⁶, entries/s' },
]

export function machine(command) {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    date: new Date().toISOString(),
    command,
    commit: gitDescribe(),
  }
}

/** HEAD's short hash, `+dirty` when the working tree differs (dist/ is built from the tree). */
function gitDescribe() {
  try {
    const git = (...a) => execFileSync('git', a, { cwd: BENCH_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no', '--', '../packages') ? '+dirty' : ''}`
  } catch {
    return 'unknown'
  }
}

const int = (x) => (x === undefined || Number.isNaN(x) ? '–' : Math.round(x).toLocaleString('en-US'))
const ratio = (a, b) => (a === undefined || b === undefined ? undefined : a / b)
const times = (x) => (x === undefined ? '–' : `${x.toFixed(2)}×`)

function table(head, lines) {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...lines.map((l) => `| ${l.join(' | ')} |`)].join('\n')
}

export function comparisonTable(rows) {
  const peers = PEERS.filter((p) => rows.some((r) => r.values[p] !== undefined))
  return table(
    ['scenario', 'unit', ...peers.map((p) => LABELS[p])],
    rows.map((r) => [r.title, r.unit, ...peers.map((p) => int(r.values[p]))]),
  )
}

export function ratioTable(rows) {
  const v = (r, p) => r.values[p]
  return table(
    [
      'scenario',
      'durable / hypercore',
      'sync:false / hypercore',
      'durable / raw durable',
      "durable / raw durable, ledger's keys",
      'sync:false / raw no fsync',
      "raw durable, ledger's keys / hypercore",
    ],
    rows.map((r) => [
      r.title,
      times(ratio(v(r, 'liuhen'), v(r, 'hypercore'))),
      times(ratio(v(r, 'liuhen-nosync'), v(r, 'hypercore'))),
      times(ratio(v(r, 'liuhen'), v(r, 'raw'))),
      times(ratio(v(r, 'liuhen'), v(r, 'raw-keys'))),
      times(ratio(v(r, 'liuhen-nosync'), v(r, 'raw-nosync'))),
      times(ratio(v(r, 'raw-keys'), v(r, 'hypercore'))),
    ]),
  )
}

/** CPU time of the whole process (all threads) per event or operation, µs: what each peer costs. */
export function cpuTable(rows) {
  const measured = rows.filter((r) => r.cpuUsPerOp && Object.keys(r.cpuUsPerOp).length > 0)
  const peers = PEERS.filter((p) => measured.some((r) => r.cpuUsPerOp[p] !== undefined))
  const us = (x) => (x === undefined ? '–' : x.toFixed(1))
  return table(
    ['scenario (CPU µs per event or operation)', ...peers.map((p) => LABELS[p])],
    measured.map((r) => [r.title, ...peers.map((p) => us(r.cpuUsPerOp[p]))]),
  )
}

export function targetResults(rows, scaling) {
  const byId = new Map(rows.map((r) => [r.id, r]))
  const out = []
  for (const t of TARGETS) {
    const x = ratio(byId.get(t.row)?.values[t.of], byId.get(t.overRow ?? t.row)?.values[t.over])
    out.push({ what: t.what, target: `≥ ${t.min}×`, measured: times(x), met: x === undefined ? undefined : x >= t.min })
  }
  for (const t of SCALE_TARGETS) {
    const x = scaling?.points.find((p) => p.events === t.events)?.[t.field]
    out.push({ what: t.what, target: `≥ ${int(t.min)}`, measured: int(x), met: x === undefined ? undefined : x >= t.min })
  }
  return out
}

function targetTable(results) {
  const mark = (m) => (m === undefined ? 'not measured' : m ? 'met' : '**missed**')
  return table(
    ['target', 'wanted', 'measured', ''],
    results.map((t) => [t.what, t.target, t.measured, mark(t.met)]),
  )
}

export function scalingTable(points) {
  const mib = (b) => (b / 2 ** 20).toFixed(0)
  return table(
    ['events', 'append/s (durable, batch 1000)', 'read-verify/s', 'audit/s', 'proof p50 / p99 ms', 'open ms', 'disk bytes/event', 'peak RSS MiB'],
    points.map((p) => [
      int(p.events),
      int(p.appendPerSec),
      int(p.readVerifyPerSec),
      int(p.auditPerSec),
      `${p.proofP50Ms.toFixed(3)} / ${p.proofP99Ms.toFixed(3)}`,
      p.openMs.toFixed(1),
      int(p.diskBytesPerEvent),
      mib(p.peakRss),
    ]),
  )
}

function about(m) {
  return `${m.date.slice(0, 10)}, ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), ${m.platform}, Node ${m.node}, commit ${m.commit ?? 'unknown'}: \`${m.command}\``
}

/** The whole figures section (what the script owns in RESULTS.md). */
export function figures(results) {
  const parts = []
  const c = results.comparison
  if (c) {
    parts.push(`### Same-run comparison\n\n${about(c.machine)}; ${c.rounds} rounds, median; hypercore ${c.hypercore ?? 'not run'}.\n`)
    parts.push(
      `Sizes: ${Object.entries(c.sizes)
        .map(([k, v]) => `${k} ${int(v)}`)
        .join(', ')} (append scenarios: events; concurrent: commits of 256; read: log size; proofs: count).\n`,
    )
    parts.push(comparisonTable(c.rows), '', ratioTable(c.rows), '')
    if (c.rows.some((r) => r.cpuUsPerOp))
      parts.push('CPU time per event or operation, all threads of the process (user + system; LevelDB, RocksDB and GC threads included), median of the rounds:\n', cpuTable(c.rows), '')
  }
  const s = results.scaling
  if (s) parts.push(`### Scaling (Liuhen durable, one child process per size)\n\n${about(s.machine)}; peak RSS from ${s.points[0]?.peakRssSource}.\n`, scalingTable(s.points), '')
  if (c || s) parts.push('### Targets\n', targetTable(targetResults(c?.rows ?? [], s)), '')
  return parts.join('\n')
}

/** Merges `part` ({comparison} or {scaling}) into results.json and regenerates the figures. */
export function writeResults(part) {
  const jsonPath = join(BENCH_DIR, 'results.json')
  const results = existsSync(jsonPath) ? JSON.parse(readFileSync(jsonPath, 'utf8')) : {}
  Object.assign(results, part)
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`)
  const mdPath = join(BENCH_DIR, 'RESULTS.md')
  const md = existsSync(mdPath)
    ? readFileSync(mdPath, 'utf8')
    : `# Benchmark results\n\n${START}\n${END}\n\n## Analysis\n\n(hand-written; \`node benchmarks/run.mjs\` only rewrites the figures section above)\n`
  const a = md.indexOf(START)
  const b = md.indexOf(END)
  if (a < 0 || b < a) throw new Error(`RESULTS.md lacks the ${START} … ${END} markers`)
  writeFileSync(mdPath, `${md.slice(0, a + START.length)}\n<!-- generated by benchmarks/run.mjs from results.json; do not edit by hand -->\n\n${figures(results)}\n${md.slice(b)}`)
  return results
}
