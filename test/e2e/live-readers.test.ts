/**
 * Readers beside a live writer (format 2): while `liuhen append <ledger> -` streams 100,000
 * events from stdin, committing as each batch of 1000 fills, `verify`, `tail`, `tail --follow`
 * and `prove inclusion` run again and again from other processes with no lock. Each must exit 0
 * and agree with the final log: verify's size is a published checkpoint's and its root that
 * checkpoint's root; tail's lines are the final log's lines at those indexes; every inclusion
 * proof is the path of the final log's leaf, to the root of the checkpoint of the size it names.
 */
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { liuhenAsync, sleep } from '../support/child-runs.js'
import { BIN, NaiveTree, ROOT, SAMPLE, checkpointRoot, ensureBuilt, expectRun, extra, hex, jsonLines, leafHash, tempDir, type Run } from './helpers.js'

beforeAll(() => ensureBuilt())

const TOTAL = 100_000
const CHUNK = 1000

interface Seen {
  verify: { size: number; root: string }[]
  tail: { from: number; lines: string[] }[]
  inclusion: { index: number; size: number; leafHash: string; proof: string[]; root: string }[]
}

/** Whole lines of a stream's text so far, the last partial one left out. */
const wholeLines = (text: string): string[] =>
  text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .slice(0, -1)

