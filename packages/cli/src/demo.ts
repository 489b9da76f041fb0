/**
 * `liuhen demo`: the main job. A month of a simulated district goes through the public append
 * path onto an embedded ledger (format 2: the log's files and LevelDB indexes); then the log is audited in full and asked the auditors'
 * questions, and a short report says what a newcomer should see: size and checkpoint, the audit,
 * findings by code with who answers for them (scored against the planted anomalies), the
 * mechanism mix, and one accountability chain in full. It leaves beside the ledger what is needed
 * to ask again: the verifier key (`ledger.vkey`) and the resources' record keys
 * (`resource-keys.json`), and ends with commands that do.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Command } from 'commander'
import { auditLog } from '@liuhen/verify'
import { isLedgerError } from '@liuhen/core'
import { Ledger, ledgerFormatOf, levelStoreOf, tiledStoreOf } from '@liuhen/ledger'
import { simulate } from '@liuhen/sim'
import { CliError, EXIT } from './exit.js'
import { feedEvents, noteResources, resourceKeys } from './feed.js'
import { VKEY_FILE } from './init.js'
import { progressBar, wantProgress } from './io.js'
import { ledgerOptions } from './ledger-options.js'
import { askAuditors, type DemoAnswers } from './demo-questions.js'
import { printReport } from './demo-report.js'
import { KEYS_FILE } from './simulate.js'
import { writeOutput } from './output-file.js'

/** A file that marks a directory as the demo's own, so a second run may replace it. */
const MARKER = '.liuhen-demo'

interface DemoOptions {
  dir: string
  seed: string
  days: string
  accessScale: string
  progress?: boolean
}

async function prepareDir(dir: string): Promise<void> {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, MARKER))) throw new CliError(EXIT.USAGE, `${dir} exists and is not a demo ledger; choose another --dir`)
    await checkNotInUse(dir)
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Refuses (exit 3) to replace a previous demo whose store another process holds open: a demo
 * still running there would fail midway, or report on a ledger replaced under it.
 */
async function checkNotInUse(dir: string): Promise<void> {
  // Format 2's writer holds the log's lock file and the index's LevelDB lock; format 1's, db/'s.
  const store = ledgerFormatOf(dir) === 2 ? tiledStoreOf(dir, undefined, { mustExist: true }) : levelStoreOf(dir, { mustExist: true })
  try {
    await store.open()
  } catch (err) {
    if (isLedgerError(err, 'STORE_LOCKED')) throw new CliError(EXIT.RUNTIME, `${dir} is in use by another process (a demo still running?); wait for it or choose another --dir`, { cause: err })
    return // damaged or half made: replaced all the same
  }
  await store.close()
}

async function runDemo(options: DemoOptions): Promise<void> {
  const dir = resolve(options.dir)
  const days = Number(options.days)
  const accessScale = Number(options.accessScale)
  if (!Number.isInteger(days) || days < 1 || days > 300) throw new CliError(EXIT.USAGE, '--days must be an integer from 1 to 300')
  if (!(accessScale > 0 && accessScale <= 1)) throw new CliError(EXIT.USAGE, '--access-scale must be in (0, 1]')
  await prepareDir(dir)
  const started = performance.now()
  const sim = simulate({ seed: options.seed, days, accessScale })
  const ledger = await Ledger.create(dir, { origin: 'demo.liuhen.example/district', ...(await ledgerOptions('append')) })
  await writeOutput(join(dir, MARKER), 'created by liuhen demo\n')
  await writeOutput(join(dir, VKEY_FILE), `${ledger.vkey}\n`)
  const resources = new Set<string>()
  let answers: DemoAnswers
  let appendMs: number
  try {
    const show = wantProgress(options.progress)
    process.stderr.write(show ? 'Simulating the district and appending its events (fsync per commit)\n' : '')
    const bar = progressBar(show, 0, 'events')
    appendMs = (await feedEvents(ledger, noteResources(sim, resources), (done) => bar.update(done))).appendMs
    bar.stop()
    // The platform's secret, as `simulate` keeps it: outside the db, for `query --record-key`.
    await writeOutput(join(dir, KEYS_FILE), `${JSON.stringify(resourceKeys(sim, resources), null, 1)}\n`, { mode: 0o600 })
    process.stderr.write(show ? 'Auditing the whole log\n' : '')
    const auditBar = progressBar(show, ledger.size, 'entries')
    const audit = await auditLog(ledger.store, { key: ledger.vkey, onProgress: (done, total) => auditBar.update(done, total) })
    auditBar.stop()
    answers = await askAuditors(ledger, sim, audit)
  } finally {
    await ledger.close()
  }
  printReport({ dir, seed: options.seed, sim, answers, appendMs, totalMs: performance.now() - started })
  if (!answers.audit.ok) throw new CliError(EXIT.FAILED, '')
}

/** The `demo` command. */
export function demoCommand(): Command {
  return new Command('demo')
    .description("the main job: simulate a month of a district, verify it, and answer the auditors' questions")
    .option('--dir <dir>', 'where to build the demo ledger (replaced if it is a previous demo that no process has open)', 'demo-ledger')
    .option('--seed <seed>', 'simulation seed', '2026')
    .option('--days <n>', 'days to simulate', '30')
    .option('--access-scale <x>', "fraction of the district's 100,000 daily accesses to simulate", '0.05')
    .option('--progress', 'show progress on stderr even when it is not a terminal')
    .option('--no-progress', 'never show progress')
    .action((options: DemoOptions) => runDemo(options))
}
