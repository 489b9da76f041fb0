/**
 * `liuhen simulate`: the district workload of @liuhen/sim, appended through the public path
 * (the CLI's ledger options: schema validation and query indexes) in batches of 1000, as a
 * platform service would. Writes the ground truth beside the ledger as `truth.json` and the
 * resources' record keys as `resource-keys.json` (the platform's secret: outside the ledger's
 * db, never in an event). `--score` scores the findings against the truth.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { Command } from 'commander'
import type { Event, ReadableStore } from '@liuhen/core'
import { Ledger } from '@liuhen/ledger'
import { simulate, type SimOptions, type Simulation } from '@liuhen/sim'
import { CliError, EXIT } from './exit.js'
import { feedEvents, resourceKeys } from './feed.js'
import { findingsWithProgress } from './findings.js'
import { checkNotWorkingDir, defaultOrigin, VKEY_FILE } from './init.js'
import { count, jsonLine, line, out, progressBar, wantProgress } from './io.js'
import { writeOutput } from './output-file.js'
import { ledgerOptions } from './ledger-options.js'
import { openLedger, withStore } from './open.js'
import { scoreFindings, type Score } from './score.js'
import { formatScore, isPerfect, readTruth, TRUTH_FILE, TRUTH_FORMAT, type Truth } from './truth.js'

/**
 * Defaults of `simulate`: a district-sized month (all governance volumes of the district
 * profile, 15% of its access calls: about 350,000 events) that a 2-core machine simulates,
 * appends and indexes in about a minute. `--help` shows each.
 */
export const SIM_DEFAULTS = { seed: '1', days: '30', profile: 'district', accessScale: '0.15', start: '2026-02-09' } as const

/** The options that shape a simulation; given none, `--score` scores an existing one. */
const SHAPING = ['seed', 'days', 'profile', 'accessScale', 'start'] as const

/** File of the resources' record keys (hex), beside the ledger's db. */
export const KEYS_FILE = 'resource-keys.json'

interface SimulateArgs {
  seed?: string
  days?: string
  profile?: string
  accessScale?: string
  start?: string
  score?: boolean
  json?: boolean
  progress?: boolean
}

/** The simulator's options from the arguments; a bad value is a usage error. */
export function simOptions(args: SimulateArgs): SimOptions {
  const seed = args.seed ?? ''
  const options: SimOptions = { seed: /^\d{1,15}$/.test(seed) ? Number(seed) : seed }
  if (args.days !== undefined) {
    if (!/^\d{1,4}$/.test(args.days) || Number(args.days) < 1) throw new CliError(EXIT.USAGE, `--days must be a positive integer, got ${JSON.stringify(args.days)}`)
    options.days = Number(args.days)
  }
  if (args.profile !== undefined) {
    if (args.profile !== 'district' && args.profile !== 'city') throw new CliError(EXIT.USAGE, `--profile must be district or city, got ${JSON.stringify(args.profile)}`)
    options.profile = args.profile
  }
  if (args.accessScale !== undefined) {
    const x = Number(args.accessScale)
    if (!(Number.isFinite(x) && x > 0 && x <= 100)) throw new CliError(EXIT.USAGE, `--access-scale must be a number in (0, 100], got ${JSON.stringify(args.accessScale)}`)
    options.accessScale = x
  }
  if (args.start !== undefined) options.start = args.start
  return options
}

/** Whether `dir` is a directory with nothing in it. */
function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0
  } catch {
    return false // a file, or unreadable: opening it says why
  }
}

/**
 * Opens the ledger of `dir` for appending, creating it (like `init`) when `dir` does not exist or
 * is an empty directory.
 */
async function openForSimulation(dir: string): Promise<Ledger> {
  if (existsSync(dir) && !isEmptyDir(dir)) {
    const ledger = await openLedger(dir, 'append')
    if (ledger.size > 0) {
      await ledger.close()
      throw new CliError(EXIT.USAGE, `${dir} already holds ${count(ledger.size)} entries: simulate into a new or empty ledger`)
    }
    return ledger
  }
  checkNotWorkingDir(dir)
  const ledger = await Ledger.create(dir, { ...(await ledgerOptions('append')), origin: defaultOrigin(dir) })
  await writeOutput(join(dir, VKEY_FILE), `${ledger.vkey}\n`)
  return ledger
}

