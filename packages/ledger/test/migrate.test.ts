/**
 * `migrateLedger`: format-1 ledgers (the frozen fixture, and ledgers of a few thousand entries in
 * several commits) converted to format 2, the result read by the independent tlog-tiles reader
 * (test/support/tlog-tiles-reader.mjs, which shares no code with Liuhen); damaged, busy and
 * keyless ledgers refused and left as they were; a run killed midway run again.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cosignCheckpoint, cosignerFromKey, generateCosignerKey, isLedgerError, toBase64, verifierFromKey, verifyCosignatures } from '@liuhen/core'
import { Ledger, migrateLedger } from '@liuhen/ledger'
import { FileLogReader, FileLogStore } from '@liuhen/store-files'
import { LevelStore } from '@liuhen/store-level'
import { verifyLog } from '../../../test/support/tlog-tiles-reader.mjs'
import { checkConvertedLog } from '../src/internal/migrate-check.js'

const fixture = join(import.meta.dirname, '../../../test/fixtures/ledger-v1')
const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8'))
const ORIGIN = 'migrate.test.example/ledger'
const tmp = (): string => mkdtempSync(join(tmpdir(), 'liuhen-migrate-'))

const event = (i: number) => ({ id: `org-${i}`, type: 'org.registered', at: '2026-03-01T09:00:00+08:00', actor: { dept: 'district.data-bureau' }, data: { org: `o.${i}`, name: `社区 ${i}` } })

/** A format-1 ledger of `batches` commits (sizes given), its latest checkpoint cosigned by a witness. */
async function ledgerOf(batches: readonly number[]): Promise<{ dir: string; vkey: string; witness: string }> {
  const dir = join(tmp(), 'l')
  const ledger = await Ledger.create(dir, { origin: ORIGIN, format: 1 })
  let n = 0
  for (const count of batches) {
    await ledger.appendBatch(Array.from({ length: count }, () => event(n++)))
  }
  const witness = generateCosignerKey('witness.test.example/w')
  if (n > 0) await ledger.addCosignatures(cosignCheckpoint(ledger.checkpoint(), cosignerFromKey(witness.skey), 1_790_000_000))
  const vkey = ledger.vkey
  await ledger.close()
  return { dir, vkey, witness: witness.vkey }
}

/** Every entry of the format-1 store at `db`, base64. */
async function entriesOf(db: string): Promise<string[]> {
  const store = new LevelStore(db, { mustExist: true })
  await store.open()
  try {
    const out: string[] = []
    for await (const e of store.readEntries(0, Number.MAX_SAFE_INTEGER)) out.push(toBase64(e.bytes))
    return out
  } finally {
    await store.close()
  }
}

/** Replaces entry `index` of the store at `db` with `bytes`, as a damaged disk or a hand would. */
async function changeEntry(db: string, index: number, bytes: Uint8Array): Promise<void> {
  const store = new LevelStore(db, { mustExist: true })
  await store.open()
  try {
    const head = await store.readHead()
    await store.writeCommit({ entries: [{ index, bytes }], ids: [], tiles: [], head: head as NonNullable<typeof head> })
  } finally {
    await store.close()
  }
}

async function codeOf(p: Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await p
  } catch (err) {
    if (isLedgerError(err)) return { code: err.code, details: { ...err.details } }
    throw err
  }
  throw new Error('expected a failure')
}

/** Watches the commits the conversion writes; returns the sizes of their checkpoints. */
function commitSizes(): number[] {
  const sizes: number[] = []
  const write = FileLogStore.prototype.writeCommit
  vi.spyOn(FileLogStore.prototype, 'writeCommit').mockImplementation(function (this: FileLogStore, commit) {
    sizes.push(commit.checkpoint.size)
    return write.call(this, commit)
  })
  return sizes
}

