/**
 * kill -9 of a real `liuhen append` on a format-2 ledger (log files, then the checkpoint, then
 * the index batch), at many moments: at random delays and right after an acknowledgement (when
 * the next commit's files, checkpoint or index batch are being written), while `liuhen verify`
 * runs in a loop in another process. After each kill the ledger verifies, holds every commit the
 * killed run acknowledged (its checkpoint consistent with the log, the event ids at their
 * indexes, `chain` giving the same index and leaf hash, `query` finding its accesses: the index
 * caught up with the log), and appending resumes where the log ends. The input is a simulated
 * district's events (references, grants, accesses), so the index is needed to append them.
 * Also: an index restored from an older copy of the ledger (the state a kill between the
 * checkpoint and the index batch leaves) is caught up on open, for queries and idempotence.
 */
import { spawn } from 'node:child_process'
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { liuhenAsync, sleep } from '../support/child-runs.js'
import { verifyLog } from '../support/tlog-tiles-reader.mjs'
import { BIN, ROOT, ensureBuilt, expectRun, hex, jsonLines, leafHash, tempDir, type Run } from './helpers.js'

interface Ev {
  id: string
  type: string
  data: { resource?: string }
}

/** A simulated district's events in ledger order, as JSON Lines input for `append`. */
let lines: string[] = []
let events: Ev[] = []

beforeAll(() => {
  ensureBuilt()
  const sim = join(tempDir(), 'sim')
  expectRun(['simulate', sim, '--days', '4', '--access-scale', '0.02', '--no-progress'], 0)
  events = (jsonLines(expectRun(['tail', sim], 0).stdout) as { event: Ev }[]).map((l) => l.event)
  lines = events.map((e) => JSON.stringify(e))
}, 60_000)

const ok = (what: string, r: Run): Run => {
  expect(r.code, `${what}\n${r.stdout.slice(0, 3000)}\n${r.stderr}`).toBe(0)
  return r
}

/** Checks that the log holds `events[from..size)` and what `commits` acknowledged; returns the size. */
async function checkAfterKill(ledger: string, from: number, commits: { size: number; checkpoint: string }[], scratch: string): Promise<number> {
  const held = commits.map((c, k) => {
    const file = join(scratch, `held-${c.size}-${k}`)
    writeFileSync(file, c.checkpoint)
    return file
  })
  // The readers of the log alone run side by side: verify, tail, and the independent tlog-tiles
  // reader (no torn file it would accept, no file the checkpoint names missing).
  const [v, t, independent] = await Promise.all([
    liuhenAsync(['verify', ledger, '--json', '--no-progress', ...(held.length > 0 ? ['--checkpoint', ...held] : [])]),
    liuhenAsync(['tail', ledger, '--from', String(from)]),
    verifyLog(join(ledger, 'log'), readFileSync(join(ledger, 'ledger.vkey'), 'utf8').trim()),
  ])
  const report = JSON.parse(ok('verify', v).stdout)
  expect(report).toMatchObject({ ok: true, checkpoints: { consistent: report.checkpoints.checked } })
  const size = report.size as number
  expect(independent.checkpoint.size).toBe(size)
  const acked = commits.at(-1)?.size ?? from
  expect(size).toBeGreaterThanOrEqual(acked)
  // The ids at their indexes: exactly the input, in order, nothing twice.
  const tail = jsonLines(ok('tail', t).stdout) as { index: number; event: Ev }[]
  expect(tail.map((t) => `${t.index} ${t.event.id}`)).toEqual(events.slice(from, size).map((e, k) => `${from + k} ${e.id}`))
  if (acked > from) {
    // chain finds the last acknowledged event with its index and leaf hash (through the index).
    const last = acked - 1
    const id = (events[last] as Ev).id
    const chain = JSON.parse(ok('chain', await liuhenAsync(['chain', ledger, id, '--json'])).stdout)
    const entry = (jsonLines(ok('export', await liuhenAsync(['export', ledger, '--from', String(last), '--to', String(last + 1)])).stdout)[0] as { entry: string }).entry
    expect(chain.chain[0]).toMatchObject({ id, index: last, hash: hex(leafHash(Buffer.from(entry, 'base64'))) })
    // query finds the last acknowledged access of the run, by its resource.
    const k = events.slice(from, acked).findLastIndex((e) => e.type === 'access.performed')
    if (k >= 0) {
      const access = events[from + k] as Ev
      const q = JSON.parse(ok('query', await liuhenAsync(['query', ledger, '--resource', String(access.data.resource), '--json'])).stdout)
      expect(q.accesses).toContainEqual(expect.objectContaining({ id: access.id, index: from + k }))
    }
  }
  return size
}

