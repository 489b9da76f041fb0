/**
 * `liuhen tail`: entries as JSON lines, and with `--follow` new ones as they are committed.
 *
 * `--follow` polls: every {@link POLL_MS} it opens the store, reads what is new (a bounded batch),
 * and closes it again before printing, so a slow reader of its output never keeps an appender
 * waiting. A format-2 ledger's log is read with no lock, while another process appends to it. A
 * format-1 store is LevelDB, one process at a time: while another process keeps it open, the polls
 * find it locked and print nothing until it is released. In-process readers should use
 * `Ledger.subscribe`, which needs no polling.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Command } from 'commander'
import { followLog, HttpLogReader } from '@liuhen/client'
import { decodeEntry, formatLedgerTime, LedgerError, openCheckpoint, toHex, verifierFromKey, type Entry } from '@liuhen/core'
import { readEntryBatch } from './entry-batches.js'
import { CliError, EXIT } from './exit.js'
import { jsonLine, parseCount, readKeyArg } from './io.js'
import { isRemote } from './open.js'

/** Interval between polls of `tail --follow`, in ms. */
export const POLL_MS = 500

/** One line of `tail`: hashes as lowercase hex, ledger time as RFC 3339 in the ledger's zone (+08:00). */
export function tailLine(entry: Entry): unknown {
  const refs = entry.refs.map((r) => (r.index === undefined || r.hash === undefined ? { name: r.name, id: r.id } : { name: r.name, id: r.id, index: r.index, hash: toHex(r.hash) }))
  return { index: entry.index, time: formatLedgerTime(entry.time), event: entry.event, refs }
}

/** What one batch read: the lines to print and the index after them. */
interface Batch {
  lines: unknown[]
  next: number
}

/**
 * Reads the entries from `next` on, a bounded batch at most, with the store released before
 * anything is printed (entry-batches.ts). Resolves undefined when the store is locked and
 * `waitMs` is 0 (a poll of `--follow`).
 */
async function readBatch(dir: string, next: number, waitMs?: number): Promise<Batch | undefined> {
  const batch = await readEntryBatch(dir, next, undefined, waitMs)
  if (!batch) return undefined
  const lines = batch.entries.map(({ index, bytes }) => {
    try {
      return tailLine(decodeEntry(bytes))
    } catch (cause) {
      // Stored bytes that do not decode are damage, not bad input: `liuhen verify` locates it.
      throw new LedgerError('STORE_CORRUPT', `entry ${index} does not decode (run liuhen verify)`, { index }, { cause })
    }
  })
  const last = batch.entries.at(-1)
  return { lines, next: last === undefined ? next : last.index + 1 }
}

/** Prints a batch, the store already released; waits for stdout to drain. */
async function printBatch(batch: Batch): Promise<void> {
  for (const value of batch.lines) await jsonLine(value)
}

/** Stops a follow loop on SIGINT or SIGTERM, so the store is closed before exit. */
function stopSignal(): { signal: AbortSignal; stopped: () => boolean; wait: (ms: number) => Promise<void>; dispose: () => void } {
  const controller = new AbortController()
  const stop = (): void => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return {
    signal: controller.signal,
    stopped: () => controller.signal.aborted,
    wait: (ms) => sleep(ms, undefined, { signal: controller.signal }).catch(() => undefined),
    dispose: () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    },
  }
}

async function follow(dir: string, from: number): Promise<void> {
  const signal = stopSignal()
  let next = from
  try {
    while (!signal.stopped()) {
      const batch = await readBatch(dir, next, 0)
      if (batch) {
        await printBatch(batch)
        if (batch.next > next) {
          next = batch.next
          continue // more may be waiting: read on without sleeping
        }
      }
      await signal.wait(POLL_MS)
    }
  } finally {
    signal.dispose()
  }
}

/**
 * Tails the log of a `liuhen serve` at `url`, verified as it arrives (`followLog` of
 * `@liuhen/client`: every entry against the checkpoints signed by `vkey`, from the first one);
 * prints from `from`. Without `follow` it stops at the size the service had when it started.
 */
async function tailRemote(url: string, vkey: string, from: number, follow: boolean): Promise<void> {
  const end = follow ? undefined : await remoteSize(url, vkey)
  if (end === 0) return
  const stop = stopSignal()
  try {
    for await (const e of followLog(url, vkey, { signal: stop.signal })) {
      if (e.index >= from) await jsonLine(tailLine(decodeEntry(e.bytes)))
      if (end !== undefined && e.index + 1 >= end) break
    }
  } finally {
    stop.dispose()
  }
}

/** The size of the signed checkpoint the service at `url` publishes now. */
async function remoteSize(url: string, vkey: string): Promise<number> {
  const log = new HttpLogReader(url, vkey)
  const checkpoint = await log.readCheckpoint()
  if (!checkpoint) throw new LedgerError('LEDGER_NOT_FOUND', `no log at ${url} (no checkpoint)`)
  return openCheckpoint(checkpoint.text, verifierFromKey(vkey)).checkpoint.size
}

/** The `tail` command. */
export function tailCommand(): Command {
  return new Command('tail')
    .description('print entries as JSON lines {index, time, event, refs}; with --follow, wait for new ones')
    .argument('<dir>', 'ledger directory, or the http(s) URL of a liuhen serve (needs --key; entries verified as they arrive)')
    .option('--from <i>', 'first index to print (default 0)')
    .option('-f, --follow', `keep printing new entries (polls every ${POLL_MS} ms; see README)`)
    .option('--key <vkey>', "the log's verifier key (text or file), for a URL")
    .action(async (dir: string, opts: { from?: string; follow?: boolean; key?: string }) => {
      let next = opts.from === undefined ? 0 : parseCount('--from', opts.from)
      if (isRemote(dir)) {
        if (opts.key === undefined) throw new CliError(EXIT.USAGE, `following the remote log ${dir} needs the log's verifier key (--key): it is not taken from the server`)
        return tailRemote(dir, readKeyArg('key', opts.key), next, opts.follow === true)
      }
      // Each batch's open waits for a lock like other commands, and fails on a missing ledger.
      for (;;) {
        const batch = (await readBatch(dir, next)) as Batch
        await printBatch(batch)
        if (batch.next === next) break
        next = batch.next
      }
      if (opts.follow) await follow(dir, next)
    })
}
