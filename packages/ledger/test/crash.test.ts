/**
 * Durability on acknowledgement: a child process appends with several appends in flight and is
 * killed with SIGKILL at an arbitrary moment; the ledger must reopen, hold every acknowledged
 * event at its acknowledged index, and recompute to its stored head and signed checkpoint.
 * Runs against the built packages (the suite builds first).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bytesEqual, CompactRange, hashLeaf, openCheckpoint, verifierFromKey } from '@liuhen/core'
import { Ledger } from '@liuhen/ledger'

const child = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'crash-child.mjs')

function runUntilKilled(dir: string, run: number, acksBeforeKill: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const acked = new Map<string, number>()
    const proc = spawn(process.execPath, [child, dir, String(run)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let buffer = ''
    let stderr = ''
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    proc.stdout.on('data', (d: Buffer) => {
      buffer += d.toString()
      const lines = buffer.split('\n')
      buffer = lines.pop() ?? ''
      for (const line of lines) {
        const [, id, index] = line.split(' ')
        acked.set(id as string, Number(index))
      }
      if (acked.size >= acksBeforeKill) proc.kill('SIGKILL')
    })
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked)
      else reject(new Error(`child exited with ${code}: ${stderr}`))
    })
  })
}

async function recompute(ledger: Ledger): Promise<Uint8Array> {
  const range = CompactRange.empty()
  for await (const { bytes, entry } of ledger.entries()) {
    expect(entry.index).toBe(range.size)
    range.append(hashLeaf(bytes))
  }
  return range.root()
}

describe('crash safety (kill -9 mid-append)', () => {
  it('keeps every acknowledged event and reopens to a verifiable ledger, crash after crash', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-crash-')), 'l')
    await (await Ledger.create(dir, { origin: 'crash.test.example/log' })).close()
    const allAcked = new Map<string, number>()
    for (const [run, kills] of [
      [1, 150],
      [2, 900],
      [3, 2500],
    ] as const) {
      const acked = await runUntilKilled(dir, run, kills)
      for (const [id, index] of acked) allAcked.set(id, index)
      const ledger = await Ledger.open(dir)
      try {
        for (const [id, index] of allAcked) expect((await ledger.getById(id))?.entry.index, id).toBe(index)
        const root = await recompute(ledger)
        expect(bytesEqual(root, ledger.head.root)).toBe(true)
        const { checkpoint } = openCheckpoint(ledger.checkpoint(), verifierFromKey(ledger.vkey))
        expect(checkpoint.size).toBe(ledger.size)
        expect(bytesEqual(checkpoint.root, root)).toBe(true)
      } finally {
        await ledger.close()
      }
    }
    expect(allAcked.size).toBeGreaterThan(3000)
  }, 120_000)
})
