/**
 * `liuhen stats`: the mechanism mix (auditor question 9) of @liuhen/query's `StatsEngine`:
 * grants, accesses and rows by mechanism (from each grant's basis), by flow direction (from the
 * registered org levels of owner and grantee) and by sensitivity (grade, and personal data).
 */
import { Command } from 'commander'
import { computeStats, type StatsReport, type Tally } from '@liuhen/query'
import { count, jsonLine, out, progressBar, wantProgress } from './io.js'
import { isRemote, withStore } from './open.js'
import { askService, TOKEN_ENV } from './remote.js'
import { formatTable } from './table.js'

const share = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`)

function section(title: string, byKey: Partial<Record<string, Tally>>, totals: Tally): string {
  const rows = Object.entries(byKey)
    .filter((e): e is [string, Tally] => e[1] !== undefined)
    .sort((a, b) => b[1].accesses - a[1].accesses || a[0].localeCompare(b[0]))
    .map(([k, t]) => [k, count(t.grants), share(t.grants, totals.grants), count(t.accesses), share(t.accesses, totals.accesses), count(t.rows)])
  rows.push(['total', count(totals.grants), '', count(totals.accesses), '', count(totals.rows)])
  return `${title}\n${formatTable([title.split(' ').pop() ?? '', 'grants', 'share', 'accesses', 'share', 'rows'], rows, ['grants', 'share', 'accesses', 'rows'])}`
}

/** Human output: one table per dimension. */
export function formatStats(s: StatsReport): string {
  return [
    section('By mechanism', s.byMechanism, s.totals),
    section('By direction', s.byDirection, s.totals),
    section('By sensitivity', s.bySensitivity, s.totals),
    'Mechanism from the grant\'s basis (catalogue: platform-auto, reply: platform-reply, agreement: exchange,\nendorsement: escalation, binding: bundling); direction from the org levels of owner and grantee;\nsensitivity is the grade, "+pi" when the grant covers personal information. Denied accesses are not counted.\n',
  ].join('\n')
}

/** The `stats` command. */
export function statsCommand(): Command {
  return new Command('stats')
    .description('mechanism mix: grants, accesses and rows by mechanism, flow direction and sensitivity')
    .argument('<dir>', `ledger directory, or the URL of a liuhen serve (an auditor token in ${TOKEN_ENV})`)
    .option('--json', 'print {totals, byMechanism, byDirection, bySensitivity, cells}')
    .option('--progress', 'show a progress bar on stderr (default when stderr is a terminal)')
    .option('--no-progress', 'never show a progress bar')
    .action(async (dir: string, opts: { json?: boolean; progress?: boolean }) => {
      const report = isRemote(dir)
        ? ((await askService(dir, 'stats')) as StatsReport)
        : await withStore(dir, async (store) => {
            const bar = progressBar(wantProgress(opts.progress), (await store.readHead())?.size ?? 0, 'entries')
            try {
              return await computeStats(store, (done, total) => bar.update(done, total))
            } finally {
              bar.stop()
            }
          })
      await (opts.json ? jsonLine(report) : out(formatStats(report)))
    })
}
