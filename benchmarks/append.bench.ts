/**
 * Durable append throughput (fsync per commit) at batch sizes 1, 100 and 1000, and many
 * concurrent single appends coalesced by group commit. Events are ~350-byte access events.
 * Run: `npx vitest bench --run benchmarks/append.bench.ts`; events/s = reported hz × events per
 * iteration. The same-run comparison with peers is `pnpm bench` (benchmarks/run.mjs).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, bench, describe } from 'vitest'
import { Ledger } from '@liuhen/ledger'
import { accessEvent } from './support/events.mjs'

const dirs: string[] = []
let seq = 0

async function freshLedger(): Promise<Ledger> {
  const dir = mkdtempSync(join(tmpdir(), 'liuhen-bench-'))
  dirs.push(dir)
  return Ledger.create(join(dir, 'l'), { origin: 'bench.example/append' })
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const ledger = await freshLedger()

describe('durable append (fsync per commit)', () => {
  for (const batch of [1, 100, 1000]) {
    bench(
      `batch ${batch}`,
      async () => {
        await ledger.appendBatch(Array.from({ length: batch }, () => accessEvent(seq++)))
      },
      { time: 3000, warmupIterations: 2 },
    )
  }
  bench(
    '256 concurrent single appends (group commit)',
    async () => {
      await Promise.all(Array.from({ length: 256 }, () => ledger.append(accessEvent(seq++))))
    },
    { time: 3000, warmupIterations: 2 },
  )
})
