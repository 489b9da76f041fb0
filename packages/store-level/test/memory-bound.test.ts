import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LevelStore, type LevelStoreOptions } from '@liuhen/store-level'

// ~90 table files of 64 KiB: more than the 64 that LevelDB keeps open at the least.
const RECORDS = 180
const RECORD_BYTES = 32 << 10

/** Table files under `dir` in this process's mappings (LevelDB maps the table files it has open). */
function mappedTables(dir: string): number {
  const maps = readFileSync('/proc/self/maps', 'utf8').split('\n')
  return new Set(maps.filter((l) => l.includes(dir) && l.endsWith('.ldb')).map((l) => l.slice(l.indexOf('/')))).size
}

/** Opens the database with `options`, reads every record; the most table files mapped meanwhile. */
async function scan(location: string, options: LevelStoreOptions): Promise<number> {
  const store = new LevelStore(location, { mustExist: true, ...options })
  await store.open()
  let read = 0
  let mapped = 0
  try {
    for await (const { size } of store.readCheckpoints()) {
      expect(size).toBe(++read)
      mapped = Math.max(mapped, mappedTables(location))
    }
  } finally {
    await store.close()
  }
  expect(read).toBe(RECORDS)
  expect(mappedTables(location)).toBe(0)
  return mapped
}

describe.runIf(process.platform === 'linux')('LevelStore memory bound', () => {
  let dir: string
  let location: string
  let tables: number

  // Checkpoints rather than commits: their keys ascend and nothing else is written, so each table
  // LevelDB flushes from the 64 KiB write buffer keeps its own key range and moves down the levels
  // as it is (a commit's head key would make the tables overlap and compactions merge them).
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'liuhen-store-mmap-'))
    location = join(dir, 'db')
    const writer = new LevelStore(location, { sync: false, writeBufferSize: 64 << 10 })
    await writer.open()
    // Random text, incompressible, so the tables are as large as what was written.
    for (let i = 1; i <= RECORDS; i++) await writer.writeCheckpoint({ size: i, text: randomBytes(RECORD_BYTES * 0.75).toString('base64') })
    await writer.close()
    tables = readdirSync(location).filter((f) => f.endsWith('.ldb')).length
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('keeps at most 64 table files mapped by default, however many the database has', async () => {
    expect(tables).toBeGreaterThan(80)
    const mapped = await scan(location, {})
    expect(mapped).toBeGreaterThan(0)
    expect(mapped).toBeLessThanOrEqual(64)
  })

  it('passes maxOpenFiles to LevelDB: with 1000, every table read stays mapped', async () => {
    expect(await scan(location, { maxOpenFiles: 1000 })).toBe(tables)
  })
})
