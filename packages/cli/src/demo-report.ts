/** The demo's report on stdout: short sections a newcomer reads top to bottom. */
import { realpathSync } from 'node:fs'
import { delimiter, isAbsolute, join, relative, sep } from 'node:path'
import pc from 'picocolors'
import { formatLedgerTime } from '@liuhen/core'
import type { Finding, Party, Stats, Tally } from '@liuhen/query'
import type { Simulation } from '@liuhen/sim'
import type { CheckedChain } from '@liuhen/query'
import { formatChainTree } from './chain.js'
import type { DemoAnswers } from './demo-questions.js'
import { VKEY_FILE } from './init.js'
import { count } from './io.js'
import { KEYS_FILE } from './simulate.js'

interface ReportInput {
  dir: string
  seed: string
  sim: Simulation
  answers: DemoAnswers
  appendMs: number
  totalMs: number
}

const say = (text = ''): void => {
  process.stdout.write(`${text}\n`)
}
const heading = (n: number, text: string): void => say(`\n${pc.bold(`${n}. ${text}`)}`)
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - text.length))
const ratio = (x: number): string => x.toFixed(2)

function party(p: Party): string {
  return `${p.dept}${p.person ? `/${p.person}` : ''} ${pc.dim(`(${p.role}, ${p.rule})`)}`
}

function printFindings(findings: readonly Finding[], answers: DemoAnswers): void {
  const { overall } = answers.score
  const scoreText = `recall ${ratio(overall.recall)}, precision ${ratio(overall.precision)}`
  heading(3, `Findings: ${count(findings.length)} — against ${count(overall.labels)} planted anomalies: ${overall.recall === 1 && overall.precision === 1 ? pc.green(scoreText) : pc.red(scoreText)}`)
  const byCode = new Map<string, Finding[]>()
  for (const f of findings) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f])
  say(pc.dim(`   ${pad('code', 24)}${pad('count', 7)}who answers (rule)`))
  for (const [code, list] of [...byCode].sort((a, b) => b[1].length - a[1].length)) {
    const roles = [...new Set(list.flatMap((f) => f.parties.map((p) => `${p.role} ${p.rule}`)))].join(', ')
    say(`   ${pad(code, 24)}${pad(count(list.length), 7)}${roles}`)
  }
  const example = findings.find((f) => f.code.startsWith('ACCESS_')) ?? findings[0]
  if (example) {
    say(`   e.g. ${pc.bold(example.code)} on ${example.event}: ${example.message}`)
    for (const p of example.parties) say(`        ${party(p)}`)
  }
}

function tallies(title: string, rows: Partial<Record<string, Tally>>): void {
  const cells = Object.entries(rows).filter((e): e is [string, Tally] => e[1] !== undefined)
  say(`   ${pad(title, 15)}${cells.map(([k, t]) => `${k} ${count(t.grants)}/${count(t.accesses)}`).join(pc.dim('  ·  '))}`)
}

function printStats(stats: Stats): void {
  heading(4, "Mechanism mix (grants/accesses), from the grants' bases and the orgs' levels")
  tallies('by mechanism', stats.byMechanism)
  tallies('by direction', stats.byDirection)
  tallies('by sensitivity', stats.bySensitivity)
}

function printChain(chain: CheckedChain): void {
  const verified = chain.broken.length === 0
  heading(5, `One accountability chain in full: ${verified ? pc.green('every link verified against the checkpoint') : pc.red('a link failed')}`)
  for (const l of formatChainTree(chain).trimEnd().split('\n')) say(`   ${l}`)
  say('   Who answers for this use of data:')
  for (const p of chain.parties) say(`     ${party(p)}`)
}

