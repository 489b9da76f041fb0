/**
 * The verifying follower against a stream server that tells the truth, breaks its connections,
 * and lies: a changed entry, a dropped one, a checkpoint of another key. Entries come from a real
 * ledger; the server is a small event-stream server in this test, so it can lie.
 */
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateSignerKey, hashLeaf, MemoryIndexStore, MemoryLogStore, signCheckpoint, signerFromKey, toBase64, toHex, vkeyOfSignerKey } from '@liuhen/core'
import { followLog, FollowError, type FollowedEntry } from '@liuhen/client'
import { Ledger } from '@liuhen/ledger'

const ORIGIN = 'follow.liuhen.example/log'
const skey = generateSignerKey(ORIGIN).skey
const vkey = vkeyOfSignerKey(skey)
const event = (i: number) => ({ id: `e-${i}`, type: 'org.registered', at: '2026-03-01T09:00:00+08:00', actor: { dept: 'district.data-bureau' }, data: { org: `o-${i}` } })

/** Each commit: its entries' bytes and the checkpoint signed after it. */
const commits: { entries: Uint8Array[]; checkpoint: string; size: number }[] = []
const servers: Server[] = []

beforeAll(async () => {
  const ledger = await Ledger.create({ log: new MemoryLogStore(), index: new MemoryIndexStore() }, { origin: ORIGIN, skey, validate: false, indexer: false })
  for (const [from, to] of [
    [0, 10],
    [10, 300],
    [300, 310],
  ] as const) {
    await ledger.appendBatch(Array.from({ length: to - from }, (_, k) => event(from + k)))
    const entries: Uint8Array[] = []
    for await (const e of ledger.entries(from, to)) entries.push(e.bytes)
    commits.push({ entries, checkpoint: ledger.checkpoint(), size: to })
  }
  await ledger.close()
})

afterAll(() => {
  for (const s of servers) s.close()
})

type Lie = (index: number, bytes: Uint8Array) => Uint8Array | undefined

/**
 * Serves the commits as `liuhen serve` streams them, from `Last-Event-ID` + 1 or `from`; `lie`
 * may change or drop an entry, `cutAfter` ends the first connection after that many entries,
 * `checkpointOf` may replace a checkpoint.
 */
async function streamServer(options: { lie?: Lie; cutAfter?: number; checkpointOf?: (size: number, note: string) => string } = {}): Promise<{ url: string; connections: string[] }> {
  const connections: string[] = []
  const server = createServer((req, res: ServerResponse) => {
    const last = req.headers['last-event-id']
    const from = typeof last === 'string' ? Number(last) + 1 : Number(new URL(req.url ?? '/', 'http://x').searchParams.get('from') ?? 0)
    connections.push(String(from))
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    let sent = 0
    for (const c of commits) {
      c.entries.forEach((bytes, k) => {
        const index = c.size - c.entries.length + k
        if (index < from) return
        if (options.cutAfter !== undefined && connections.length === 1 && sent === options.cutAfter) return
        const served = options.lie ? options.lie(index, bytes) : bytes
        if (!served) return
        sent++
        res.write(`id: ${index}\ndata: ${JSON.stringify({ index, entry: toBase64(served), leafHash: toHex(hashLeaf(served)) })}\n\n`)
      })
      if (options.cutAfter !== undefined && connections.length === 1 && sent >= options.cutAfter) {
        setTimeout(() => res.destroy(), 50) // the connection breaks mid-stream, once what was sent is out
        return
      }
      if (c.size > from) res.write(`event: checkpoint\ndata: ${JSON.stringify({ size: c.size, checkpoint: options.checkpointOf?.(c.size, c.checkpoint) ?? c.checkpoint })}\n\n`)
    }
    res.end()
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, connections }
}

/** Follows until `count` entries (or the error), then stops. */
async function take(url: string, count: number): Promise<FollowedEntry[]> {
  const stop = new AbortController()
  const got: FollowedEntry[] = []
  try {
    for await (const e of followLog(url, vkey, { signal: stop.signal, retryMs: 10 })) {
      got.push(e)
      if (got.length === count) break
    }
  } finally {
    stop.abort()
  }
  return got
}

describe('the verifying follower', () => {
  it('yields every entry once, in order, each under the checkpoint that proves it', async () => {
    const { url } = await streamServer()
    const got = await take(url, 310)
    expect(got.map((e) => e.index)).toEqual([...Array(310).keys()])
    expect(got[9]?.checkpoint).toBe(commits[0]?.checkpoint)
    expect(got[309]?.checkpoint).toBe(commits[2]?.checkpoint)
  })

  it('resumes after a broken connection from the last verified entry, with nothing twice', async () => {
    const { url, connections } = await streamServer({ cutAfter: 150 })
    const got = await take(url, 310)
    expect(got.map((e) => e.index)).toEqual([...Array(310).keys()])
    // The second connection asks from the first entry past the last verified checkpoint (10).
    expect(connections.slice(0, 2)).toEqual(['0', '10'])
  })

  it('catches a changed entry: the signed root is not the root of what was received', async () => {
    const { url } = await streamServer({ lie: (i, bytes) => (i === 123 ? Uint8Array.from(bytes, (b, k) => (k === 20 ? b ^ 1 : b)) : bytes) })
    const err = await take(url, 310).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FollowError)
    expect(err).toMatchObject({ code: 'STORE_FORKED', details: { size: 300 } })
  })

  it('catches a dropped entry, and a checkpoint that is not signed by the pinned key', async () => {
    const dropped = await streamServer({ lie: (i, bytes) => (i === 40 ? undefined : bytes) })
    await expect(take(dropped.url, 310)).rejects.toMatchObject({ code: 'PROOF_INVALID', details: { index: 40 } })
    const other = signerFromKey(generateSignerKey(ORIGIN).skey)
    const forged = await streamServer({ checkpointOf: (size, note) => (size === 300 ? signCheckpoint({ origin: ORIGIN, size: 300, root: new Uint8Array(32), extensions: [] }, other) : note) })
    await expect(take(forged.url, 310)).rejects.toMatchObject({ code: 'NOTE_UNVERIFIED' })
  })
})
