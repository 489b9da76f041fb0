/** `liuhen export`: the exact entry bytes, base64, one JSON line each. */
import { Command } from 'commander'
import { toBase64 } from '@liuhen/core'
import { CliError, EXIT } from './exit.js'
import { jsonLine, parseCount, readKeyArg } from './io.js'
import { readEntryBatch, type EntryBatch } from './entry-batches.js'

/** The `export` command. */
export function exportCommand(): Command {
  return new Command('export')
    .description('print entries as JSON lines {index, entry: base64 of the exact entry bytes}')
    .argument('<dir>', 'ledger directory, or the URL of a published log (with --key)')
    .option('--from <i>', 'first index (default 0)')
    .option('--to <j>', 'end index, exclusive (default: the current size)')
    .option('--key <vkey>', "the log's verifier key (text or file), for a URL")
    .action(async (dir: string, opts: { from?: string; to?: string; key?: string }) => {
      const key = opts.key === undefined ? undefined : readKeyArg('key', opts.key)
      const from = opts.from === undefined ? 0 : parseCount('--from', opts.from)
      const wanted = opts.to === undefined ? undefined : parseCount('--to', opts.to)
      if (wanted !== undefined && from > wanted) throw new CliError(EXIT.USAGE, `--from ${from} is after --to ${wanted}`)
      // Bounded batches, the store released before each is printed: a slow consumer never
      // holds the ledger. The end is the size when the export began (or --to).
      let to: number | undefined
      for (let next = from; to === undefined || next < to;) {
        const batch = (await readEntryBatch(dir, next, to ?? wanted, undefined, key)) as EntryBatch
        to ??= Math.min(wanted ?? batch.size, batch.size)
        if (batch.entries.length === 0) break
        for (const { index, bytes } of batch.entries) await jsonLine({ index, entry: toBase64(bytes) })
        next = (batch.entries.at(-1) as { index: number }).index + 1
      }
    })
}