describe('migrateLedger', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('converts the frozen format-1 fixture: same entries, size, root and checkpoint, read by an independent reader', async () => {
    const dir = join(tmp(), 'l')
    cpSync(join(fixture, 'ledger'), dir, { recursive: true })
    const result = await migrateLedger(dir)
    expect(result.format1).toEqual({ size: expected.size, root: expected.root })
    expect(result.log).toEqual({ size: expected.size, root: expected.root })
    expect(result.checkpoint).toBe(expected.checkpoints.at(-1).text)
    const { checkpoint, entries } = await verifyLog(join(dir, 'log'), expected.vkey)
    expect(checkpoint.size).toBe(expected.size)
    expect(entries.map((e) => e.toString('base64'))).toEqual(expected.entries)
    expect(readFileSync(join(dir, 'log', 'checkpoint'), 'utf8')).toBe(expected.checkpoints.at(-1).text)
    expect(JSON.parse(readFileSync(join(dir, 'log', '.state', 'meta.json'), 'utf8'))).toEqual({ format: 2, origin: 'fixture.liuhen.example/ledger-v1', vkey: expected.vkey })
    // Format 1 is kept whole beside it; nothing else is left behind.
    expect(result.kept).toBe(join(dir, 'format1'))
    expect(readdirSync(dir).sort()).toEqual(['format1', 'log', 'signer.key'])
    expect(await entriesOf(join(dir, 'format1', 'db'))).toEqual(expected.entries)
    await expect(codeOf(migrateLedger(dir))).resolves.toMatchObject({ code: 'STORE_EXISTS' })
  })

  it('converts a ledger of several thousand entries and commits, keeping the cosignatures of its latest checkpoint', async () => {
    const { dir, vkey, witness } = await ledgerOf([1, 700, 1300, 255, 257, 2000, 3])
    const before = await entriesOf(join(dir, 'db'))
    const published = readFileSync(join(dir, 'checkpoint'), 'utf8')
    // Commits of at least 1000 entries, each ending at one of the store's checkpoints.
    const sizes = commitSizes()
    const result = await migrateLedger(dir, { minCommit: 1000, maxCommit: 3000 })
    expect(sizes).toEqual([2001, 4513, 4516])
    expect(result.log).toEqual(result.format1)
    expect(result.log.size).toBe(4516)
    expect(result.checkpoint).toBe(published)
    const { checkpoint, entries } = await verifyLog(join(dir, 'log'), vkey)
    expect(checkpoint.size).toBe(4516)
    expect(Buffer.from(checkpoint.root).toString('hex')).toBe(result.format1.root)
    expect(entries.map((e) => e.toString('base64'))).toEqual(before)
    expect(verifyCosignatures(readFileSync(join(dir, 'log', 'checkpoint'), 'utf8'), [verifierFromKey(witness)])).toHaveLength(1)
    expect(readFileSync(join(dir, 'format1', 'checkpoint'), 'utf8')).toBe(published)
    // Full bundles and tiles only where full: the partials a commit made full were removed.
    expect(readdirSync(join(dir, 'log', 'tile', 'entries')).filter((n) => n.endsWith('.p'))).toEqual(['017.p'])
  })

  it('signs intermediate checkpoints where the store has none close enough, ending with the store’s own', async () => {
    const { dir, vkey } = await ledgerOf([3000, 1000])
    const published = readFileSync(join(dir, 'checkpoint'), 'utf8')
    const sizes = commitSizes()
    const result = await migrateLedger(dir, { minCommit: 100, maxCommit: 700 })
    expect(sizes).toEqual([700, 1400, 2100, 2800, 3000, 3700, 4000])
    expect(result.checkpoint).toBe(published)
    expect((await verifyLog(join(dir, 'log'), vkey)).checkpoint.size).toBe(4000)
  })

  it('converts an empty ledger to a log with a signed checkpoint of size 0', async () => {
    const { dir, vkey } = await ledgerOf([])
    const result = await migrateLedger(dir)
    expect(result.log).toEqual({ size: 0, root: result.format1.root })
    const { checkpoint, entries } = await verifyLog(join(dir, 'log'), vkey)
    expect(checkpoint.size).toBe(0)
    expect(entries).toEqual([])
  })

  it('refuses a store with a changed entry, naming it, and leaves the ledger as it was', async () => {
    const { dir } = await ledgerOf([600, 600])
    const changed = new TextEncoder().encode('not the entry that was signed')
    await changeEntry(join(dir, 'db'), 777, changed)
    const names = readdirSync(dir).sort()
    const failure = await codeOf(migrateLedger(dir))
    expect(failure).toMatchObject({ code: 'STORE_CORRUPT', details: { index: 777 } })
    expect(readdirSync(dir).sort()).toEqual(names)
    expect((await entriesOf(join(dir, 'db')))[777]).toBe(toBase64(changed))
  })

  it('refuses a store whose entry and tree were changed together, at the checkpoint that covers it', async () => {
    const { dir } = await ledgerOf([300, 300])
    // The changed entry's leaf hash written into its tile too: only the signed checkpoint tells.
    const store = new LevelStore(join(dir, 'db'), { mustExist: true })
    await store.open()
    const head = await store.readHead()
    const tile = (await store.readTile(0, 1)) as Uint8Array
    const changed = new TextEncoder().encode('forged')
    const { hashLeaf } = await import('@liuhen/core')
    tile.set(hashLeaf(changed), (400 % 256) * 32)
    await store.writeCommit({ entries: [{ index: 400, bytes: changed }], ids: [], tiles: [{ level: 0, index: 1, hashes: tile }], head: head as NonNullable<typeof head> })
    await store.close()
    const failure = await codeOf(migrateLedger(dir))
    expect(failure).toMatchObject({ code: 'STORE_CORRUPT', details: { from: 300, size: 600 } })
    expect(existsSync(join(dir, 'log'))).toBe(false)
  })

  it('refuses a ledger without its signer key, one in use, one behind its published checkpoint, and a non-ledger', async () => {
    const { dir } = await ledgerOf([10])
    renameSync(join(dir, 'signer.key'), join(dir, '..', 'key'))
    await expect(codeOf(migrateLedger(dir))).resolves.toMatchObject({ code: 'LEDGER_NO_SIGNER' })
    renameSync(join(dir, '..', 'key'), join(dir, 'signer.key'))

    const ledger = await Ledger.open(dir)
    await expect(codeOf(migrateLedger(dir))).resolves.toMatchObject({ code: 'STORE_LOCKED' })
    // A later checkpoint of the same ledger in place of the published one: the store is behind it.
    const behind = join(tmp(), 'behind')
    cpSync(dir, behind, { recursive: true, filter: (src) => !src.endsWith('LOCK') })
    await ledger.append(event(10))
    writeFileSync(join(behind, 'checkpoint'), ledger.checkpoint())
    await ledger.close()
    await expect(codeOf(migrateLedger(behind))).resolves.toMatchObject({ code: 'STORE_BEHIND_CHECKPOINT', details: { size: 10, published: 11 } })
    expect(existsSync(join(behind, 'log'))).toBe(false)

    const empty = tmp()
    await expect(codeOf(migrateLedger(empty))).resolves.toMatchObject({ code: 'LEDGER_NOT_FOUND' })
    await expect(codeOf(migrateLedger(join(empty, 'missing')))).resolves.toMatchObject({ code: 'LEDGER_NOT_FOUND' })
    expect(readdirSync(empty)).toEqual([])
  })

  it('runs again after a kill: a leftover log built aside is removed, a half-done swap undone', async () => {
    const { dir, vkey } = await ledgerOf([500, 500])
    const before = await entriesOf(join(dir, 'db'))
    // A kill while converting: a partial log aside, of another process.
    mkdirSync(join(dir, '.migrating-log-4194303', 'tile'), { recursive: true })
    writeFileSync(join(dir, '.migrating-log-4194303', 'checkpoint'), 'torn')
    // A kill during the swap, after the store moved and before the log's rename.
    mkdirSync(join(dir, 'format1'))
    renameSync(join(dir, 'db'), join(dir, 'format1', 'db'))
    const result = await migrateLedger(dir)
    expect(result.log.size).toBe(1000)
    expect((await verifyLog(join(dir, 'log'), vkey)).entries.map((e) => e.toString('base64'))).toEqual(before)
    expect(readdirSync(dir).sort()).toEqual(['format1', 'log', 'signer.key'])
    expect(readdirSync(join(dir, 'format1')).sort()).toEqual(['checkpoint', 'db'])
  })

  it('undoes the swap when a writer appended between the conversion and the move', async () => {
    const { dir } = await ledgerOf([50])
    const close = LevelStore.prototype.close
    let slipped = false
    vi.spyOn(LevelStore.prototype, 'close').mockImplementation(async function (this: LevelStore) {
      await close.call(this)
      // Right after migrate released the store, before it moves it: another writer gets in.
      if (slipped || this.location !== join(dir, 'db')) return
      slipped = true
      const writer = await Ledger.open(dir)
      await writer.append(event(50))
      await writer.close()
    })
    await expect(codeOf(migrateLedger(dir))).resolves.toMatchObject({ code: 'STORE_LOCKED' })
    expect(slipped).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['checkpoint', 'db', 'signer.key'])
    vi.restoreAllMocks()
    expect((await migrateLedger(dir)).log.size).toBe(51)
  })

  it('leaves a half-done swap alone while the conversion that made it still runs', async () => {
    const { dir } = await ledgerOf([5])
    // The folder aside of a live process (this one's parent), and format 1 moved: its swap.
    mkdirSync(join(dir, `.migrating-log-${process.ppid}`))
    mkdirSync(join(dir, 'format1'))
    renameSync(join(dir, 'db'), join(dir, 'format1', 'db'))
    await expect(codeOf(migrateLedger(dir))).resolves.toMatchObject({ code: 'STORE_LOCKED', details: { pid: process.ppid } })
    expect(readdirSync(join(dir, 'format1'))).toEqual(['db'])
    expect(existsSync(join(dir, `.migrating-log-${process.ppid}`))).toBe(true)
  })

  it('refuses a half-done swap it did not leave (format 1 both in place and kept)', async () => {
    const { dir } = await ledgerOf([5])
    mkdirSync(join(dir, 'format1', 'db'), { recursive: true })
    await expect(codeOf(migrateLedger(dir))).resolves.toMatchObject({ code: 'STORE_EXISTS' })
    expect(existsSync(join(dir, 'db'))).toBe(true)
  })

  it('the check names the first entry where a converted log differs from the store', async () => {
    const { dir, vkey } = await ledgerOf([600])
    const result = await migrateLedger(dir)
    // Entry 300 is the 45th of bundle 1 (256–511), full: flip a byte inside it.
    const bundle = join(dir, 'log', 'tile', 'entries', '001')
    const original = readFileSync(bundle)
    const bytes = Buffer.from(original)
    let at = 0
    for (let i = 0; i < 300 - 256; i++) at += 2 + bytes.readUInt16BE(at)
    bytes[at + 2 + 5] = (bytes[at + 2 + 5] as number) ^ 1
    writeFileSync(bundle, bytes)
    const store = new LevelStore(join(dir, 'format1', 'db'), { mustExist: true })
    await store.open()
    const reader = new FileLogReader(join(dir, 'log'))
    try {
      const expect_ = { size: result.log.size, root: Buffer.from(result.log.root, 'hex'), checkpoint: result.checkpoint, origin: ORIGIN, vkey }
      await expect(codeOf(checkConvertedLog(store, reader, verifierFromKey(vkey), expect_))).resolves.toMatchObject({ code: 'STORE_CORRUPT', details: { index: 300 } })
      writeFileSync(bundle, original)
      await expect(checkConvertedLog(store, reader, verifierFromKey(vkey), expect_)).resolves.toMatchObject({ size: 600 })
      rmSync(join(dir, 'log', 'tile', '0', '001'))
      await expect(codeOf(checkConvertedLog(store, reader, verifierFromKey(vkey), expect_))).resolves.toMatchObject({ code: 'STORE_CORRUPT', details: { level: 0, tile: 1 } })
    } finally {
      await reader.close()
      await store.close()
    }
  })
})
