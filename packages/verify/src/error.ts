/**
 * Errors thrown by single checks in this package. A whole-log audit never throws for what it
 * finds: it returns failures with the {@link AuditCode}s of codes.ts. Single checks (a bundle,
 * a witness step, deriving a node from tiles) throw a {@link VerifyError} with one of these codes
 * or a core {@link LedgerErrorCode} (`BUNDLE_MALFORMED`, `NOTE_UNVERIFIED`, `PROOF_INVALID`, ...).
 */
import { LedgerError, type LedgerErrorCode } from '@liuhen/core'

/** Codes of this package's thrown errors (listed in the README). */
export type VerifyErrorCode =
  // witness refusals (C2SP tlog-witness: 409 and 422 cases)
  | 'WITNESS_ROLLBACK'
  | 'WITNESS_FORK'
  | 'WITNESS_PROOF_INVALID'
  // bundles (BUNDLE_MALFORMED and BUNDLE_UNVERIFIED are core's)
  | 'BUNDLE_EVENT_NOT_FOUND'
  | 'BUNDLE_TOO_LARGE'

/** The error class of `@liuhen/verify`: a {@link LedgerError} over this package's and core's codes. */
export class VerifyError extends LedgerError<VerifyErrorCode | LedgerErrorCode> {
  override readonly name: string = 'VerifyError'
}

/**
 * Runs `fn` on untrusted input and turns anything that is not a LedgerError into one with
 * `code`, so a hostile input never escapes as a raw SyntaxError or TypeError.
 */
export function guard<T>(code: LedgerErrorCode | VerifyErrorCode, what: string, fn: () => T): T {
  try {
    return fn()
  } catch (cause) {
    if (cause instanceof LedgerError) throw cause
    throw new VerifyError(code, `${what}: ${cause instanceof Error ? cause.message : String(cause)}`, {}, { cause })
  }
}
