/**
 * The writing client against a real `LedgerServer` in this process: proven receipts, idempotent
 * retries through a busy service, final refusals, and a service that lies about its receipts.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateSignerKey, vkeyOfSignerKey } from '@liuhen/core'
import { LedgerWriter } from '@liuhen/client'
import { Ledger, logPath } from '@liuhen/ledger'
import { LedgerServer, TokenStore } from '@liuhen/server'

const ORIGIN = 'writer.liuhen.example/log'
const skey = generateSignerKey(ORIGIN).skey
const vkey = vkeyOfSignerKey(skey)
const event = (id: string, dept = 'district.civil-affairs') => ({ id, type: 'org.registered', at: '2026-03-01T09:00:00+08:00', actor: { dept }, data: { org: id } })

let ledger: Ledger
let server: LedgerServer
let url: string
let secret: string

beforeAll(async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-writer-')), 'l')
  ledger = await Ledger.create(dir, { origin: ORIGIN, skey })
  const tokens = await TokenStore.load(dir)
  secret = await tokens.add('gateway', 'writer', ['district.civil-affairs'])
  server = new LedgerServer({ ledger, logDir: logPath(dir), tokens })
  const { port } = await server.listen('127.0.0.1', 0)
  url = `http://127.0.0.1:${port}/`
})

afterAll(async () => {
  await server.close()
  await ledger.close()
})

/** A fetch that answers the first `busy` appends with 503, and may rewrite the service's answers. */
function flaky(busy: number, rewrite?: (path: string, body: Record<string, unknown>) => Record<string, unknown>): typeof fetch {
  let left = busy
  return async (input, init) => {
    const target = new URL(String(input))
    if (target.pathname === '/v1/events' && left > 0) {
      left--
      return new Response('{"error":{"code":"QUEUE_FULL","message":"busy"}}', { status: 503 })
    }
    const response = await fetch(input, init)
    if (!rewrite) return response
    return new Response(JSON.stringify(rewrite(target.pathname, (await response.json()) as Record<string, unknown>)), { status: response.status })
  }
}

describe('LedgerWriter', () => {
  it('appends, proving every receipt in the signed checkpoint; a resend answers the same receipts', async () => {
    const writer = new LedgerWriter(url, secret, vkey, { proofs: Infinity })
    const first = await writer.append([event('a-1'), event('a-2'), event('a-3')])
    expect(first.receipts.map((r) => r.id)).toEqual(['a-1', 'a-2', 'a-3'])
    const again = await writer.append([event('a-1'), event('a-2'), event('a-3')])
    expect(again.receipts).toEqual(first.receipts)
    expect(ledger.size).toBe(3)
  })

  it('retries through a busy service, appending once', async () => {
    const before = ledger.size
    const writer = new LedgerWriter(url, secret, vkey, { fetch: flaky(3), retryMs: 1 })
    expect((await writer.append([event('b-1')])).receipts[0]?.index).toBe(before)
    expect(ledger.size).toBe(before + 1)
    await expect(new LedgerWriter(url, secret, vkey, { fetch: flaky(5), retryMs: 1, attempts: 3 }).append([event('b-2')])).rejects.toMatchObject({ code: 'REMOTE_UNAVAILABLE' })
  })

  it('keeps a refusal final, with its code, position and path', async () => {
    const writer = new LedgerWriter(url, secret, vkey, { fetch: flaky(0), retryMs: 1 })
    await expect(writer.append([event('c-1'), event('c-2', 'district.police')])).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN', details: { position: 1, path: 'actor.dept' } })
    await expect(new LedgerWriter(url, 'lhk_wrong', vkey).append([event('c-3')])).rejects.toMatchObject({ code: 'AUTH_REQUIRED' })
  })

  it('catches a service that answers with a receipt its checkpoint does not include, or a checkpoint of another key', async () => {
    const forged = flaky(0, (path, body) => (path === '/v1/events' ? { ...body, receipts: (body['receipts'] as { leafHash: string }[]).map((r) => ({ ...r, leafHash: '00'.repeat(32) })) } : body))
    await expect(new LedgerWriter(url, secret, vkey, { fetch: forged }).append([event('d-1')])).rejects.toMatchObject({ code: 'PROOF_INVALID' })
    const otherKey = vkeyOfSignerKey(generateSignerKey(ORIGIN).skey)
    await expect(new LedgerWriter(url, secret, otherKey).append([event('d-2')])).rejects.toMatchObject({ code: 'PROOF_INVALID' })
  })

  it('gives REMOTE_UNAVAILABLE when nothing listens', async () => {
    await expect(new LedgerWriter('http://127.0.0.1:1/', secret, vkey, { attempts: 2, retryMs: 1 }).append([event('e-1')])).rejects.toMatchObject({ code: 'REMOTE_UNAVAILABLE' })
  })
})
