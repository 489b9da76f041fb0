/**
 * A Server-Sent Events reader on fetch (the WHATWG event-stream format: `event:`, `data:`, `id:`
 * fields, blank-line separated; comments and retry fields ignored). Lines are capped, so a server
 * that never ends a line cannot fill memory.
 */
import { LedgerError } from '@liuhen/core'
import { reasonOf } from './http-log-reader.js'

/** One event of the stream: its type (`message` when unnamed), data and id. */
export interface ServerSentEvent {
  event: string
  data: string
  id?: string
}

/** Longest line read: an event carries one entry of at most 64 KiB, in base64 and JSON. */
const MAX_LINE = 1 << 20

/** The events of the stream at `url` until it ends; `REMOTE_UNAVAILABLE` when it cannot be read. */
export async function* readServerSentEvents(url: URL, headers: Record<string, string>, options: { signal?: AbortSignal; fetch?: typeof fetch }): AsyncGenerator<ServerSentEvent> {
  let response: Response
  try {
    response = await (options.fetch ?? fetch)(url, { headers: { accept: 'text/event-stream', ...headers }, redirect: 'error', ...(options.signal ? { signal: options.signal } : {}) })
  } catch (cause) {
    throw new LedgerError('REMOTE_UNAVAILABLE', `cannot follow ${url.href}: ${reasonOf(cause)}`, { url: url.href }, { cause })
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel()
    throw new LedgerError('REMOTE_UNAVAILABLE', `cannot follow ${url.href}: HTTP ${response.status}`, { url: url.href })
  }
  const decoder = new TextDecoder('utf-8')
  const reader = response.body.getReader()
  let buffer = ''
  let event: { event?: string; data: string[]; id?: string } = { data: [] }
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>
      try {
        chunk = await reader.read()
      } catch (cause) {
        throw new LedgerError('REMOTE_UNAVAILABLE', `the stream from ${url.href} broke: ${reasonOf(cause)}`, { url: url.href }, { cause })
      }
      if (chunk.done) return
      buffer += decoder.decode(chunk.value, { stream: true })
      for (let cut = buffer.indexOf('\n'); cut >= 0; cut = buffer.indexOf('\n')) {
        const line = buffer.slice(0, cut).replace(/\r$/, '')
        buffer = buffer.slice(cut + 1)
        if (line === '') {
          if (event.data.length > 0) yield { event: event.event ?? 'message', data: event.data.join('\n'), ...(event.id === undefined ? {} : { id: event.id }) }
          event = { data: [] }
          continue
        }
        if (line.startsWith(':')) continue
        const colon = line.indexOf(':')
        const field = colon < 0 ? line : line.slice(0, colon)
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
        if (field === 'data') event.data.push(value)
        else if (field === 'event') event.event = value
        else if (field === 'id') event.id = value
      }
      if (buffer.length > MAX_LINE) throw new LedgerError('REMOTE_UNAVAILABLE', `the stream from ${url.href} sent a line over ${MAX_LINE} bytes`, { url: url.href })
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}
