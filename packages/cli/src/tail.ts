/**
 * `liuhen tail`: entries as JSON lines, and with `--follow` new ones as they are committed.
 *
 * LevelDB lets one process open a database at a time, so `--follow` cannot subscribe to a ledger
 * that another process appends to. It polls instead: every {@link POLL_MS} it opens the store,
 * reads what is new, and closes it again. While another process keeps the ledger open (a
 * long-running appender), the polls find it locked and print nothing until it is released;
 * `liuhen append` runs hold it only while they append. In-process readers should use
 * `Ledger.subscribe`, which needs no polling.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Command } from 'commander'
import { decodeEntry, formatLedgerTime, isLedgerError, LedgerError, toHex, type Entry } from '@liuhen/core'
import type { LevelStore } from '@liuhen/store-level'
import { jsonLine, parseCount } from './io.js'
import { openStore } from './open.js'

/** Interval between polls of `tail --follow`, in ms. */
export const POLL_MS = 500
/** Most entries read in one poll, so the store is released soon for appenders. */
const MAX_PER_POLL = 10_000

/** One line of `tail`: hashes as lowercase hex, ledger time as RFC 3339 in the ledger's zone (+08:00). */
export function tailLine(entry: Entry): unknown {
  const refs = entry.refs.map((r) => (r.index === undefined || r.hash === undefined ? { name: r.name, id: r.id } : { name: r.name, id: r.id, index: r.index, hash: toHex(r.hash) }))
  return { index: entry.index, time: formatLedgerTime(entry.time), event: entry.event, refs }
}

/** Prints entries [next, size) of `store` (at most MAX_PER_POLL); returns the next index. */
async function printNew(store: LevelStore, next: number): Promise<number> {
  const size = (await store.readHead())?.size ?? 0
  const to = Math.min(size, next + MAX_PER_POLL)
  for await (const { index, bytes } of store.readEntries(next, to)) {
    let entry: Entry
    try {
      entry = decodeEntry(bytes)
    } catch (cause) {
      // Stored bytes that do not decode are damage, not bad input: `liuhen verify` locates it.
      throw new LedgerError('STORE_CORRUPT', `entry ${index} does not decode (run liuhen verify)`, { index }, { cause })
    }
    await jsonLine(tailLine(entry))
    next = index + 1
  }
  return Math.max(next, to)
}

/** Stops a follow loop on SIGINT or SIGTERM, so the store is closed before exit. */
function stopSignal(): { stopped: () => boolean; wait: (ms: number) => Promise<void>; dispose: () => void } {
  const controller = new AbortController()
  const stop = (): void => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return {
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
      let store: LevelStore | undefined
      try {
        store = await openStore(dir, 0)
      } catch (err) {
        if (!isLedgerError(err, 'STORE_LOCKED')) throw err // held by an appender: try at the next poll
      }
      if (store) {
        let before = next
        try {
          do {
            before = next
            next = await printNew(store, next)
          } while (next > before && !signal.stopped() && next - before >= MAX_PER_POLL)
        } finally {
          await store.close()
        }
      }
      await signal.wait(POLL_MS)
    }
  } finally {
    signal.dispose()
  }
}

/** The `tail` command. */
export function tailCommand(): Command {
  return new Command('tail')
    .description('print entries as JSON lines {index, time, event, refs}; with --follow, wait for new ones')
    .argument('<dir>', 'ledger directory')
    .option('--from <i>', 'first index to print (default 0)')
    .option('-f, --follow', `keep printing new entries (polls every ${POLL_MS} ms; see README)`)
    .action(async (dir: string, opts: { from?: string; follow?: boolean }) => {
      const from = opts.from === undefined ? 0 : parseCount('--from', opts.from)
      // The first open waits for a lock like other commands, and fails on a missing ledger.
      const store = await openStore(dir)
      let next = from
      try {
        for (let before = -1; next > before;) {
          before = next
          next = await printNew(store, next)
        }
      } finally {
        await store.close()
      }
      if (opts.follow) await follow(dir, next)
    })
}