/** A path as one shell word: quoted when it holds anything but safe characters. */
const word = (text: string): string => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`)

/**
 * The commands that ask the demo's questions again, each runnable as printed, with a note where
 * its exit code is not 0 (`findings` exits 1 when it finds something).
 */
export function askAgain(input: Pick<ReportInput, 'dir' | 'answers'>, liuhen = invokedAs()): [string, string][] {
  const dir = word(input.dir)
  const vkey = word(join(input.dir, VKEY_FILE))
  const commands: [string, string][] = [
    [`${liuhen} verify ${dir} --key ${vkey}`, ''],
    [`${liuhen} findings ${dir}`, 'exit 1: findings are present'],
    [`${liuhen} stats ${dir}`, ''],
  ]
  const { chain, record } = input.answers
  if (chain) commands.push([`${liuhen} chain ${dir} ${word(chain.event.id)} --key ${vkey}`, ''])
  if (record) commands.push([`${liuhen} query ${dir} --resource ${word(record.resource)} --record ${word(record.id)} --record-key ${word(join(input.dir, KEYS_FILE))}`, ''])
  return commands
}

/**
 * The command that runs this `liuhen` again from the working folder, as a shell word: `liuhen`
 * where that name on PATH is this launcher (an installed package), else the launcher's path,
 * relative where it lies below the working folder (`bin/liuhen` in a checkout).
 */
export function invokedAs(script = process.argv[1] ?? 'liuhen'): string {
  const real = (file: string): string | undefined => {
    try {
      return realpathSync(file)
    } catch {
      return undefined
    }
  }
  const self = real(script)
  for (const folder of (process.env['PATH'] ?? '').split(delimiter)) if (folder && self !== undefined && real(join(folder, 'liuhen')) === self) return 'liuhen'
  const rel = relative(process.cwd(), script)
  return word(rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? (rel.includes(sep) ? rel : `.${sep}${rel}`) : script)
}

/** Prints the whole report. */
export function printReport(input: ReportInput): void {
  const { answers, sim } = input
  const o = sim.options
  say(pc.bold(`Liuhen (留痕) demo: ${o.days} days of a simulated district`))
  say(pc.dim(`seed ${input.seed} · ${o.start}, ${o.days} days · ${o.accessScale} of the district's access volume · ledger in ${input.dir}`))
  heading(1, `The ledger: ${count(answers.size)} events, appended durably in ${secs(input.appendMs)} (${count(Math.round(answers.size / (input.appendMs / 1000)))} events/s)`)
  say('   Latest signed checkpoint (C2SP signed note):')
  for (const l of answers.checkpoint.trimEnd().split('\n')) say(`     ${pc.dim(l)}`)
  const a = answers.audit
  heading(
    2,
    `Audit: ${a.ok ? pc.green('VALID') : pc.red('FAILED')} — ${count(a.entries.valid)}/${count(a.entries.checked)} entries valid, ${count(a.checkpoints.consistent)}/${count(a.checkpoints.checked)} checkpoints, in ${secs(a.durationMs)}`,
  )
  for (const f of a.failures.slice(0, 5)) say(`   ${pc.red(f.code)} ${f.message}`)
  printFindings(answers.findings, answers)
  printStats(answers.stats)
  if (answers.chain) printChain(answers.chain)
  if (answers.record) {
    const r = answers.record
    heading(6, `Who accessed record ${r.id} of ${r.resource}? (looked up by keyed digest: the ledger holds no record ids)`)
    for (const row of r.accesses) {
      say(
        `   ${formatLedgerTime(row.at)}  ${pad(`${row.dept}/${row.person ?? '?'}`, 40)} ${row.id}  grant ${row.grant?.id ?? pc.red(row.grantRef ?? 'none')}  basis ${row.basis?.type ?? row.basis?.name ?? '-'}`,
      )
    }
  }
  say(`\nDone in ${secs(input.totalMs)}. Ask again (${VKEY_FILE} and ${KEYS_FILE} are in ${input.dir}):`)
  for (const [command, note] of askAgain(input)) say(`   ${pc.bold(command)}${note ? pc.dim(`   # ${note}`) : ''}`)
}
