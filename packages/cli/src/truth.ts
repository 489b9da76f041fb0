/**
 * The ground truth of a simulated ledger (`<dir>/truth.json`, written by `liuhen simulate`) and
 * the printed score of the findings against it (`scoreFindings` of score.ts: a finding matches
 * a label when code and event id are equal).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatLedgerTime } from '@liuhen/core'
import { CliError, EXIT } from './exit.js'
import type { Score, ScoreLine } from './score.js'
import { formatTable } from './table.js'

/** File name of the ground truth, beside the ledger's `db/`. */
export const TRUTH_FILE = 'truth.json'
/** Format tag of {@link TRUTH_FILE}. */
export const TRUTH_FORMAT = 'liuhen-truth/1'

/** A planted anomaly: the finding the ledger must report, about which event. */
export interface TruthLabel {
  code: string
  event: string
  note?: string
}

/** The content of `truth.json`. */
export interface Truth {
  format: typeof TRUTH_FORMAT
  /** The simulation's options (seed, days, start, profile, accessScale). */
  options: Record<string, unknown>
  /** Events generated, and the `at` of the last one: findings are judged as of it. */
  events: number
  asOf: string
  labels: TruthLabel[]
}

/** Reads `<dir>/truth.json`; a ledger without one was not made by `liuhen simulate` (exit 2). */
export function readTruth(dir: string): Truth {
  const file = join(dir, TRUTH_FILE)
  if (!existsSync(file)) throw new CliError(EXIT.USAGE, `no ${TRUTH_FILE} in ${dir}: --score needs a ledger made by liuhen simulate`)
  let truth: unknown
  try {
    truth = JSON.parse(readFileSync(file, 'utf8'))
  } catch (cause) {
    throw new CliError(EXIT.USAGE, `${file} is not JSON`, { cause })
  }
  const t = truth as Partial<Truth>
  if (t.format !== TRUTH_FORMAT || !Array.isArray(t.labels) || typeof t.asOf !== 'string') throw new CliError(EXIT.USAGE, `${file} is not a ${TRUTH_FORMAT} file`)
  return truth as Truth
}

const pct = (x: number): string => x.toFixed(3)

/** True when recall and precision are 1 for every code. */
export const isPerfect = (s: Score): boolean => Object.values(s.byCode).every((c) => c.recall === 1 && c.precision === 1)

/** Human output: a table of codes, then the overall line and the verdict. */
export function formatScore(s: Score, asOf: string): string {
  const row = (name: string, c: ScoreLine): string[] => [name, String(c.labels), String(c.found), String(c.matched), pct(c.recall), pct(c.precision)]
  const rows = Object.entries(s.byCode).map(([code, c]) => row(code, c))
  rows.push(row('overall', s.overall))
  const verdict = isPerfect(s) ? 'Result: recall and precision 1.0 for every code.' : 'Result: FAILED, recall or precision below 1.0.'
  return `Findings as of ${formatLedgerTime(asOf)} against the ground truth\n${formatTable(['code', 'labels', 'findings', 'matched', 'recall', 'precision'], rows, ['labels', 'findings', 'matched', 'recall', 'precision'])}\n${verdict}\n`
}
