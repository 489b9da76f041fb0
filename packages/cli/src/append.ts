/**
 * `liuhen append`: JSON Lines events from a file or stdin, appended in batches. Each batch is
 * one `appendBatch`: refused whole on a bad event, durable (fsync) before the next is read.
 */
import { fstatSync } from 'node:fs'
import { open } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { Command } from 'commander'
import { isLedgerError, LedgerError, parseStrictJson } from '@liuhen/core'
import type { Ledger } from '@liuhen/ledger'
import { CliError, EXIT } from './exit.js'
import { count, jsonLine, line, parseCount, progressBar, wantProgress, type Progress } from './io.js'
import { readLines } from './lines.js'
import { stoppableInput, watchInterruption, type Interruption } from './interrupt.js'
import { openLedger } from './open.js'

/** Events per batch unless `--batch` says otherwise. */
export const DEFAULT_BATCH = 1000
/** Largest `--batch`: the ledger's default limit of events in one commit. */
export const MAX_BATCH = 10_000

/** One durable commit of an append run, as `--json` prints it. */
export interface CommitLine {
  size: number
  first: number
  last: number
  checkpoint: string
}

interface AppendOptions {
  json?: boolean
  batch: string
  progress?: boolean
}

/** What an append run did so far; used to say what was kept when a later batch is refused. */
class AppendRun {
  readonly startSize: number
  commits = 0
  events = 0

  constructor(
    readonly ledger: Ledger,
    readonly json: boolean,
    readonly interruption?: Interruption,
  ) {
    this.startSize = ledger.size
  }

  /** Appends one batch; `lines` holds the input line number of each event. After a signal, none. */
  async flush(events: unknown[], lines: number[]): Promise<void> {
    if (events.length === 0 || this.interruption?.signal !== undefined) return
    const before = this.ledger.size
    try {
      await this.ledger.appendBatch(events)
    } catch (err) {
      throw this.refusal(err, lines)
    }
    this.events += events.length
    const size = this.ledger.size
    if (size === before) return // every event was already in the ledger (same id, same content)
    this.commits++
    if (this.json) await jsonLine({ size, first: before, last: size - 1, checkpoint: this.ledger.checkpoint() } satisfies CommitLine)
  }

  /** Rewrites a batch refusal to name the input line (1-based) instead of the batch position. */
  refusal(err: unknown, lines: number[]): unknown {
    if (!isLedgerError(err)) return err
    const position = err.details['position']
    const at = typeof position === 'number' ? lines[position] : undefined
    if (at === undefined) return new LedgerError<string>(err.code, `${err.message}${this.kept()}`, { ...err.details }, { cause: err })
    const message = /^event \d+/.test(err.message) ? err.message.replace(/^event \d+/, `line ${at}`) : `line ${at}: ${err.message}`
    return new LedgerError<string>(err.code, `${message}${this.kept()}`, { ...err.details, line: at }, { cause: err })
  }

  /** `` when nothing was appended before, else what earlier batches appended. */
  kept(): string {
    const added = this.ledger.size - this.startSize
    return added === 0 ? '; nothing appended' : `; nothing of its batch appended (earlier batches appended indexes ${this.startSize}-${this.ledger.size - 1})`
  }
}

/** Reads JSON Lines from `input` and appends them in batches of `batchSize`. */
async function appendLines(run: AppendRun, input: Readable, batchSize: number, progress: Progress): Promise<void> {
  let events: unknown[] = []
  let lines: number[] = []
  let bytes = 0
  try {
    for await (const { text, no, bytes: size } of readLines(input)) {
      // After a signal the input was cut where it stood: its last line may be a fragment.
      if (run.interruption?.signal !== undefined) break
      bytes += size
      // Blank lines (and a byte order mark) carry no event; they still count for line numbers.
      const trimmed = (no === 1 ? text.replace(/^\uFEFF/, '') : text).trim()
      if (trimmed === '') continue
      events.push(parseLine(trimmed, no))
      lines.push(no)
      if (events.length >= batchSize) {
        await run.flush(events, lines)
        events = []
        lines = []
        progress.update(bytes)
      }
    }
  } catch (err) {
    // A line refused while reading (too long, not UTF-8, not strict JSON): say what was kept.
    if (isLedgerError(err) && typeof err.details['line'] === 'number' && !('position' in err.details)) {
      // Unless a signal cut the input inside that line: the fragment is no input error.
      if (run.interruption?.signal !== undefined) return
      throw new LedgerError<string>(err.code, `${err.message}${run.kept()}`, { ...err.details }, { cause: err })
    }
    throw err
  }
  await run.flush(events, lines)
  progress.update(bytes)
}

