/**
 * The state file of a witness (`liuhen-witness-state/1`): the last checkpoint it cosigned of one
 * log. `liuhen witness cosign` and the service's witness endpoint keep it the same way: read and
 * checked against the log's key, and written durably before a cosignature is released
 * (tlog-witness).
 */
import { existsSync, readFileSync } from 'node:fs'
import { isLedgerError, LedgerError, openCheckpoint, showValue, verifierFromKey } from '@liuhen/core'
import { writeFileAtomic } from '@liuhen/ledger'
import type { WitnessState } from '@liuhen/verify'

/** Format tag of the witness state file. */
export const WITNESS_STATE_FORMAT = 'liuhen-witness-state/1'

/** The witness state file: what one witness remembers of one log. */
export interface WitnessStateFile {
  format: typeof WITNESS_STATE_FORMAT
  /** The log's origin line. */
  origin: string
  /** The log's verifier key. */
  vkey: string
  /** Size of `last`, for people reading the file. */
  size: number
  /** The last checkpoint note this witness cosigned (the log's note as it was handed over). */
  last: string
  /** When it cosigned `last` (ISO 8601, UTC). */
  cosignedAt: string
}

/** Largest state file read: one checkpoint note and a few fields. */
const MAX_STATE_BYTES = 1 << 20

const shown = (v: unknown): string => showValue(typeof v === 'string' ? JSON.stringify(v) : v)
const bad = (file: string, why: string): LedgerError => new LedgerError('INPUT_INVALID', `witness state ${file}: ${why}`, { path: file })

/**
 * Reads the state of `file` for the log of `vkey`; a missing file is a witness that has seen
 * nothing of this log yet. A state of another log, or one that does not verify, is
 * `INPUT_INVALID`.
 */
export function readWitnessState(file: string, vkey: string): WitnessState {
  const origin = verifierFromKey(vkey).name
  if (!existsSync(file)) return { origin, vkey }
  let value: Partial<WitnessStateFile>
  try {
    const text = readFileSync(file, 'utf8')
    if (text.length > MAX_STATE_BYTES) throw bad(file, 'too large')
    value = JSON.parse(text) as Partial<WitnessStateFile>
  } catch (cause) {
    if (cause instanceof LedgerError) throw cause
    throw bad(file, (cause as NodeJS.ErrnoException).code ?? 'not JSON')
  }
  if (value?.format !== WITNESS_STATE_FORMAT || typeof value.last !== 'string') throw bad(file, `not a ${WITNESS_STATE_FORMAT} file`)
  if (value.vkey !== vkey || value.origin !== origin) throw bad(file, `it is the state of another log (origin ${shown(value.origin)}, key ${shown(value.vkey)})`)
  let size: number
  try {
    size = openCheckpoint(value.last, verifierFromKey(vkey), { origin }).checkpoint.size
  } catch (err) {
    throw bad(file, `its last checkpoint does not verify with the log key (${isLedgerError(err) ? err.code : String(err)})`)
  }
  if (value.size !== size) throw bad(file, `size ${shown(value.size)} is not the size of its last checkpoint (${size})`)
  return { origin, vkey, last: value.last }
}

/**
 * Writes the state atomically and durably (a temporary file, synced, renamed over it, the folder
 * synced), so once this resolves a crash leaves the new state, and before it the old one.
 */
export function writeWitnessState(file: string, state: WitnessState, size: number, at: Date): Promise<void> {
  const value: WitnessStateFile = { format: WITNESS_STATE_FORMAT, origin: state.origin, vkey: state.vkey, size, last: state.last ?? '', cosignedAt: at.toISOString() }
  return writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 })
}
