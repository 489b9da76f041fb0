/**
 * The published checkpoint of format 1 (`<dir>/checkpoint`, beside the LevelDB store `db/`;
 * these ledgers are made with `format: 1`): a store whose write-ahead log was damaged
 * reopens at an older head; the ledger must refuse it, naming both sizes, instead of carrying on
 * with a shorter history. Damage is real: a child appends until killed with SIGKILL, so the
 * commits sit in LevelDB's log, and the log is then cut short.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { openCheckpoint, verifierFromKey } from '@liuhen/core'
import { Ledger, publishedPath } from '@liuhen/ledger'

const child = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'crash-child.mjs')

/** Runs the crash child on `dir` until it acknowledged `acks` events, then kills it. */
function appendUntilKilled(dir: string, acks: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dir, '1'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let seen = 0
    let stderr = ''
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    proc.stdout.on('data', (d: Buffer) => {
      seen += d.toString().split('\n').length - 1
      if (seen >= acks) proc.kill('SIGKILL')
    })
    proc.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited with ${code}: ${stderr}`))))
  })
}

const event = (i: number): Record<string, unknown> => ({
  id: `org-pub-${i}`,
  type: 'org.registered',
  at: '2026-03-01T09:00:00+08:00',
  actor: { dept: 'district.data-bureau' },
  data: { org: `community.c${i}`, name: `社区 ${i}`, level: 'community', parent: 'street.lianhua' },
})

const newDir = (): string => join(mkdtempSync(join(tmpdir(), 'liuhen-published-')), 'l')
const sizeOf = (note: string, vkey: string): number => openCheckpoint(note, verifierFromKey(vkey)).checkpoint.size

describe('the published checkpoint (format 1)', () => {
  it('is replaced on every commit with the checkpoint the appends were acknowledged under', async () => {
    const dir = newDir()
    const ledger = await Ledger.create(dir, { origin: 'published.test.example/log', format: 1 })
    try {
      expect(readdirSync(dir)).not.toContain('checkpoint') // no commit yet: nothing published
      await ledger.appendBatch([event(1), event(2)])
      expect(readFileSync(publishedPath(dir), 'utf8')).toBe(ledger.checkpoint())
      await ledger.append(event(3))
      expect(sizeOf(readFileSync(publishedPath(dir), 'utf8'), ledger.vkey)).toBe(3)
      expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
    } finally {
      await ledger.close()
    }
  })

  it('a damaged write-ahead log reopens the store behind it: STORE_BEHIND_CHECKPOINT, both sizes', async () => {
    const dir = newDir()
    const created = await Ledger.create(dir, { origin: 'published.test.example/log', format: 1 })
    const vkey = created.vkey
    await created.close()
    await appendUntilKilled(dir, 400)
    const published = sizeOf(readFileSync(publishedPath(dir), 'utf8'), vkey)
    expect(published).toBeGreaterThanOrEqual(400)
    // Cut LevelDB's write-ahead log to a third: the later commits are lost with it.
    const db = join(dir, 'db')
    const log = readdirSync(db).find((n) => n.endsWith('.log')) as string
    truncateSync(join(db, log), Math.floor(statSync(join(db, log)).size / 3))
    const err = await Ledger.open(dir).then(
      async (l) => {
        await l.close()
        return undefined
      },
      (e: unknown) => e,
    )
    expect(err).toMatchObject({ code: 'STORE_BEHIND_CHECKPOINT', details: { published } })
    const size = (err as { details: { size: number } }).details.size
    expect(size).toBeLessThan(published)
    expect((err as Error).message).toContain(`holds ${size} entries, fewer than the ${published}`)
  }, 60_000)

  it('a store ahead of it opens (a crash between the commit and the file); one that does not verify is STORE_CORRUPT', async () => {
    const dir = newDir()
    const ledger = await Ledger.create(dir, { origin: 'published.test.example/log', format: 1 })
    await ledger.append(event(1))
    const first = ledger.checkpoint()
    await ledger.append(event(2))
    await ledger.close()
    writeFileSync(publishedPath(dir), first)
    const reopened = await Ledger.open(dir)
    expect(reopened.size).toBe(2)
    await reopened.close()
    writeFileSync(publishedPath(dir), first.replace('\n1\n', '\n7\n'))
    await expect(Ledger.open(dir)).rejects.toMatchObject({ code: 'STORE_CORRUPT' })
  })

  it('when it cannot be replaced the appends are refused, though durable; appending them again acknowledges them', async () => {
    const dir = newDir()
    const ledger = await Ledger.create(dir, { origin: 'published.test.example/log', format: 1 })
    try {
      mkdirSync(publishedPath(dir)) // a folder where the file should go: the replacement fails
      await expect(ledger.appendBatch([event(1), event(2)])).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' })
      expect(ledger.size).toBe(2) // in the store
      rmSync(publishedPath(dir), { recursive: true })
      const receipts = await ledger.appendBatch([event(1), event(2)])
      expect(receipts.map((r) => r.index)).toEqual([0, 1])
      expect(ledger.size).toBe(2)
      expect(readFileSync(publishedPath(dir), 'utf8')).toBe(ledger.checkpoint())
    } finally {
      await ledger.close()
    }
  })
})

describe('the published checkpoint (format 2)', () => {
  it('is the log’s checkpoint, replaced on every commit; no checkpoint file beside the log', async () => {
    const dir = newDir()
    const ledger = await Ledger.create(dir, { origin: 'published.test.example/log' })
    try {
      await ledger.appendBatch([event(1), event(2)])
      expect(readFileSync(join(dir, 'log', 'checkpoint'), 'utf8')).toBe(ledger.checkpoint())
      await ledger.append(event(3))
      expect(sizeOf(readFileSync(join(dir, 'log', 'checkpoint'), 'utf8'), ledger.vkey)).toBe(3)
      expect(readdirSync(dir).sort()).toEqual(['index', 'log', 'signer.key'])
    } finally {
      await ledger.close()
    }
  })
})

describe('a ledger directory without its signer key', () => {
  it.each([1, 2] as const)('opens for reading (format %i): size, entries, proofs and checkpoint; appends fail with LEDGER_NO_SIGNER', async (format) => {
    const dir = newDir()
    const created = await Ledger.create(dir, { origin: 'published.test.example/log', format })
    await created.appendBatch([event(1), event(2), event(3)])
    const checkpoint = created.checkpoint()
    await created.close()
    rmSync(join(dir, 'signer.key'))
    const ledger = await Ledger.open(dir)
    try {
      expect(ledger.size).toBe(3)
      expect(ledger.checkpoint()).toBe(checkpoint)
      expect((await ledger.proveInclusion(1)).size).toBe(3)
      await expect(ledger.append(event(4))).rejects.toMatchObject({ code: 'LEDGER_NO_SIGNER', message: expect.stringMatching(/no signer\.key/) })
    } finally {
      await ledger.close()
    }
  })
})
