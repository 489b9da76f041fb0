/**
 * The files on disk: the paths and bytes of C2SP tlog-tiles under the log's folder, partials kept
 * as new widths until the full file is published, the store's own files under `.state/`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { encodeEntryBundle, generateSignerKey } from '@liuhen/core'
import { FileLogReader, FileLogStore } from '../src/index.js'
import { entryBytes } from '../../../test/conformance/log-builder.mjs'
import { createdLog } from './support/created-log.js'

const ORIGIN = 'layout.example/log'
const key = generateSignerKey(ORIGIN)

/** Every file under `dir`, as slash-separated paths, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) =>
      join(d.parentPath, d.name)
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort()
}

describe('the file log on disk', () => {
  it('is a tlog-tiles log: checkpoint, tiles and bundles at their paths, partials kept until the full file', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-layout-')), 'log')
    const { store, builder } = await createdLog(dir, key, ORIGIN)
    expect(files(dir)).toEqual(['.state/lock', '.state/meta.json', 'checkpoint'])
    expect(JSON.parse(readFileSync(join(dir, '.state/meta.json'), 'utf8'))).toEqual({ format: 2, origin: ORIGIN, vkey: key.vkey })
    await store.writeCommit(builder.commit(3))
    await store.writeCommit(builder.commit(2))
    expect(files(dir)).toEqual(['.state/lock', '.state/meta.json', 'checkpoint', 'tile/0/000.p/3', 'tile/0/000.p/5', 'tile/entries/000.p/3', 'tile/entries/000.p/5'])
    expect(readFileSync(join(dir, 'checkpoint'), 'utf8')).toBe(builder.checkpoint().text)
    expect(new Uint8Array(readFileSync(join(dir, 'tile/entries/000.p/5')))).toEqual(encodeEntryBundle([0, 1, 2, 3, 4].map(entryBytes)))
    expect(new Uint8Array(readFileSync(join(dir, 'tile/0/000.p/3')))).toEqual(builder.tile(0, 0, 3))
    await store.writeCommit(builder.commit(295))
    // The full tile and bundle 0 replace their partials; tile 1 of level 0 and tile 0 of level 1 are partial.
    expect(files(dir)).toEqual(['.state/lock', '.state/meta.json', 'checkpoint', 'tile/0/000', 'tile/0/001.p/44', 'tile/1/000.p/1', 'tile/entries/000', 'tile/entries/001.p/44'])
    await store.close()
    expect(files(dir)).not.toContain('.state/lock')
  })
})

describe('opening a file log', () => {
  it('with mustExist, fails with STORE_NOT_FOUND and makes nothing when the folder is missing', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-layout-')), 'log')
    await expect(new FileLogStore(dir, { mustExist: true }).open()).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' })
    expect(existsSync(dir)).toBe(false)
    expect(await new FileLogReader(dir).readCheckpoint()).toBeUndefined()
  })

  it('names a damaged checkpoint or meta record STORE_CORRUPT', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-layout-')), 'log')
    mkdirSync(join(dir, '.state'), { recursive: true })
    writeFileSync(join(dir, 'checkpoint'), 'not a checkpoint\n')
    writeFileSync(join(dir, '.state', 'meta.json'), '{"format": 2')
    await expect(new FileLogReader(dir).readCheckpoint()).rejects.toMatchObject({ code: 'STORE_CORRUPT' })
    await expect(new FileLogReader(dir).readMeta()).rejects.toMatchObject({ code: 'STORE_CORRUPT' })
    await expect(new FileLogStore(dir).open()).rejects.toMatchObject({ code: 'STORE_CORRUPT' })
    // The failed open left the lock to nobody.
    expect(existsSync(join(dir, '.state', 'lock'))).toBe(false)
  })
})
