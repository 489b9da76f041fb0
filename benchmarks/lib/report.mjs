/** Tables, targets, results.json and the generated figures section of RESULTS.md. */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { BENCH_DIR } from './measure.mjs'

const START = '<!-- figures:start -->'
const END = '<!-- figures:end -->'
const PEERS = ['liuhen', 'liuhen-f1', 'liuhen-nosync', 'hypercore', 'raw', 'raw-nosync', 'raw-keys']
const LABELS = {
  liuhen: 'Liuhen durable (format 2)',
  'liuhen-f1': 'Liuhen durable (format 1)',
  'liuhen-nosync': 'Liuhen format 2, index unsynced',
  hypercore: 'hypercore',
  raw: 'raw durable',
  'raw-nosync': 'raw no fsync',
  'raw-keys': "raw durable, format 1's keys",
}

/**
 * Same-run ratio targets (issue 10): `of` over `over` (peer names), on row `row` (`overRow` if
 * another). Each is reported for format 2 and, beside it, for format 1 (`liuhen-f1`).
 */
export const TARGETS = [
  { row: 'append-1000', of: 'liuhen', over: 'hypercore', min: 1.5, what: 'durable append, batches of 1000' },
  { row: 'append-100', of: 'liuhen', over: 'hypercore', min: 1.0, what: 'durable append, batches of 100' },
  { row: 'concurrent-256', of: 'liuhen', over: 'hypercore', min: 15, what: '256 concurrent single appends, durable' },
  { row: 'audit', overRow: 'read-verify', of: 'liuhen', over: 'hypercore', min: 7, what: "full audit vs hypercore's sequential read" },
  { row: 'read-verify', of: 'liuhen', over: 'hypercore', min: 7, what: "read-verify vs hypercore's sequential read" },
  { row: 'proof-verify-path', of: 'liuhen', over: 'hypercore', min: 3, what: 'inclusion proof verification, Merkle path' },
]
/** Absolute targets on the scaling points (`events: 'max'`: the largest point measured). */
export const SCALE_TARGETS = [
  { field: 'readVerifyPerSec', events: 1e6, min: 150_000, what: 'read-verify at 10⁶, entries/s' },
  { field: 'auditPerSec', events: 1e6, min: 150_000, what: 'full audit at 10⁶, entries/s' },
  { field: 'openMs', events: 'max', max: 50, what: 'open, ms, at the largest size' },
  { field: 'peakRss', events: 'max', max: 256 * 2 ** 20, what: 'peak RSS through appends and audit, MiB, at the largest size', scale: 2 ** -20 },
  { field: 'appendVs1e5', events: 'max', min: 0.8, what: 'append rate at the largest size / at 10⁵' },
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
  const cols = [
    ['format 2 / hypercore', 'liuhen', 'hypercore'],
    ['format 1 / hypercore', 'liuhen-f1', 'hypercore'],
    ['format 2 / format 1', 'liuhen', 'liuhen-f1'],
    ['format 2 / raw durable', 'liuhen', 'raw'],
    ['raw durable / hypercore', 'raw', 'hypercore'],
    ['format 2 index unsynced / hypercore', 'liuhen-nosync', 'hypercore'],
  ].filter(([, a, b]) => rows.some((r) => v(r, a) !== undefined && v(r, b) !== undefined))
  return table(
    ['scenario', ...cols.map((c) => c[0])],
    rows.map((r) => [r.title, ...cols.map(([, a, b]) => times(ratio(v(r, a), v(r, b))))]),
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
    const of = (peer) => ratio(byId.get(t.row)?.values[peer], byId.get(t.overRow ?? t.row)?.values[t.over])
    const x = of(t.of)
    const f1 = of(`${t.of}-f1`)
    out.push({ what: t.what, target: `≥ ${t.min}×`, measured: times(x), format1: times(f1), met: x === undefined ? undefined : x >= t.min })
  }
  const points = scaling?.points ?? []
  const largest = points.at(-1)
  const at1e5 = points.find((p) => p.events === 1e5)
  for (const t of SCALE_TARGETS) {
    const p = t.events === 'max' ? largest : points.find((q) => q.events === t.events)
    let x = p?.[t.field]
    if (t.field === 'appendVs1e5') x = p && at1e5 && p !== at1e5 ? p.appendPerSec / at1e5.appendPerSec : undefined
    const shown = x === undefined ? '–' : t.field === 'appendVs1e5' ? times(x) : t.scale ? int(x * t.scale) : t.field === 'openMs' ? x.toFixed(1) : int(x)
    const at = p && t.events === 'max' ? ` (${int(p.events)} events)` : ''
    const wanted = t.min !== undefined ? `≥ ${t.field === 'appendVs1e5' ? times(t.min) : int(t.min)}` : `< ${int(t.scale ? t.max * t.scale : t.max)}`
    const met = x === undefined ? undefined : t.min !== undefined ? x >= t.min : x < t.max
    out.push({ what: `${t.what}${at}`, target: wanted, measured: shown, format1: '', met })
  }
  return out
}

