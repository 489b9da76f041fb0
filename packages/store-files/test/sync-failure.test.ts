/**
 * A checkpoint renamed into place whose folder sync then fails (EIO, injected here by wrapping
 * `fs.promises.open`) may be visible without being durable: the store refuses further writes until
 * it is opened again, and then continues from what the disk holds.
 */
import fs from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { generateSignerKey } from '@liuhen/core'
import { FileLogReader, FileLogStore } from '../src/index.js'
import { checkLog, LogBuilder } from '../../../test/conformance/log-builder.mjs'
import { createdLog } from './support/created-log.js'

const ORIGIN = 'sync.example/log'
const key = generateSignerKey(ORIGIN)
const realOpen = fs.promises.open

afterEach(() => {
  fs.promises.open = realOpen
  syncBuiltinESMExports()
})

describe('a checkpoint whose folder sync fails', () => {
  it('stops the writer until it is opened again, which continues from the disk', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-sync-')), 'log')
    const { store, builder } = await createdLog(dir, key, ORIGIN)
    await store.writeCommit(builder.commit(3))
    // Fail the sync of the log's root folder, which comes right after the checkpoint's rename.
    fs.promises.open = (async (path: fs.PathLike, flags?: string | number, mode?: fs.Mode) => {
      if (path === dir && flags === 'r') throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })
      return realOpen(path, flags, mode)
    }) as typeof fs.promises.open
    syncBuiltinESMExports()
    await expect(store.writeCommit(builder.commit(2))).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED', details: { errno: 'EIO' } })
    fs.promises.open = realOpen
    syncBuiltinESMExports()
    // The new checkpoint is on disk; this writer no longer knows whether it will stay.
    expect((await new FileLogReader(dir).readCheckpoint())?.size).toBe(5)
    await expect(store.writeCommit(LogBuilder.resumed(key.skey, ORIGIN, 3).commit(1))).rejects.toThrow(/must be opened again/)
    await store.close()
    const again = new FileLogStore(dir)
    await again.open()
    await again.writeCommit(builder.commit(4))
    await again.close()
    expect(await checkLog(new FileLogReader(dir), key.vkey)).toBe(9)
  })
})
