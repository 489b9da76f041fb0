/**
 * The one place that builds the {@link LedgerOptions} the CLI opens ledgers with. For appends
 * the CLI plugs in the event contract of `@liuhen/schema` (the ledger itself knows no contract)
 * and the query indexes of `@liuhen/query` as the indexer (their postings are written in the
 * same batch as the entries). Wire anything else the ledger should do on append here, and only
 * here.
 */
import type { LedgerOptions } from '@liuhen/ledger'

/** What a command opens a ledger for: only `append` writes, so only it indexes. */
export type LedgerPurpose = 'append' | 'read'

/**
 * Options for `Ledger.open` / `Ledger.create` as the CLI uses them.
 * @example const ledger = await Ledger.open(dir, await ledgerOptions('append'))
 */
export async function ledgerOptions(purpose: LedgerPurpose): Promise<LedgerOptions> {
  if (purpose === 'read') return {}
  // Imported on demand: commands that never append (checkpoint, prove) need not load the contract or the query package.
  const [{ assertEventBatch }, { indexEntry }] = await Promise.all([import('@liuhen/schema'), import('@liuhen/query')])
  return { validate: (events, sizes) => assertEventBatch(events, { sizes }), indexer: indexEntry }
}
