/**
 * `POST /v1/events`: a writer's batch of events, answered once durable with its receipts and the
 * signed checkpoint that covers them. A writer may append only events of its own departments
 * (`actor.dept`): a department cannot put words in another's mouth. A bad event refuses the
 * whole batch, naming its position and field; nothing of it is written.
 */
import type { IncomingMessage } from 'node:http'
import { LedgerError } from '@liuhen/core'
import type { Ledger } from '@liuhen/ledger'
import { parseEvents } from './events-body.js'
import { HttpError, readBody } from './http.js'
import type { TokenRecord } from './tokens.js'

/** The answer to an append. */
export interface AppendAnswer {
  receipts: { id: string; index: number; leafHash: string }[]
  size: number
  checkpoint: string
}

/**
 * Refuses (403, `AUTH_FORBIDDEN`, naming the position) an event whose `actor.dept` is not one of
 * the token's departments; one without a department is left to the envelope check (400).
 */
export function checkDepartments(events: readonly unknown[], token: TokenRecord): void {
  events.forEach((event, position) => {
    const dept: unknown = (event as { actor?: { dept?: unknown } } | null)?.actor?.dept
    if (typeof dept !== 'string') return
    if (!token.depts.includes(dept)) {
      throw new HttpError(403, 'AUTH_FORBIDDEN', `event ${position}: token ${token.name} may not append events of department ${JSON.stringify(dept)}`, { position, path: 'actor.dept' })
    }
  })
}

/** Reads, checks and appends the request's events; resolves once they are durable. */
export async function appendRequest(req: IncomingMessage, token: TokenRecord, ledger: Ledger, maxBodyBytes: number): Promise<AppendAnswer> {
  const events = parseEvents(await readBody(req, maxBodyBytes), req.headers['content-type'])
  if (events.length === 0) throw new LedgerError('INPUT_INVALID', 'the request holds no event', { path: '' })
  checkDepartments(events, token)
  const receipts = await ledger.appendBatch(events)
  return { receipts: receipts.map((r) => ({ id: r.id, index: r.index, leafHash: r.leafHash })), size: ledger.size, checkpoint: ledger.checkpoint() }
}
