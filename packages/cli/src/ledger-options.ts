/**
 * The one place that builds the {@link LedgerOptions} every command opens a ledger with: the
 * event contract of `@liuhen/schema` as the batch validator, and the query indexes of
 * `@liuhen/query` as the indexer (their postings are written in the same batch as the entries).
 * Wire anything else the ledger should do on append here, and only here.
 */
import type { LedgerOptions } from '@liuhen/ledger'
import { indexEntry } from '@liuhen/query'
import { assertEventBatch } from '@liuhen/schema'

/**
 * Options for `Ledger.open` / `Ledger.create` as the CLI uses them.
 * @example const ledger = await Ledger.open(dir, ledgerOptions())
 */
export function ledgerOptions(): LedgerOptions {
  return {
    validate: (events) => assertEventBatch(events),
    indexer: indexEntry,
  }
}
