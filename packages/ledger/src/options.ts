/** Options of the ledger, and the shapes of the proofs it serves. */
import type { Entry, Event, NoteSigner } from '@liuhen/core'

/** Options of {@link Ledger.open}. */
export interface LedgerOptions {
  /** The signer's private key text; default: the directory's `signer.key`. */
  skey?: string
  /**
   * The signer itself, in place of `skey` (a key held elsewhere: an environment variable, a
   * hardware module). It must sign for the ledger's key: `KEY_MALFORMED` otherwise.
   */
  signer?: NoteSigner
  /**
   * The per-type contract; throws a coded error naming the position and path of a bad event.
   * `sizes` are the events' JSON sizes in bytes, or upper bounds of them within the size limit
   * (the ledger has already enforced the limit). Pass the event contract of `@liuhen/schema`
   * (`(events, sizes) => assertEventBatch(events, { sizes })`), as the CLI does; without it
   * (or with `false`) only the envelope is checked: for ledgers of another contract, and for
   * tests of the engine itself.
   */
  validate?: ((events: readonly Event[], sizes: readonly number[]) => void) | false
  /**
   * Postings for the query indexes, written in the same batch as the entry (`indexEntry` of
   * `@liuhen/query` for the event contract's queries); `false` for none.
   */
  indexer?: ((entry: Entry) => { name: string; key: string }[]) | false
  /** Largest event accepted, in bytes of JSON (default 64 KiB). */
  maxEventBytes?: number
  /** Most events in one commit (default 10,000). */
  maxCommitEvents?: number
  /** Source of ledger time, ms since the epoch (default `Date.now`). */
  clock?: () => number
  /** Sync each commit to disk (default true). Off only for benchmarks of the non-durable path. */
  sync?: boolean
  /**
   * Open a ledger for reading only; appends fail with `STORE_READ_ONLY`. Format 2: the log is read
   * alone, with no lock, while another process may append (the head is the checkpoint published
   * at open; ids are not looked up). Format 1 (read-only media): the store is read from a private
   * copy (`LevelStore`'s `readOnly`) and nothing is written.
   */
  readOnly?: boolean
}

/**
 * Options of a ledger opened over stores given explicitly (`{ log, index }`): the hooks are
 * required, so a service that forgot one does not append events its queries never find.
 */
export interface StoresOptions extends LedgerOptions {
  validate: NonNullable<LedgerOptions['validate']>
  indexer: NonNullable<LedgerOptions['indexer']>
}

/** Options of {@link Ledger.create}. */
export interface CreateOptions extends LedgerOptions {
  /** Checkpoint origin, also the signer key's name. */
  origin: string
  /** On-disk format of a new ledger directory (FORMAT.md): 2 (default), or 1 for older tools. */
  format?: 1 | 2
}

/** An inclusion proof as the CLI prints it (`--json`), hashes in lowercase hex. */
export interface InclusionProof {
  index: number
  size: number
  leafHash: string
  proof: string[]
  root: string
}

/** A consistency proof, hashes in lowercase hex. */
export interface ConsistencyProof {
  size1: number
  size2: number
  proof: string[]
  root1: string
  root2: string
}
