/**
 * The one place that builds the {@link LedgerOptions} the CLI opens ledgers with. For appends:
 * the event contract of `@liuhen/schema` as the batch validator, and the query indexes of
 * `@liuhen/query` as the indexer (their postings are written in the same batch as the entries).
 * Wire anything else the ledger should do on append here, and only here.
 *
 * Both are imported on demand: compiling the schemas takes a good part of a second, which
 * commands that never append (checkpoint, prove) should not pay.
 */
import type { LedgerOptions } from '@liuhen/ledger'

/** What a command opens a ledger for: only `append` writes, so only it validates and indexes. */
export type LedgerPurpose = 'append' | 'read'

/**
 * Options for `Ledger.open` / `Ledger.create` as the CLI uses them.
 * @example const ledger = await Ledger.open(dir, await ledgerOptions('append'))
 */
export async function ledgerOptions(purpose: LedgerPurpose): Promise<LedgerOptions> {
  if (purpose === 'read') return {}
  const [{ assertEventBatch }, { indexEntry }] = await Promise.all([import('@liuhen/schema'), import('@liuhen/query')])
  return {
    validate: (events, sizes) => assertEventBatch(events, { sizes }),
    indexer: indexEntry,
  }
}
