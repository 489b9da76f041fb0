/**
 * A ledger directory: `db/` holds the LevelDB store, `signer.key` the log's private key (mode
 * 0600, the Go note package's `PRIVATE+KEY+…` text). FORMAT.md documents both.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LedgerError } from '@liuhen/core'
import { LevelStore, type LevelStoreOptions } from '@liuhen/store-level'

/** Path of the LevelDB store inside a ledger directory. */
export const storePath = (dir: string): string => join(dir, 'db')
/** Path of the signer key inside a ledger directory. */
export const signerPath = (dir: string): string => join(dir, 'signer.key')

/** Writes the signer key of a new ledger directory; refuses to overwrite one. */
export function writeSignerKey(dir: string, skey: string): void {
  mkdirSync(dir, { recursive: true })
  if (existsSync(signerPath(dir))) throw new LedgerError('STORE_EXISTS', `a ledger already exists at ${dir}`)
  writeFileSync(signerPath(dir), `${skey}\n`, { mode: 0o600, flag: 'wx' })
}

/** Reads the signer key of a ledger directory. */
export function readSignerKey(dir: string): string {
  try {
    return readFileSync(signerPath(dir), 'utf8').trim()
  } catch (cause) {
    throw new LedgerError('LEDGER_NOT_FOUND', `no ledger at ${dir} (no signer.key)`, {}, { cause })
  }
}

/** The LevelDB store of a ledger directory. */
export function levelStoreOf(dir: string, options: LevelStoreOptions = {}): LevelStore {
  return new LevelStore(storePath(dir), options)
}
