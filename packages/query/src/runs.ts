/**
 * The auditors' scans of a whole log as the command line and the service both run them: the
 * findings as of a time, and the mechanism mix with its totals.
 */
import { formatLedgerTime, type ReadableStore } from '@liuhen/core'
import { FindingsEngine } from './findings.js'
import { scanLog } from './scan.js'
import { StatsEngine, type Stats, type Tally } from './stats.js'
import type { Finding } from './types.js'

/** The findings of a log as of a time, and what could not be checked. */
export interface FindingsRun {
  asOf: string
  findings: Finding[]
  unchecked: readonly string[]
  /**
   * Set when `asOf` is the default and is later than the ledger time of the last entry: an
   * event claims a business time that had not come when the ledger recorded it (the year 9999,
   * say), and deadlines settled as of that time are findings no one can have missed yet.
   */
  beyondLedgerTime?: string
}

/**
 * Runs the findings engine over every entry of `store` (but `audit.queried`), as of `asOf`
 * (default: the latest event's time).
 */
export async function computeFindings(store: ReadableStore, asOf: string | undefined, onProgress?: (done: number, total: number) => void): Promise<FindingsRun> {
  const engine = new FindingsEngine()
  let recorded = Number.NEGATIVE_INFINITY
  await scanLog(
    store,
    (e) => {
      engine.add(e)
      if (e.time > recorded) recorded = e.time
    },
    onProgress,
  )
  const run: FindingsRun = { asOf: asOf ?? engine.latestAt, findings: engine.finish(asOf), unchecked: engine.unchecked }
  // The default is a time a department wrote: said when it lies beyond what the ledger recorded.
  if (asOf === undefined && Date.parse(run.asOf) > recorded) run.beyondLedgerTime = formatLedgerTime(recorded)
  return run
}

/** The mechanism mix with its totals, as `liuhen stats --json` prints it. */
export interface StatsReport extends Stats {
  totals: Tally
}

/** The mechanism mix of every entry of `store`. */
export async function computeStats(store: ReadableStore, onProgress?: (done: number, total: number) => void): Promise<StatsReport> {
  const engine = new StatsEngine()
  await scanLog(store, (e) => engine.add(e), onProgress)
  const stats = engine.result()
  const totals: Tally = { grants: 0, accesses: 0, rows: 0 }
  for (const c of stats.cells) {
    totals.grants += c.grants
    totals.accesses += c.accesses
    totals.rows += c.rows
  }
  return { totals, ...stats }
}
