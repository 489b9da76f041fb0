/**
 * Requests a hostile client may send to the service, against a real `LedgerServer` in this
 * process: an event id that does not percent-decode, and more live streams than the server keeps
 * open. Each gets a refusal with its status, never an internal error or unbounded growth.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateSignerKey } from '@liuhen/core'
import { Ledger, logPath } from '@liuhen/ledger'
import { LedgerServer, TokenStore } from '@liuhen/server'

const ORIGIN = 'hostile.liuhen.example/log'
let ledger: Ledger
let server: LedgerServer
let url: string
let auditor: string

beforeAll(async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-hostile-')), 'l')
  ledger = await Ledger.create(dir, { origin: ORIGIN, skey: generateSignerKey(ORIGIN).skey })
  const tokens = await TokenStore.load(dir)
  auditor = await tokens.add('inspector', 'auditor', [])
  server = new LedgerServer({ ledger, logDir: logPath(dir), tokens, maxSubscribers: 3 })
  url = `http://127.0.0.1:${(await server.listen('127.0.0.1', 0)).port}/`
})

afterAll(async () => {
  await server.close()
  await ledger.close()
})

describe('hostile requests to the service', () => {
  it('refuses an event id that is not percent-encoded UTF-8 with 400, not an internal error', async () => {
    const res = await fetch(`${url}v1/chain/%E0%A4%A`, { headers: { authorization: `Bearer ${auditor}` } })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { code: 'INPUT_INVALID', path: 'id' } })
  })

  it('keeps at most maxSubscribers live streams open; the next is refused with Retry-After until one goes', async () => {
    const streams = await Promise.all(Array.from({ length: 3 }, () => new AbortController()).map(async (stop) => ({ stop, res: await fetch(`${url}v1/events`, { signal: stop.signal }) })))
    expect(streams.map((s) => s.res.status)).toEqual([200, 200, 200])
    const refused = await fetch(`${url}v1/events`)
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('5')
    expect(await refused.json()).toMatchObject({ error: { code: 'STREAMS_FULL' } })
    streams[0]?.stop.abort()
    let status = 0
    for (let waited = 0; status !== 200 && waited < 5000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50))
      const res = await fetch(`${url}v1/events`)
      status = res.status
      await res.body?.cancel()
    }
    expect(status).toBe(200)
    for (const s of streams) s.stop.abort()
  })
})