/**
 * The event on line `no`: strict JSON (no repeated keys, no integer beyond ±(2^53−1), bounded
 * nesting), so nothing is stored other than what was written.
 */
function parseLine(text: string, no: number): unknown {
  try {
    return parseStrictJson(text)
  } catch (err) {
    if (!isLedgerError(err)) throw err
    throw new LedgerError(err.code, `line ${no}: ${err.message}`, { ...err.details, line: no }, { cause: err })
  }
}

/** Whether standard input is a directory (false when it cannot be looked at: closed). */
function stdinIsDirectory(): boolean {
  try {
    return fstatSync(0).isDirectory()
  } catch {
    return false
  }
}

async function openInput(file: string | undefined): Promise<{ input: Readable; total: number; close(): Promise<void> }> {
  if (file === undefined || file === '-') {
    // Node reads a directory given as stdin (`< dir`) as empty input: say so instead.
    if (stdinIsDirectory()) throw new CliError(EXIT.USAGE, 'cannot read input from stdin: it is a directory')
    return { input: process.stdin, total: 0, close: async () => {} }
  }
  try {
    const handle = await open(file, 'r')
    const stats = await handle.stat()
    if (stats.isDirectory()) {
      await handle.close()
      throw Object.assign(new Error(`EISDIR: ${file} is a directory`), { code: 'EISDIR' })
    }
    const { size } = stats
    return { input: handle.createReadStream({ autoClose: false }), total: size, close: () => handle.close() }
  } catch (cause) {
    throw new CliError(EXIT.USAGE, `cannot read input ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause })
  }
}

async function printSummary(run: AppendRun): Promise<void> {
  const { ledger } = run
  const added = ledger.size - run.startSize
  const repeated = run.events - added
  const again = repeated > 0 ? `; ${count(repeated)} already present` : ''
  if (added === 0) await line(`Nothing new appended${again}; ledger size ${count(ledger.size)}`)
  else {
    const commits = `${count(run.commits)} commit${run.commits === 1 ? '' : 's'}`
    await line(`Appended ${count(added)} events at indexes ${run.startSize}-${ledger.size - 1} in ${commits}${again}; ledger size ${count(ledger.size)}`)
  }
  await line()
  await line(ledger.checkpoint().trimEnd())
}

/** The `append` command. */
export function appendCommand(): Command {
  return new Command('append')
    .description('append JSON Lines events from a file or stdin; print the index range and checkpoint')
    .argument('<dir>', 'ledger directory')
    .argument('[file]', "JSON Lines file of events, or '-' for stdin (default)")
    .option('--json', 'print one JSON line per durable commit: {size, first, last, checkpoint}')
    .option('--batch <n>', `events per batch (one atomic commit each), 1 to ${MAX_BATCH}`, String(DEFAULT_BATCH))
    .option('--progress', 'show a progress bar on stderr (default when stderr is a terminal)')
    .option('--no-progress', 'never show a progress bar')
    .action(async (dir: string, file: string | undefined, opts: AppendOptions) => {
      const batchSize = parseCount('--batch', opts.batch, 1, MAX_BATCH)
      const source = await openInput(file)
      // A signal stops the input; the commit in flight finishes, the summary says what was kept.
      const input = stoppableInput(source.input)
      const interruption = watchInterruption(() => input.stop())
      try {
        const ledger = await openLedger(dir, 'append')
        const run = new AppendRun(ledger, opts.json === true, interruption)
        const progress = progressBar(wantProgress(opts.progress), source.total, source.total > 0 ? 'bytes' : 'bytes read')
        try {
          await appendLines(run, input.stream, batchSize, progress)
        } finally {
          progress.stop()
          await ledger.close()
        }
        if (!run.json) await printSummary(run)
        const added = ledger.size - run.startSize
        const kept = added === 0 ? 'nothing was appended' : `indexes ${run.startSize}-${ledger.size - 1} were appended and acknowledged`
        const stopped = interruption.error(`${kept}; the rest of the input was not appended`)
        if (stopped) throw stopped
      } finally {
        interruption.dispose()
        await source.close()
      }
    })
}
