/**
 * A store that cannot be opened says why, with a code: damage (a missing table, a damaged
 * manifest, a lost CURRENT) is `STORE_CORRUPT`, an unwritable directory or a full disk is
 * `STORE_READ_ONLY` / `STORE_NO_SPACE`, and only a database that is not there is `STORE_NOT_FOUND`.
 * A read-only store reads a private copy and leaves the directory as it was.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Commit } from '@liuhen/core'
import { LevelStore } from '@liuhen/store-level'
import { environmentError, writeError } from '../src/internal/failure.js'

const ORIGIN = 'store.test.example/log'

function commitOf(size: number): Commit {
  const entries = Array.from({ length: size }, (_, i) => ({ index: i, bytes: new TextEncoder().encode(`entry ${i} `.repeat(50)) }))
  return { entries, ids: [], tiles: [], head: { size, root: new Uint8Array(32), time: size, frontier: [] } }
}

/** A closed store at `<tmp>/db` holding a meta record and `size` entries in table files. */
async function filledStore(size = 200): Promise<string> {
  const location = join(mkdtempSync(join(tmpdir(), 'liuhen-store-open-')), 'db')
  const store = new LevelStore(location)
  await store.open()
  await store.writeMeta({ format: 1, origin: ORIGIN, vkey: 'v' })
  await store.writeCommit(commitOf(size))
  await store.close() // flushes the write-ahead log into a table
  return location
}

async function openFails(location: string, options = {}): Promise<unknown> {
  const store = new LevelStore(location, { mustExist: true, ...options })
  return store.open().then(
    async () => {
      await store.close()
      return undefined
    },
    (err: unknown) => err,
  )
}

/** Every file of `dir` with its bytes, to compare before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(dir).sort()) out[name] = readFileSync(join(dir, name)).toString('base64')
  return out
}

describe('LevelStore open failures', () => {
  it('a missing table file is STORE_CORRUPT, not "no ledger"', async () => {
    const location = await filledStore()
    const table = readdirSync(location).find((n) => n.endsWith('.ldb'))
    expect(table).toBeDefined()
    unlinkSync(join(location, table as string))
    expect(await openFails(location)).toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringMatching(/damaged/) })
  })

  it('a damaged manifest is STORE_CORRUPT', async () => {
    const location = await filledStore()
    const manifest = readdirSync(location).find((n) => n.startsWith('MANIFEST-')) as string
    writeFileSync(join(location, manifest), Buffer.alloc(statSync(join(location, manifest)).size, 0x5a))
    expect(await openFails(location)).toMatchObject({ code: 'STORE_CORRUPT' })
  })

  it('a lost CURRENT file beside the tables is STORE_CORRUPT', async () => {
    const location = await filledStore()
    unlinkSync(join(location, 'CURRENT'))
    expect(await openFails(location)).toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringMatching(/CURRENT/) })
  })

  it('only an absent or empty database is STORE_NOT_FOUND', async () => {
    const base = mkdtempSync(join(tmpdir(), 'liuhen-store-open-'))
    expect(await openFails(join(base, 'absent'))).toMatchObject({ code: 'STORE_NOT_FOUND' })
    mkdirSync(join(base, 'empty'))
    expect(await openFails(join(base, 'empty'))).toMatchObject({ code: 'STORE_NOT_FOUND' })
  })

  it('names a full disk and an unwritable directory by their error numbers', () => {
    // classic-level's shape: a generic error whose cause carries LevelDB's text.
    const level = (text: string): Error => Object.assign(new Error('Database failed to open'), { code: 'LEVEL_DATABASE_NOT_OPEN', cause: Object.assign(new Error(text), { code: 'LEVEL_IO_ERROR' }) })
    expect(writeError(level('IO error: /l/db/000012.log: No space left on device'))).toMatchObject({ code: 'STORE_NO_SPACE', details: { errno: 'ENOSPC' } })
    expect(writeError(level('IO error: /l/db/000012.log: No space left on device')).message).toMatch(/ENOSPC/)
    expect(environmentError(level('IO error: /l/db/LOCK: Permission denied'), 'x')).toMatchObject({ code: 'STORE_READ_ONLY', details: { errno: 'EACCES' } })
    expect(environmentError(level('IO error: /l/db/LOCK: Read-only file system'), 'x')).toMatchObject({ code: 'STORE_READ_ONLY', details: { errno: 'EROFS' } })
    expect(writeError(level('IO error: something else'))).toMatchObject({ code: 'STORE_WRITE_FAILED' })
  })
})

describe('LevelStore readOnly', () => {
  it('reads a private copy, refuses writes, and leaves the directory byte for byte as it was', async () => {
    const location = await filledStore()
    const before = snapshot(location)
    const copies = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('liuhen-readonly-'))
    const copiesBefore = copies()
    const store = new LevelStore(location, { readOnly: true })
    await store.open()
    try {
      expect(store.readOnly).toBe(true)
      expect((await store.readMeta())?.origin).toBe(ORIGIN)
      expect((await store.readHead())?.size).toBe(200)
      expect(await store.readEntriesChunk(0, 1000)).toHaveLength(200)
      await expect(store.writeCommit(commitOf(201))).rejects.toMatchObject({ code: 'STORE_READ_ONLY' })
      await expect(store.writeCheckpoint({ size: 1, text: 'x' })).rejects.toMatchObject({ code: 'STORE_READ_ONLY' })
    } finally {
      await store.close()
    }
    expect(snapshot(location)).toEqual(before)
    // The copy is gone: nothing of it is left in the temporary directory.
    expect(copies().filter((n) => !copiesBefore.includes(n))).toEqual([])
    rmSync(location, { recursive: true })
  })

  it('a read-only open of nothing is STORE_NOT_FOUND', async () => {
    expect(await openFails(join(mkdtempSync(join(tmpdir(), 'liuhen-store-open-')), 'absent'), { readOnly: true })).toMatchObject({ code: 'STORE_NOT_FOUND' })
  })
})
