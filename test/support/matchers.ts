/**
 * `toThrowWithCode(code, details?)`: the function throws an error whose `code` is `code` and,
 * when given, whose `details` contain `details` (compared with equality, extra keys allowed).
 * Import this file for its side effect: `import '../../../test/support/matchers.js'`.
 *
 * @example
 * expect(() => assertEventBatch([bad])).toThrowWithCode('SCHEMA_INVALID', { position: 0 })
 */
import { expect } from 'vitest'

interface CodeMatchers<R = unknown> {
  toThrowWithCode(code: string, details?: Record<string, unknown>): R
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends CodeMatchers<T> {}
}

expect.extend({
  toThrowWithCode(received: unknown, code: string, details?: Record<string, unknown>) {
    if (typeof received !== 'function') throw new TypeError('toThrowWithCode expects a function')
    let thrown: unknown
    let threw = false
    try {
      ;(received as () => unknown)()
    } catch (err) {
      threw = true
      thrown = err
    }
    const actual = thrown as { code?: unknown; details?: unknown; message?: unknown } | undefined
    const codeOk = threw && actual?.code === code
    const detailsOk = details === undefined || this.equals(actual?.details, expect.objectContaining(details))
    const what = !threw ? 'nothing was thrown' : `threw code ${String(actual?.code)}: ${String(actual?.message)}`
    return {
      pass: codeOk && detailsOk,
      message: () =>
        this.isNot
          ? `expected not to throw code ${code}, but ${what}`
          : `expected to throw code ${code}${details ? ` with details ${this.utils.stringify(details)}` : ''}, but ${what}` + (codeOk ? `; details were ${this.utils.stringify(actual?.details)}` : ''),
    }
  },
})
