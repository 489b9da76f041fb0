/**
 * `GET /v1/events?from=N`: the log as a Server-Sent Events stream, for departments that follow it
 * in real time. Each entry is an unnamed event with `id: <index>` and data
 * `{"index", "entry" (base64 of the exact bytes), "leafHash"}`; after the entries of each commit
 * comes `event: checkpoint` with `{"size", "checkpoint"}`, the signed checkpoint covering exactly
 * the entries sent so far, so a follower can check what it received against it. A reconnecting
 * client resumes with `Last-Event-ID` (the last index it received); without either, the stream
 * starts at the current size. A slow reader is waited for (nothing is buffered beyond the socket).
 */
import { once } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { toBase64 } from '@liuhen/core'
import type { Ledger } from '@liuhen/ledger'
import { HttpError } from './http.js'

/** A comment line sent when nothing else was for this long, so idle proxies keep the stream. */
const HEARTBEAT_MS = 15_000

/** Where the stream starts: after `Last-Event-ID`, else `from`, else the current size. */
export function streamStart(req: IncomingMessage, params: URLSearchParams, size: number): number {
  const last = req.headers['last-event-id']
  const text = typeof last === 'string' && last !== '' ? last : params.get('from')
  if (text === null) return size
  if (!/^\d{1,16}$/.test(text) || !Number.isSafeInteger(Number(text))) throw new HttpError(400, 'INPUT_INVALID', 'from (or Last-Event-ID) must be a non-negative integer', { path: 'from' })
  return Number(text) + (typeof last === 'string' && last !== '' ? 1 : 0)
}

/** Streams entries from `from` until the client goes, `stop` aborts, or the ledger closes. */
export async function streamEvents(res: ServerResponse, ledger: Ledger, from: number, stop: AbortSignal): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' })
  const gone = new AbortController()
  res.once('close', () => gone.abort())
  const done = AbortSignal.any([stop, gone.signal])
  // One promise for the end, raced by every wait (a listener per wait would pile up).
  const ended = new Promise<void>((resolve) => (done.aborted ? resolve() : done.addEventListener('abort', () => resolve(), { once: true })))
  const write = async (text: string): Promise<void> => {
    if (done.aborted) return
    if (!res.write(text)) await Promise.race([once(res, 'drain'), ended])
  }
  await write(': liuhen event stream\n\n')
  let next = from
  while (!done.aborted && !ledger.closed) {
    // Read together, in one turn: the checkpoint covers exactly `size` entries.
    const size = ledger.size
    const checkpoint = size > 0 ? ledger.checkpoint() : undefined
    if (next < size) {
      for await (const { entry, bytes, leafHash } of ledger.entries(next, size)) {
        if (done.aborted) return
        await write(`id: ${entry.index}\ndata: ${JSON.stringify({ index: entry.index, entry: toBase64(bytes), leafHash: Buffer.from(leafHash).toString('hex') })}\n\n`)
      }
      next = size
      await write(`event: checkpoint\ndata: ${JSON.stringify({ size, checkpoint })}\n\n`)
      continue
    }
    let timer: NodeJS.Timeout | undefined
    const beat = new Promise<'beat'>((resolve) => (timer = setTimeout(() => resolve('beat'), HEARTBEAT_MS)))
    const woke = await Promise.race([ledger.nextCommit(), ended, beat])
    clearTimeout(timer)
    if (woke === 'beat') await write(': keep-alive\n\n')
  }
  res.end()
}
