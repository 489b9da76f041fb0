import { isLedgerError } from '@liuhen/core'
import { verifyBundle } from '../../src/index.js'

/** True when the bundle fails as it must: a thrown LedgerError or `ok: false`. */
export function rejectsBundle(text: string, key: string): boolean {
  try {
    return !verifyBundle(text, { key }).ok
  } catch (err) {
    if (!isLedgerError(err)) throw err
    return true
  }
}
