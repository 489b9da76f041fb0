/**
 * Errors of the query package. Codes are stable; each is listed in the package README.
 */
import { LedgerError } from '@liuhen/core'

/** Codes thrown by `@liuhen/query`. */
export type QueryErrorCode =
  /** The event id asked for is not in the log. */
  | 'QUERY_EVENT_NOT_FOUND'
  /** A posting or a resolved ref names an entry the store does not hold. */
  | 'QUERY_ENTRY_MISSING'
  /** A working-day computation reached a day outside the calendar's covered years. */
  | 'CALENDAR_NOT_COVERED'
  /** A deadline or calendar configuration is malformed. */
  | 'CONFIG_INVALID'

/**
 * An error with a {@link QueryErrorCode}; lower errors (a decode failure, say) stay in `cause`.
 * @example throw new QueryError('QUERY_EVENT_NOT_FOUND', `no event ${id}`, { id })
 */
export class QueryError extends LedgerError<QueryErrorCode> {
  override readonly name: string = 'QueryError'
}