function targetTable(results) {
  const mark = (m) => (m === undefined ? 'not measured' : m ? 'met' : '**missed**')
  return table(
    ['target (format 2)', 'wanted', 'measured', 'format 1, same run', ''],
    results.map((t) => [t.what, t.target, t.measured, t.format1, mark(t.met)]),
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

/** The end-to-end comparison (benchmarks/cli-e2e.mjs): rates, ratios, CPU and peak RSS per process. */
export function e2eTable(e2e) {
  const peers = PEERS.filter((p) => e2e.rows.some((r) => r.values[p] !== undefined))
  const us = (x) => (x === undefined ? '–' : x.toFixed(1))
  const mib = (b) => (b === undefined ? '–' : (b / 2 ** 20).toFixed(0))
  const rates = table(
    ['step (whole process)', ...peers.map((p) => `${LABELS[p]}, events/s`), 'format 2 / hypercore', 'format 1 / hypercore'],
    e2e.rows.map((r) => [r.title, ...peers.map((p) => int(r.values[p])), times(ratio(r.values.liuhen, r.values.hypercore)), times(ratio(r.values['liuhen-f1'], r.values.hypercore))]),
  )
  const costs = table(
    ['step', ...peers.map((p) => `${LABELS[p]}: wall ms / CPU µs per event / peak RSS MiB`)],
    e2e.rows.map((r) => [r.title, ...peers.map((p) => `${int(r.ms[p])} / ${us(r.cpuUsPerEvent[p])} / ${mib(r.peakRss[p])}`)]),
  )
  return `${rates}\n\n${costs}`
}

/** End-to-end targets: the append and audit targets, met by whole processes. */
const E2E_TARGETS = [
  { row: 'e2e-append', min: 1.5, what: '`liuhen append FILE` vs hypercore appending in batches of 1000, whole process' },
  { row: 'e2e-read', min: 7, what: '`liuhen verify` vs hypercore reading back, whole process' },
]

export function e2eTargets(e2e) {
  return E2E_TARGETS.map((t) => {
    const r = e2e?.rows.find((x) => x.id === t.row)
    const x = ratio(r?.values.liuhen, r?.values.hypercore)
    return { what: t.what, target: `≥ ${t.min}×`, measured: times(x), format1: times(ratio(r?.values['liuhen-f1'], r?.values.hypercore)), met: x === undefined ? undefined : x >= t.min }
  })
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
      parts.push(
        'CPU time per event or operation, all threads of the process (user + system; LevelDB, RocksDB, the libuv threads that write and sync files, and GC included), median of the rounds:\n',
        cpuTable(c.rows),
        '',
      )
  }
  const s = results.scaling
  if (s)
    parts.push(
      `### Scaling (Liuhen durable, format ${s.points[0]?.format ?? 2}, one child process per size)\n\n${about(s.machine)}; peak RSS from ${s.points[0]?.peakRssSource}.\n`,
      scalingTable(s.points),
      '',
    )
  const e = results.e2e
  if (e) {
    parts.push(
      `### End to end (\`liuhen append\` and \`liuhen verify\` as whole processes)\n\n${about(e.machine)}; ${e.rounds} rounds, median; ${int(e.events)} events; hypercore ${e.hypercore ?? 'not run'}.\n`,
    )
    parts.push(e2eTable(e), '')
  }
  if (c || s || e) parts.push('### Targets\n', targetTable([...targetResults(c?.rows ?? [], s), ...(e ? e2eTargets(e) : [])]), '')
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
