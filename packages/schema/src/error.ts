import { LedgerError } from '@liuhen/core'

/**
 * Codes of {@link SchemaError}, stable:
 * - `SCHEMA_INVALID`: an event breaks the contract (missing field, wrong type, bad time...);
 * - `SCHEMA_TOO_LARGE`: an event is over the size limit;
 * - `SCHEMA_UNKNOWN_TYPE`: an event's `type` is a string that names no type of the contract.
 */
export type SchemaErrorCode = 'SCHEMA_INVALID' | 'SCHEMA_TOO_LARGE' | 'SCHEMA_UNKNOWN_TYPE'

/**
 * An input error in a batch of events. `details` holds `position` (0-based index in the batch),
 * `path` (dotted path of the field, `''` for the whole event) and, when the event has a string
 * id, `id`; `SCHEMA_TOO_LARGE` adds `size` and `maxBytes`.
 *
 * @example
 * throw new SchemaError('SCHEMA_INVALID', 'event 3 (id acc-1): data.rows: must be a non-negative integer',
 *   { position: 3, path: 'data.rows', id: 'acc-1' })
 */
export class SchemaError extends LedgerError<SchemaErrorCode> {
  override readonly name: string = 'SchemaError'
}
