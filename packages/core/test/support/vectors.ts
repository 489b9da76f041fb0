/** Helpers shared by the tests of signed notes, keys, checkpoints and cosignatures. */
import { readFileSync } from 'node:fs'
import { isLedgerError } from '../../src/error.js'

/** The repository's test/vectors/ folder. */
export const vectorsRoot = new URL('../../../../test/vectors/', import.meta.url)

/** A vector file under the repository's test/vectors/, as text. */
export const readVector = (path: string): string => readFileSync(new URL(path, vectorsRoot), 'utf8')

/** The code of the LedgerError `fn` throws (or a description of what else happened). */
export function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    return isLedgerError(err) ? err.code : `not a LedgerError: ${String(err)}`
  }
  return 'no error'
}
