/**
 * Answers and errors of the service: JSON bodies in UTF-8, errors as
 * `{"error": {"code", "message", ...details}}` with the stable codes of the command line, and one
 * mapping of error kinds (core's `errorKind`) to HTTP statuses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { errorKind, isLedgerError, showText } from '@liuhen/core'

/** An error the service answers with a status of its own choosing. */
export class HttpError extends Error {
  override readonly name: string = 'HttpError'

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
    /** A body of its own in place of the JSON error (a protocol's, such as tlog-witness's 409). */
    readonly body?: string,
  ) {
    super(message)
  }
}

/** Statuses of the kinds of coded error: input the caller can fix, damaged data, the environment. */
const STATUS_OF_KIND = { refused: 400, failed: 500, environment: 503 } as const
/** Codes with a status more precise than their kind's. */
const STATUS_OF_CODE: Readonly<Record<string, number>> = { INPUT_ID_CONFLICT: 409, INPUT_TOO_LARGE: 413, PROOF_RANGE: 400, LEDGER_CLOSED: 503, QUERY_EVENT_NOT_FOUND: 404 }

/** The status, code, message and details to answer `err` with. */
export function describeError(err: unknown): { status: number; code: string; message: string; details: Record<string, unknown>; headers: Record<string, string> } {
  if (err instanceof HttpError) return { status: err.status, code: err.code, message: err.message, details: err.details, headers: err.headers }
  if (isLedgerError(err)) {
    const status = STATUS_OF_CODE[err.code] ?? STATUS_OF_KIND[errorKind(err.code)]
    return { status, code: err.code, message: showText(err.message, 500), details: { ...err.details }, headers: status === 503 ? { 'retry-after': '1' } : {} }
  }
  return { status: 500, code: 'INTERNAL', message: 'internal error', details: {}, headers: {} }
}

/** Sends `value` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(`${JSON.stringify(value)}\n`, 'utf8')
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store', ...headers })
  res.end(body)
}

/** Sends the error answer of `err`. */
export function sendError(res: ServerResponse, err: unknown): void {
  const { status, code, message, details, headers } = describeError(err)
  if (res.headersSent) {
    res.destroy()
    return
  }
  if (err instanceof HttpError && err.body !== undefined) {
    const body = Buffer.from(err.body, 'utf8')
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers, 'content-length': body.length, 'cache-control': 'no-store' })
    res.end(body)
    return
  }
  sendJson(res, status, { error: { ...details, code, message } }, headers)
}

/**
 * The request's body, refused with 413 past `limit` bytes (counted as it streams: a declared
 * length is not trusted, but one over the limit is refused before anything is read).
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (declared > limit) throw tooLarge(limit)
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length
    if (total > limit) throw tooLarge(limit)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks, total)
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'INPUT_TOO_LARGE', `the request body is over ${limit} bytes`, { limit }, { connection: 'close' })
}