describe('readers while append streams 100,000 events from stdin', () => {
  it('verify, tail, tail --follow and prove inclusion succeed and agree with the final log', { timeout: 110_000 }, async () => {
    const dir = tempDir()
    const ledger = join(dir, 'ledger')
    const heldFile = join(dir, 'held.checkpoint')
    expectRun(['init', ledger], 0)
    const started = Date.now()
    const writer = spawn(process.execPath, [BIN, 'append', ledger, '-', '--json'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    writer.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    writer.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
    const exited = new Promise<number | null>((resolve) => writer.on('close', resolve))
    let done = false
    void exited.then(() => (done = true))
    /** The size of the last commit the writer acknowledged. */
    const acked = (): number => (jsonLines(wholeLines(out).join('\n')).at(-1) as { size: number } | undefined)?.size ?? 0

    // The input: 100 chunks of 1000 lines, paced so the readers meet the log at many sizes.
    const feed = (async () => {
      for (let from = 1; from <= TOTAL; from += CHUNK) {
        if (!writer.stdin.write(extra(CHUNK, from))) await new Promise((resolve) => writer.stdin.once('drain', resolve))
        await sleep(60)
      }
      writer.stdin.end()
    })()

    const seen: Seen = { verify: [], tail: [], inclusion: [] }
    const failures: string[] = []
    const check = (what: string, r: { code: number | null; stdout: string; stderr: string }): boolean => {
      if (r.code === 0) return true
      failures.push(`${what}: exit ${r.code}\n${r.stderr}${r.stdout.slice(0, 2000)}`)
      return false
    }
    // Full audits, and by turns incremental ones against a checkpoint acknowledged earlier.
    let incremental = 0
    const verifyLoop = (async () => {
      for (let k = 0; !done; k++) {
        const held = jsonLines(wholeLines(out).join('\n')).at(-1) as { checkpoint: string } | undefined
        const args = ['verify', ledger, '--json', '--no-progress']
        if (k % 2 === 1 && held) {
          writeFileSync(heldFile, held.checkpoint)
          args.push('--incremental', '--checkpoint', heldFile)
          incremental++
        }
        const r = await liuhenAsync(args)
        if (check(args.join(' '), r)) {
          const report = JSON.parse(r.stdout) as { size: number; root: string; checkpoints: { checked: number; consistent: number } }
          expect(report.checkpoints.consistent).toBe(report.checkpoints.checked)
          seen.verify.push({ size: report.size, root: report.root })
        }
      }
    })()
    const tailLoop = (async () => {
      while (!done) {
        const from = Math.max(0, acked() - 300 - Math.floor(Math.random() * 300))
        const r = await liuhenAsync(['tail', ledger, '--from', String(from)])
        if (check(`tail --from ${from}`, r)) seen.tail.push({ from, lines: wholeLines(r.stdout) })
      }
    })()
    const proveLoop = (async () => {
      while (!done) {
        const size = acked()
        if (size === 0) {
          await sleep(50)
          continue
        }
        const index = Math.floor(Math.random() * size)
        const r = await liuhenAsync(['prove', 'inclusion', ledger, String(index), '--json'])
        if (check(`prove inclusion ${index}`, r)) seen.inclusion.push(JSON.parse(r.stdout))
      }
    })()
    // tail --follow, started mid-way: it must print every entry from where it started to the end.
    while (acked() < TOTAL / 2 && !done) await sleep(50)
    const followFrom = acked() - 700
    const follower = spawn(process.execPath, [BIN, 'tail', ledger, '--from', String(followFrom), '--follow'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let followed = ''
    let followErr = ''
    follower.stdout.setEncoding('utf8').on('data', (d: string) => (followed += d))
    follower.stderr.setEncoding('utf8').on('data', (d: string) => (followErr += d))
    const followerExit = new Promise<number | null>((resolve) => follower.on('close', resolve))

    await feed
    expect(await exited, err).toBe(0)
    await Promise.all([verifyLoop, tailLoop, proveLoop])
    const appendSeconds = (Date.now() - started) / 1000
    // The follower reaches the end by itself, then is stopped.
    const last = `{"index":${TOTAL - 1},`
    for (let waited = 0; !followed.includes(last) && waited < 20_000; waited += 100) await sleep(100)
    follower.kill('SIGINT')
    expect(await followerExit, followErr).toBe(0)
    expect(failures).toEqual([])

    // The final log, read after the writer is gone.
    const commits = jsonLines(out) as { size: number; checkpoint: string }[]
    expect(commits.at(-1)?.size).toBe(TOTAL)
    const published = new Map(commits.map((c) => [c.size, checkpointRoot(c.checkpoint).root]))
    const entries = jsonLines(expectRun(['export', ledger], 0).stdout) as { entry: string }[]
    expect(entries).toHaveLength(TOTAL)
    const tree = new NaiveTree(entries.map((e) => leafHash(Buffer.from(e.entry, 'base64'))))
    const finalLines = wholeLines(expectRun(['tail', ledger], 0).stdout)
    expect(finalLines).toHaveLength(TOTAL)

    // Each reader ran several times, at sizes the writer was still growing past.
    expect(seen.verify.length).toBeGreaterThanOrEqual(3)
    expect(incremental).toBeGreaterThanOrEqual(2)
    expect(seen.tail.length).toBeGreaterThanOrEqual(3)
    expect(seen.inclusion.length).toBeGreaterThanOrEqual(3)
    expect(seen.verify.some((v) => v.size > 0 && v.size < TOTAL)).toBe(true)
    expect(seen.tail.some((t) => t.lines.length > 0 && t.from + t.lines.length < TOTAL)).toBe(true)
    for (const v of seen.verify) {
      expect(v.size).toBeLessThanOrEqual(TOTAL)
      if (v.size > 0) expect(published.get(v.size), `verify saw size ${v.size}, never published`).toBe(v.root)
      expect(v.root).toBe(hex(tree.mth(0, v.size)))
    }
    for (const t of seen.tail) {
      expect(t.lines).toEqual(finalLines.slice(t.from, t.from + t.lines.length))
      if (t.lines.length > 0) expect(published.has(t.from + t.lines.length), `tail ended at ${t.from + t.lines.length}, not a published size`).toBe(true)
    }
    for (const p of seen.inclusion) {
      expect(p.leafHash).toBe(hex(tree.leaves[p.index] as Buffer))
      expect(p.proof).toEqual(tree.inclusion(p.index, p.size))
      expect(published.get(p.size), `proof against size ${p.size}, never published`).toBe(p.root)
    }
    const follow = wholeLines(followed)
    expect(follow).toEqual(finalLines.slice(followFrom))

    console.log(
      `live readers: append of ${TOTAL} events took ${appendSeconds.toFixed(1)} s; ` +
        `${seen.verify.length} verify (${incremental} incremental), ${seen.tail.length} tail, ${seen.inclusion.length} prove runs meanwhile; follow from ${followFrom}`,
    )
  })
})

describe('index readers while a writer holds the ledger', () => {
  it('chain, query and bundle answer from the log when the writer keeps the index', { timeout: 60_000 }, async () => {
    const dir = tempDir()
    const ledger = join(dir, 'ledger')
    expectRun(['init', ledger], 0)
    // A writer that keeps the ledger open: its input stays open after the sample is committed.
    const writer = spawn(process.execPath, [BIN, 'append', ledger, '-', '--json'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    writer.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    writer.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
    const exited = new Promise<number | null>((resolve) => writer.on('close', resolve))
    writer.stdin.write(readFileSync(SAMPLE, 'utf8'))
    writer.stdin.write(extra(887)) // 113 + 887: one full batch, committed while the input stays open
    while (!out.includes('\n')) await sleep(50)
    expect(jsonLines(out)).toEqual([expect.objectContaining({ size: 1000 })])
    const asked = [
      ['chain', ledger, 'acc-2026-000001', '--json'],
      ['query', ledger, '--resource', 'res.police.household', '--json'],
      ['bundle', ledger, 'acc-2026-000001', '-o', join(dir, 'held.bundle')],
    ]
    const during = await Promise.all(asked.map((args) => liuhenAsync(args)))
    for (const [k, r] of during.entries()) expect(r.code, `${(asked[k] as string[]).join(' ')}\n${r.stderr}`).toBe(0)
    writer.stdin.end()
    expect(await exited, err).toBe(0)
    // The same answers once the writer is gone and the index on disk is read.
    expect(JSON.parse((during[0] as Run).stdout)).toEqual(JSON.parse(expectRun(asked[0] as string[], 0).stdout))
    expect(JSON.parse((during[1] as Run).stdout)).toEqual(JSON.parse(expectRun(asked[1] as string[], 0).stdout))
    expect(JSON.parse((during[1] as Run).stdout).accesses.length).toBeGreaterThan(0)
    expectRun(['verify-bundle', join(dir, 'held.bundle'), '--key', join(ledger, 'ledger.vkey')], 0)
  })
})
