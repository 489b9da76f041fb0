import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Commit } from '@liuhen/core'
import { LevelStore } from '@liuhen/store-level'

const POSTINGS = 5000

/** Resident MiB of the main thread's malloc heap, where the LevelDB binding copies what a batch puts. */
function mallocHeapMiB(): number {
  let name = ''
  let kib = 0
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line)
    if (head) name = head[1] ?? ''
    else if (name === '[heap]' && line.startsWith('Rss:')) kib += Number(/\d+/.exec(line)?.[0])
  }
  return kib / 1024
}

function commitOf(c: number): Commit {
  const postings = Array.from({ length: POSTINGS }, (_, i) => ({ name: 'record', key: `r-${i % 97}`, entry: c * POSTINGS + i }))
  const size = (c + 1) * POSTINGS
  return { entries: [], ids: [], tiles: [], postings, head: { size, root: new Uint8Array(32), time: size, frontier: [] } }
}

// Vitest runs test files in child processes (its default pool), so the test runs on the main thread.
describe.runIf(process.platform === 'linux')('LevelStore postings', () => {
  it('cost no native memory once written: 300,000 postings leave the malloc heap within 4 MiB', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuhen-store-postings-'))
    const store = new LevelStore(join(dir, 'db'), { sync: false })
    await store.open()
    try {
      let c = 0
      for (; c < 20; c++) await store.writeCommit(commitOf(c)) // warm up LevelDB's buffers and caches
      const before = mallocHeapMiB()
      for (; c < 80; c++) await store.writeCommit(commitOf(c))
      // classic-level 3 kept a ~40-byte copy of every empty value it was given: 11 MiB here.
      expect(mallocHeapMiB() - before).toBeLessThan(4)
      const found = []
      for await (const p of store.readPostings('record', 'r-5', { limit: 3 })) found.push(p.entry)
      expect(found).toEqual([5, 102, 199])
    } finally {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