describe('kill -9 of append on a format-2 ledger, with a reader verifying meanwhile', () => {
  it('loses no acknowledged commit, verifies, resumes; the index catches up', { timeout: 110_000 }, async () => {
    const dir = tempDir()
    const ledger = join(dir, 'ledger')
    expectRun(['init', ledger], 0)
    let stop = false
    const readerFailures: string[] = []
    let readerRuns = 0
    const reader = (async () => {
      while (!stop) {
        const r = await liuhenAsync(['verify', ledger, '--json', '--no-progress'])
        readerRuns++
        if (r.code !== 0) readerFailures.push(`exit ${r.code}: ${r.stderr}${r.stdout.slice(0, 2000)}`)
      }
    })()
    let size = 0
    let kills = 0
    let ackedKills = 0
    try {
      for (let round = 0; round < 12 && size < lines.length - 500; round++) {
        const batch = [1, 13, 50, 200][round % 4] as number
        const child = spawn(process.execPath, [BIN, 'append', ledger, '-', '--json', '--batch', String(batch)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] })
        let out = ''
        let err = ''
        child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
        child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
        child.stdin.on('error', () => undefined)
        const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })))
        let gone = false
        void exited.then(() => (gone = true))
        void (async () => {
          for (let at = size; at < lines.length && !gone; at += 100) {
            if (!child.stdin.write(`${lines.slice(at, at + 100).join('\n')}\n`)) await Promise.race([new Promise((resolve) => child.stdin.once('drain', resolve)), exited])
            await sleep(15)
          }
          if (!gone) child.stdin.end()
        })()
        // Odd rounds: at a random moment; even rounds: just after an acknowledgement, when the
        // next commit is being written (files, checkpoint, index batch).
        if (round % 2 === 1) await sleep(150 + Math.random() * 700)
        else {
          const want = 1 + Math.floor(Math.random() * 4)
          while (!gone && out.split('\n').length <= want) await sleep(2)
          await sleep(Math.random() * 20)
        }
        child.kill('SIGKILL')
        const end = await exited
        expect(end, err).toEqual({ code: null, signal: 'SIGKILL' })
        kills++
        const whole = out.slice(0, out.lastIndexOf('\n') + 1)
        const commits = jsonLines(whole) as { size: number; checkpoint: string }[]
        if (commits.length > 0) ackedKills++
        size = await checkAfterKill(ledger, size, commits, dir)
      }
      // Appending resumes: the rest of the input, to the end, in one run.
      const rest = await liuhenAsync(['append', ledger, '-', '--batch', '500'], `${lines.slice(size).join('\n')}\n`)
      ok('append of the rest', rest)
      size = await checkAfterKill(ledger, size, [], dir)
      expect(size).toBe(lines.length)
    } finally {
      stop = true
      await reader
    }
    expect(readerFailures).toEqual([])
    expect(kills).toBeGreaterThanOrEqual(10)
    expect(ackedKills).toBeGreaterThanOrEqual(5)
    expect(readerRuns).toBeGreaterThanOrEqual(5)
    console.log(`kill -9: ${kills} kills (${ackedKills} after acknowledgements), ${readerRuns} verify runs meanwhile, ${lines.length} events`)
  })

  it('an index behind its log (restored from an older copy) is caught up on open', { timeout: 60_000 }, async () => {
    const dir = tempDir()
    const ledger = join(dir, 'ledger')
    expectRun(['init', ledger], 0)
    const input = (from: number, to: number): string => `${lines.slice(from, to).join('\n')}\n`
    expectRun(['append', ledger, '-'], 0, input(0, 6000))
    const older = join(dir, 'older')
    cpSync(ledger, older, { recursive: true })
    expectRun(['append', ledger, '-', '--batch', '700'], 0, input(6000, 9000))
    // The index as it was at 6000 entries, under a log of 9000: what a kill after the log's
    // checkpoint and before the index batch leaves, for several commits at once.
    rmSync(join(ledger, 'index'), { recursive: true })
    cpSync(join(older, 'index'), join(ledger, 'index'), { recursive: true })
    ok('verify', await liuhenAsync(['verify', ledger, '--no-progress']))
    const size = await checkAfterKill(ledger, 6000, [], dir)
    expect(size).toBe(9000)
    // checkAfterKill asks chain and query only for acknowledged commits: the first to open the index here is query.
    const k = events.slice(6000, 9000).findLastIndex((e) => e.type === 'access.performed')
    expect(k).toBeGreaterThanOrEqual(0)
    const access = events[6000 + k] as Ev
    const q = JSON.parse(expectRun(['query', ledger, '--resource', String(access.data.resource), '--json'], 0).stdout)
    expect(q.accesses).toContainEqual(expect.objectContaining({ id: access.id, index: 6000 + k }))
    const last = events[8999] as Ev
    expect(JSON.parse(expectRun(['chain', ledger, last.id, '--json'], 0).stdout).chain[0]).toMatchObject({ id: last.id, index: 8999 })
    // The caught-up id records make a repeated append idempotent, and later events resolve refs.
    expect(expectRun(['append', ledger, '-'], 0, input(6000, 9000)).stdout).toMatch(/^Nothing new appended; 3,000 already present; ledger size 9,000\n/)
    expectRun(['append', ledger, '-'], 0, input(9000, 9500))
    expect(await checkAfterKill(ledger, 9000, [], dir)).toBe(9500)
  })
})
