/**
 * `liuhen findings`: every finding of @liuhen/query's `FindingsEngine` over the whole log, as of
 * a time, with its event, evidence and responsible parties. Exit 1 when any finding is present
 * (DESIGN.md: "verification failed or findings present"), 0 when none.
 */
import { Command } from 'commander'
import { formatLedgerTime, inlineText, type ReadableStore } from '@liuhen/core'
import { computeFindings, FINDING_CODES, filterFindings, type FindingCode, type FindingsRun } from '@liuhen/query'
import { auditorOf, defined, recordQuery, withAuditorOptions, type AsOptions } from './audit-trail.js'
import { CliError, EXIT } from './exit.js'
import { count, jsonLine, out, progressBar, wantProgress } from './io.js'
import { optionalTime } from './log-scan.js'
import { isRemote, withStore } from './open.js'
import { askService, refuseAs, TOKEN_ENV } from './remote.js'
import { partyName } from './chain.js'

interface FindingsOptions extends AsOptions {
  asOf?: string
  from?: string
  to?: string
  code?: string[]
  json?: boolean
  progress?: boolean
}

/** `computeFindings` of @liuhen/query with a progress bar on stderr when `progress`. */
export async function findingsWithProgress(store: ReadableStore, asOf: string | undefined, progress: boolean): Promise<FindingsRun> {
  const bar = progressBar(progress, (await store.readHead())?.size ?? 0, 'entries')
  try {
    return await computeFindings(store, asOf, (done, total) => bar.update(done, total))
  } finally {
    bar.stop()
  }
}

/** Checks `--code` values against the stable finding codes. */
export function parseCodes(codes: readonly string[] | undefined): FindingCode[] | undefined {
  if (codes === undefined) return undefined
  const known = FINDING_CODES as readonly string[]
  const bad = codes.find((c) => !known.includes(c))
  if (bad !== undefined) throw new CliError(EXIT.USAGE, `unknown finding code ${bad} (known: ${FINDING_CODES.join(', ')})`)
  return codes as FindingCode[]
}

/** Human output: findings grouped by code, with counts, each with evidence and parties. */
export function formatFindings(run: FindingsRun): string {
  const lines = [`Findings as of ${run.asOf ? formatLedgerTime(run.asOf) : '(empty log)'}: ${count(run.findings.length)}`]
  if (run.beyondLedgerTime !== undefined) {
    lines.push(`WARNING: that time, the latest an event claims, is after the ledger last recorded an entry (${run.beyondLedgerTime}); deadlines settled as of it may not have passed. Give --as-of.`)
  }
  for (const code of FINDING_CODES) {
    const group = run.findings.filter((f) => f.code === code)
    if (group.length === 0) continue
    lines.push('', `${code} (${count(group.length)})`)
    for (const f of group) {
      // Each line holds event data (ids, names, messages built from them): escaped whole, so
      // none can break its line and forge another.
      lines.push(inlineText(`  ${f.event}  #${f.index}  ${formatLedgerTime(f.at)}  ${f.message}`))
      if (f.evidence.length > 0) lines.push(inlineText(`    evidence: ${f.evidence.join(', ')}`))
      lines.push(inlineText(`    parties:  ${f.parties.map((p) => `${p.rule} ${p.role} ${partyName(p)}`).join('; ') || '(none named)'}`))
    }
  }
  if (run.unchecked.length > 0) lines.push('', inlineText(`Not checked (deadline beyond the calendar's years): ${run.unchecked.join(', ')}`))
  return lines.join('\n') + '\n'
}

/** The `findings` command. */
export function findingsCommand(): Command {
  const command = new Command('findings')
    .description('violations and missed deadlines, with evidence and responsible parties; exit 1 when any')
    .argument('<dir>', `ledger directory, or the URL of a liuhen serve (an auditor token in ${TOKEN_ENV})`)
    .option('--as-of <time>', "judge deadlines as of this time (default: the latest event's time)")
    .option('--from <time>', 'only findings about events at or after this time (RFC 3339, or YYYY-MM-DD)')
    .option('--to <time>', 'only findings about events at or before this time')
    .option('--code <code...>', `only these codes (${FINDING_CODES.length} stable codes, see README)`)
    .option('--json', 'print {asOf, findings: [{code, event, index, at, evidence, parties, message}], unchecked}')
    .option('--progress', 'show a progress bar on stderr (default when stderr is a terminal)')
    .option('--no-progress', 'never show a progress bar')
  return withAuditorOptions(command, true).action(async (dir: string, opts: FindingsOptions) => {
    const codes = parseCodes(opts.code)
    const asOf = optionalTime('--as-of', opts.asOf, true)
    const from = optionalTime('--from', opts.from)
    const to = optionalTime('--to', opts.to, true)
    if (isRemote(dir)) {
      refuseAs(dir, opts.as)
      const answer = (await askService(dir, 'findings', { asOf, from, to, code: codes })) as FindingsRun
      await (opts.json ? jsonLine(answer) : out(formatFindings(answer)))
      if (answer.findings.length > 0) throw new CliError(EXIT.FAILED, '')
      return
    }
    const run = await withStore(dir, (store) => findingsWithProgress(store, asOf, wantProgress(opts.progress)))
    run.findings = filterFindings(run.findings, { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }), ...(codes === undefined ? {} : { codes }) })
    const auditor = auditorOf(opts, true)
    if (auditor) await recordQuery(dir, auditor, 'findings', defined({ asOf, from, to, codes }), run.findings.length)
    await (opts.json ? jsonLine({ ...run, asOf: run.asOf && formatLedgerTime(run.asOf) }) : out(formatFindings(run)))
    if (run.findings.length > 0) throw new CliError(EXIT.FAILED, '')
  })
}
