/**
 * A format-2 log read over HTTP from a static file server over the ledger's `log/`: the audit
 * passes through it, finds a changed byte by its index, and a hostile or failing server gets a
 * coded error rather than a hang or an unbounded read.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { entriesPath, generateSignerKey, TiledStore, tilePath, toHex, vkeyOfSignerKey } from '@liuhen/core'
import { HttpLogReader } from '@liuhen/client'
import { Ledger, logPath, LogReader } from '@liuhen/ledger'
import { auditLog } from '@liuhen/verify'
import { serveFolder, type LogServer, type Rewrite } from '../../../test/support/log-server.js'

const ORIGIN = 'remote.liuhen.example/log'
const skey = generateSignerKey(ORIGIN).skey
const vkey = vkeyOfSignerKey(skey)
const event = (i: number) => ({ id: `e-${i}`, type: 'org.registered', at: '2026-03-01T09:00:00+08:00', actor: { dept: 'district.data-bureau' }, data: { org: `o-${i}` } })

let dir: string
let root: Uint8Array
const servers: LogServer[] = []

async function serve(rewrite?: Rewrite): Promise<LogServer> {
  const server = await serveFolder(logPath(dir), rewrite)
  servers.push(server)
  return server
}

const audit = (url: string) => auditLog(new TiledStore({ log: new HttpLogReader(url, vkey) }), { key: vkey, ids: false })

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'liuhen-http-')), 'l')
  const ledger = await Ledger.create(dir, { origin: ORIGIN, skey })
  // Three commits: 700 entries leave a full and a partial bundle and tile of each kind.
  for (const [from, to] of [
    [0, 300],
    [300, 513],
    [513, 700],
  ] as const)
    await ledger.appendBatch(Array.from({ length: to - from }, (_, k) => event(from + k)))
  root = ledger.head.root
  await ledger.close()
})

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
})

describe('a log read over HTTP', () => {
  it('audits in full, and serves proofs through LogReader, from the static files alone', async () => {
    const { url } = await serve()
    const report = await audit(url)
    expect(report).toMatchObject({ ok: true, size: 700, root: toHex(root) })
    const reader = await LogReader.open(new TiledStore({ log: new HttpLogReader(url, vkey) }))
    expect((await reader.proveInclusion(600)).root).toBe(toHex(root))
    expect((await reader.get(699))?.entry.event.id).toBe('e-699')
  })

  it('names the first bad index when a served bundle has a changed byte', async () => {
    const bundle = entriesPath(1) // entries 256..511, complete
    const { url } = await serve((path, _req, res) => {
      if (path !== bundle) return false
      const bytes = readFileSync(join(logPath(dir), bundle))
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 5) ^ 1, bytes.length - 5) // inside entry 511
      res.writeHead(200).end(bytes)
      return true
    })
    const report = await audit(url)
    expect(report.ok).toBe(false)
    expect(report.firstBadIndex).toBe(511)
  })

  it('refuses the log when the key pinned is not the one that signed it', async () => {
    const other = generateSignerKey(ORIGIN).skey
    const report = await auditLog(new TiledStore({ log: new HttpLogReader((await serve()).url, vkeyOfSignerKey(other)) }), { key: vkeyOfSignerKey(other), ids: false })
    expect(report.ok).toBe(false)
    expect(report.failures.map((f) => f.code)).toContain('AUDIT_CHECKPOINT_SIGNATURE')
  })

  it('gives REMOTE_UNAVAILABLE for a server error or a refused connection, and follows no redirect', async () => {
    const failing = await serve((path, _req, res) => {
      if (path !== tilePath(0, 0)) return false
      res.writeHead(503).end()
      return true
    })
    const log = new HttpLogReader(failing.url, vkey)
    await log.readCheckpoint()
    await expect(log.readTile(0, 0, 256)).rejects.toMatchObject({ code: 'REMOTE_UNAVAILABLE' })
    const redirecting = await serve((path, _req, res) => {
      if (path !== 'checkpoint') return false
      res.writeHead(302, { location: 'http://127.0.0.1:9/checkpoint' }).end()
      return true
    })
    await expect(new HttpLogReader(redirecting.url, vkey).readCheckpoint()).rejects.toMatchObject({ code: 'REMOTE_UNAVAILABLE' })
    const closed = await serve()
    await closed.close()
    await expect(new HttpLogReader(closed.url, vkey).readCheckpoint()).rejects.toMatchObject({ code: 'REMOTE_UNAVAILABLE' })
  })

  it('stops reading a file larger than any file of the log, without holding it', async () => {
    const { url } = await serve((path, _req, res) => {
      if (path !== tilePath(0, 0)) return false
      // No content-length: the limit must hold on the bytes as they stream.
      res.writeHead(200)
      const chunk = Buffer.alloc(64 * 1024)
      let sent = 0
      const pump = (): void => {
        while (sent < 64 && res.write(chunk)) sent++
        if (sent < 64) res.once('drain', pump)
        else res.end()
      }
      pump()
      return true
    })
    const log = new HttpLogReader(url, vkey)
    await log.readCheckpoint()
    await expect(log.readTile(0, 0, 256)).rejects.toMatchObject({ code: 'STORE_CORRUPT' })
  })

  it('reads a missing log (404 for the checkpoint) as no log', async () => {
    const { url } = await serve((path, _req, res) => {
      if (path !== 'checkpoint') return false
      res.writeHead(404).end()
      return true
    })
    expect(await new HttpLogReader(url, vkey).readCheckpoint()).toBeUndefined()
    expect(() => new HttpLogReader('ftp://127.0.0.1/', vkey)).toThrow(/not http/)
  })
})
