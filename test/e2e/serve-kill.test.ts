/**
 * `liuhen serve` killed with SIGKILL under load: bounded loopback clients (`LedgerWriter`, which
 * retries) keep appending while the server dies and comes back on the same port. Every receipt a
 * client got is in the log at its index with its leaf hash, no event is in the log twice (resent
 * batches are idempotent), and the log verifies.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LedgerWriter, type ProvenReceipt } from '@liuhen/client'
import { startServe, type ServeProcess } from '../support/serve-process.js'
import { ensureBuilt, expectRun, jsonLines, leafHash, SAMPLE, tempDir } from './helpers.js'

const CLIENTS = 6
const BATCHES = 12
const PER_BATCH = 10

const serve = (dir: string, listen: string): Promise<ServeProcess> => startServe([dir, '--listen', listen])

describe('liuhen serve killed under load', () => {
  it('keeps every receipt it gave, appends nothing twice, and verifies after a restart', { timeout: 120_000 }, async () => {
    ensureBuilt()
    const dir = join(tempDir(), 'l')
    const vkey = expectRun(['init', dir, '--origin', 'kill.liuhen.example/audit'], 0).stdout.trim()
    const template = JSON.parse(readFileSync(SAMPLE, 'utf8').split('\n')[0] as string) as { actor: { dept: string } }
    const token = expectRun(['token', 'add', dir, '--name', 'gateway', '--role', 'writer', '--dept', template.actor.dept], 0).stdout.trim()
    let server = await serve(dir, '127.0.0.1:0')
    const port = new URL(server.url).port
    const receipts: ProvenReceipt[] = []
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      const writer = new LedgerWriter(server.url, token, vkey, { attempts: 100, retryMs: 20, proofs: 1 })
      for (let b = 0; b < BATCHES; b++) {
        const events = Array.from({ length: PER_BATCH }, (_, k) => ({ ...template, id: `c${c}-b${b}-e${k}` }))
        receipts.push(...(await writer.append(events)).receipts)
      }
    })
    // Kill it twice while the clients append, restarting it each time on the same port.
    for (let kill = 0; kill < 2; kill++) {
      await new Promise((r) => setTimeout(r, 400))
      server.child.kill('SIGKILL')
      await new Promise((r) => server.child.once('exit', r))
      server = await serve(dir, `127.0.0.1:${port}`)
    }
    await Promise.all(clients)
    server.child.kill('SIGTERM')
    await new Promise((r) => server.child.once('exit', r))

    expectRun(['verify', dir], 0)
    const log = jsonLines(expectRun(['export', dir], 0).stdout) as { index: number; entry: string }[]
    const tail = jsonLines(expectRun(['tail', dir], 0).stdout) as { index: number; event: { id: string } }[]
    expect(receipts.length).toBe(CLIENTS * BATCHES * PER_BATCH)
    expect(new Set(tail.map((e) => e.event.id)).size).toBe(tail.length) // nothing twice
    expect(tail.length).toBe(CLIENTS * BATCHES * PER_BATCH)
    for (const r of receipts) {
      expect(tail[r.index]?.event.id).toBe(r.id)
      expect(leafHash(Buffer.from(log[r.index]?.entry as string, 'base64')).toString('hex')).toBe(r.leafHash)
    }
  })
})