/** Generates the simulation into `ledger`; returns the truth and the resources' keys. */
async function run(ledger: Ledger, options: SimOptions, progress: boolean): Promise<{ truth: Truth; keys: Record<string, string> }> {
  let sim: Simulation
  try {
    sim = simulate(options)
  } catch (cause) {
    throw new CliError(EXIT.USAGE, `bad simulation options: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
  const p = sim.options
  const startMs = Date.parse(`${p.start}T00:00:00+08:00`)
  const bar = progressBar(progress, p.days, 'days')
  const resources = new Set<string>()
  let last = ''
  // Watches the stream on its way to the ledger: resources (for their keys) and the last time.
  function* watched(): Generator<Event> {
    for (const event of sim) {
      const r = event.data['resource']
      if (typeof r === 'string') resources.add(r)
      last = event.at
      yield event
    }
  }
  let events: number
  try {
    events = (await feedEvents(ledger, watched(), () => bar.update(Math.min(p.days, Math.floor((Date.parse(last) - startMs) / 86_400_000))))).events
    bar.update(p.days)
  } finally {
    bar.stop()
  }
  const keys = resourceKeys(sim, resources)
  const settings = { seed: p.seed, days: p.days, start: p.start, profile: options.profile ?? 'district', accessScale: options.accessScale ?? 1 }
  return { truth: { format: TRUTH_FORMAT, options: settings, events, asOf: last, labels: sim.truth }, keys }
}

/** Scores the findings of `store` (as of the truth's time) against `truth`. */
export async function scoreStore(store: ReadableStore, truth: Truth, progress = false): Promise<Score> {
  const { findings } = await findingsWithProgress(store, truth.asOf, progress)
  return scoreFindings(findings, truth.labels)
}

async function report(score: Score | undefined, asOf: string, json: boolean, summary: Record<string, unknown>): Promise<void> {
  if (json) await jsonLine(score === undefined ? summary : { ...summary, score: { asOf, ...score, perfect: isPerfect(score) } })
  else if (score) await out(formatScore(score, asOf))
  if (score && !isPerfect(score)) throw new CliError(EXIT.FAILED, `findings do not match the ground truth (recall ${score.overall.recall.toFixed(3)}, precision ${score.overall.precision.toFixed(3)})`)
}

/** The `simulate` command. */
export function simulateCommand(): Command {
  return new Command('simulate')
    .description('generate a realistic district workload into a ledger, with its ground truth; --score checks the findings')
    .argument('<dir>', 'ledger directory (created when missing; must be empty otherwise)')
    .option('--seed <s>', 'seed of the deterministic generator (digits: a number seed)', SIM_DEFAULTS.seed)
    .option('--days <n>', 'simulated days', SIM_DEFAULTS.days)
    .option('--profile <p>', 'district or city (10x governance volumes)', SIM_DEFAULTS.profile)
    .option('--access-scale <x>', 'fraction of the full access volume (100k calls a working day at 1)', SIM_DEFAULTS.accessScale)
    .option('--start <date>', 'first day, a Monday in 2026', SIM_DEFAULTS.start)
    .option('--score', 'print recall and precision of the findings per code against truth.json; exit 1 below 1.0 (with no option above: score an existing simulated ledger)')
    .option('--json', 'print {events, size, labels, checkpoint, score?} (score alone: {score})')
    .option('--progress', 'show a progress bar on stderr (default when stderr is a terminal)')
    .option('--no-progress', 'never show a progress bar')
    .action(async (dir: string, args: SimulateArgs, command: Command) => {
      const progress = wantProgress(args.progress)
      if (args.score && SHAPING.every((name) => command.getOptionValueSource(name) !== 'cli')) {
        const truth = readTruth(dir)
        const score = await withStore(dir, (store) => scoreStore(store, truth, progress))
        return report(score, truth.asOf, args.json === true, {})
      }
      const options = simOptions(args)
      const ledger = await openForSimulation(dir)
      let result: { truth: Truth; keys: Record<string, string> }
      let score: Score | undefined
      let checkpoint: string
      let size: number
      try {
        result = await run(ledger, options, progress)
        await writeOutput(join(dir, TRUTH_FILE), `${JSON.stringify(result.truth, null, 1)}\n`)
        await writeOutput(join(dir, KEYS_FILE), `${JSON.stringify(result.keys, null, 1)}\n`, { mode: 0o600 })
        if (args.score) score = await scoreStore(ledger.store, result.truth, progress)
        checkpoint = ledger.checkpoint()
        size = ledger.size
      } finally {
        await ledger.close()
      }
      const { truth } = result
      const summary = { events: truth.events, size, labels: truth.labels.length, asOf: truth.asOf, checkpoint }
      if (!args.json) {
        await line(
          `Simulated ${count(truth.events)} events (seed ${String(truth.options['seed'])}, ${String(truth.options['days'])} days) into ${dir}; ${count(truth.labels.length)} planted anomalies`,
        )
        await line(`Wrote ${TRUTH_FILE} (ground truth) and ${KEYS_FILE} (record keys: the platform's secret, keep it outside the ledger)`)
        await line()
        await line(checkpoint.trimEnd())
        if (score) await line()
      }
      await report(score, truth.asOf, args.json === true, summary)
    })
}
