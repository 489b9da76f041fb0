/**
 * Crash safety with real processes (they run the built package: build first). A writer is killed
 * with SIGKILL at each step of a commit (creating temporary files, renaming files into place,
 * the checkpoint last, syncing folders) and at random moments; after each kill the log must
 * verify as a client checks it, hold every acknowledged commit, and take the next writer, which
 * clears the dead one's lock and temporary files. A reader verifies in a loop meanwhile.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { generateSignerKey } from '@liuhen/core'
import { FileLogReader } from '../src/index.js'
import { checkLog } from '../../../test/conformance/log-builder.mjs'

const WRITER = fileURLToPath(new URL('./support/writer.mjs', import.meta.url))
const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const ORIGIN = 'crash.example/log'
const key = generateSignerKey(ORIGIN)

interface Run {
  acked: number[]
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
}

/** Runs the writer on `dir`; `kill` sets its KILL point, `after` kills it from here after that many ms. */
function runWriter(dir: string, options: { kill?: string; limit?: number; after?: number; pause?: number; onAck?: (size: number) => void }): Promise<Run> {
  const args = [WRITER, dir, key.skey, ORIGIN, ...(options.limit === undefined ? [] : [String(options.limit)])]
  const env = { ...process.env, KILL: options.kill ?? '', PAUSE: String(options.pause ?? '') }
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const run: Run = { acked: [], code: null, signal: null, stderr: '' }
  let pending = ''
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) {
      const size = Number(line.replace('acked ', ''))
      run.acked.push(size)
      options.onAck?.(size)
    }
  })
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()))
  const timer = options.after === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.after)
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      Object.assign(run, { code, signal })
      resolve(run)
    }),
  )
}

/** The size of the log at `dir`, checked in full as a client checks it; 0 when it has no checkpoint. */
async function verified(dir: string): Promise<number> {
  return existsSync(join(dir, 'checkpoint')) ? checkLog(new FileLogReader(dir), key.vkey) : 0
}

describe('a file log written by a process killed with SIGKILL', { timeout: 120_000 }, () => {
  it('verifies after a kill at every step of a commit, keeps what was acknowledged, and resumes', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-crash-')), 'log')
    const created = await runWriter(dir, { limit: 1 })
    expect(created.code, created.stderr).toBe(0)
    let size = await verified(dir)
    const points = ['open:1', 'open:3', 'rename:1', 'rename:2', 'rename:4', 'rename:7', 'sync:1', 'sync:2', 'sync:4', 'sync:9']
    let killed = 0
    for (const kill of [...points.map((p) => ({ kill: p })), { after: 250 }, { after: 400 }, { after: 600 }]) {
      const run = await runWriter(dir, { ...kill, limit: 8 })
      if (run.signal === 'SIGKILL') killed++
      else expect(run.code, `${JSON.stringify(kill)}: ${run.stderr}`).toBe(0)
      const now = await verified(dir)
      // Nothing acknowledged is lost, and the log never goes back.
      expect(now, JSON.stringify(kill)).toBeGreaterThanOrEqual(Math.max(size, ...run.acked))
      size = now
    }
    expect(killed).toBeGreaterThanOrEqual(points.length)
    // A writer that ends normally has cleared what the killed ones left, and released the lock.
    const last = await runWriter(dir, { limit: 2 })
    expect(last.code, last.stderr).toBe(0)
    expect(readdirSync(join(dir, '.state', 'tmp'))).toEqual([])
    expect(existsSync(join(dir, '.state', 'lock'))).toBe(false)
    expect(await verified(dir)).toBe(last.acked.at(-1))
  })

  it('reads a consistent, growing log while a writer appends, and after the writer is killed', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-crash-')), 'log')
    expect((await runWriter(dir, { limit: 1 })).code).toBe(0)
    let acked = 0
    const writer = runWriter(dir, { after: 1500, pause: 10, onAck: (s) => (acked = Math.max(acked, s)) })
    const sizes: number[] = []
    const start = Date.now()
    while (Date.now() - start < 2500) sizes.push(await verified(dir))
    const run = await writer
    expect(run.signal).toBe('SIGKILL')
    expect(sizes.length).toBeGreaterThan(3)
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b))
    expect(new Set(sizes).size).toBeGreaterThan(1)
    expect(await verified(dir)).toBeGreaterThanOrEqual(acked)
  })
})
