#!/usr/bin/env node
/**
 * Liuhen's benchmark harness, against the built packages (`pnpm bench` builds first).
 *
 *   node benchmarks/run.mjs                 same-run comparison: Liuhen durable in format 2 and in
 *                                           format 1, hypercore, the raw ceilings (3 rounds,
 *                                           median; rates and the process's CPU time per event)
 *   node benchmarks/run.mjs --scale         scaling at 10⁴, 10⁵, 10⁶ events (Liuhen durable,
 *                                           format 2; `--format 1` for format 1)
 *   node benchmarks/run.mjs --scale --max 1e7
 *                                           adds 10⁷ (manual: about 15 minutes and 5 GB of disk)
 *   node benchmarks/run.mjs --smoke         tiny sizes (< 60 s): the comparison and one scaling point
 *
 * The end-to-end comparison through the command line is benchmarks/cli-e2e.mjs.
 *
 * Options: --rounds N, --no-peers (skip hypercore), --all (adds format 2 with its index batch
 * unsynced and the raw ceiling writing format 1's keys), --no-write (leave results.json and
 * RESULTS.md alone; implied by --smoke). Otherwise writes benchmarks/results.json and the
 * figures section of benchmarks/RESULTS.md. hypercore is installed from benchmarks/peers
 * (`npm ci`) on first use.
 */
import { parseArgs } from 'node:util'
import { compare, peers, SIZES } from './lib/compare.mjs'
import { ensurePeers, hypercoreVersion } from './lib/hypercore.mjs'
import { comparisonTable, cpuTable, machine, ratioTable, scalingTable, targetResults, writeResults } from './lib/report.mjs'
import { scale, scaleSizes } from './lib/scale.mjs'

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    scale: { type: 'boolean', default: false },
    max: { type: 'string', default: '1e6' },
    format: { type: 'string', default: '2' },
    all: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    'no-peers': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
})
const command = ['node benchmarks/run.mjs', ...process.argv.slice(2)].join(' ')
const log = (s) => process.stderr.write(`${s}\n`)
const smoke = args.smoke
const write = !args['no-write'] && !smoke
const withHypercore = !args['no-peers']
const out = {}

if (!args.scale || smoke) {
  if (withHypercore) ensurePeers(log)
  const sizes = smoke ? SIZES.smoke : SIZES.default
  const rounds = Number(args.rounds ?? (smoke ? 1 : 3))
  log(`comparison: ${rounds} round(s), peers rotate each round`)
  const rows = await compare({ sizes, rounds, peers: await peers({ withHypercore, all: args.all }), log })
  out.comparison = { machine: machine(command), hypercore: withHypercore ? hypercoreVersion() : undefined, rounds, sizes, rows }
  console.log(`\n${comparisonTable(rows)}\n\n${ratioTable(rows)}\n\n${cpuTable(rows)}\n`)
}

if (args.scale || smoke) {
  const max = Number(args.max)
  if (!Number.isFinite(max) || max < 1e4) throw new Error('--max must be at least 1e4')
  const format = Number(args.format)
  if (format !== 1 && format !== 2) throw new Error('--format must be 1 or 2')
  const points = scale(scaleSizes(max, smoke), log, format)
  out.scaling = { machine: machine(command), points }
  console.log(`\n${scalingTable(points)}\n`)
}

const targets = targetResults(out.comparison?.rows ?? [], out.scaling)
for (const t of targets.filter((x) => x.met !== undefined)) console.log(`${t.met ? 'met   ' : 'MISSED'} ${t.what}: ${t.measured} (want ${t.target})${t.format1 ? `; format 1 ${t.format1}` : ''}`)
if (write) {
  writeResults(out)
  log('wrote benchmarks/results.json and the figures of benchmarks/RESULTS.md')
}
