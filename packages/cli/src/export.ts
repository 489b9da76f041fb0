/** `liuhen export`: the exact entry bytes, base64, one JSON line each. */
import { Command } from 'commander'
import { toBase64 } from '@liuhen/core'
import { CliError, EXIT } from './exit.js'
import { jsonLine, parseCount } from './io.js'
import { withStore } from './open.js'

/** The `export` command. */
export function exportCommand(): Command {
  return new Command('export')
    .description('print entries as JSON lines {index, entry: base64 of the exact entry bytes}')
    .argument('<dir>', 'ledger directory')
    .option('--from <i>', 'first index (default 0)')
    .option('--to <j>', 'end index, exclusive (default: the current size)')
    .action(async (dir: string, opts: { from?: string; to?: string }) => {
      const from = opts.from === undefined ? 0 : parseCount('--from', opts.from)
      const wanted = opts.to === undefined ? undefined : parseCount('--to', opts.to)
      await withStore(dir, async (store) => {
        const size = (await store.readHead())?.size ?? 0
        const to = Math.min(wanted ?? size, size)
        if (wanted !== undefined && from > wanted) throw new CliError(EXIT.USAGE, `--from ${from} is after --to ${wanted}`)
        for await (const { index, bytes } of store.readEntries(from, to)) await jsonLine({ index, entry: toBase64(bytes) })
      })
    })
}
