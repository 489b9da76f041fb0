/**
 * A commit whose tile or bundle write fails (EIO, injected by wrapping `fs.promises.open`) after
 * its checkpoint's temporary file was written alongside: nothing is published, no temporary
 * file is left, and the same writer commits again.
 */
import fs from 'node:fs'
import { mkdtempSync, readdirSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { generateSignerKey } from '@liuhen/core'
import { FileLogReader } from '../src/index.js'
import { checkLog, LogBuilder } from '../../../test/conformance/log-builder.mjs'
import { createdLog } from './support/created-log.js'

const ORIGIN = 'write.example/log'
const key = generateSignerKey(ORIGIN)
const realOpen = fs.promises.open

afterEach(() => {
  fs.promises.open = realOpen
  syncBuiltinESMExports()
})

describe('a commit whose file write fails', () => {
  it('publishes nothing, leaves no temporary file, and lets the writer commit again', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-write-')), 'log')
    const { store, builder } = await createdLog(dir, key, ORIGIN)
    await store.writeCommit(builder.commit(3))
    // The checkpoint's temporary file is the commit's first new file; fail the second one.
    let created = 0
    fs.promises.open = (async (path: fs.PathLike, flags?: string | number, mode?: fs.Mode) => {
      if (flags === 'wx' && ++created === 2) throw Object.assign(new Error('EIO: i/o error, open'), { code: 'EIO' })
      return realOpen(path, flags, mode)
    }) as typeof fs.promises.open
    syncBuiltinESMExports()
    await expect(store.writeCommit(builder.commit(2))).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED', details: { errno: 'EIO' } })
    fs.promises.open = realOpen
    syncBuiltinESMExports()
    expect(created).toBeGreaterThanOrEqual(2)
    expect(readdirSync(join(dir, '.state', 'tmp'))).toEqual([])
    expect((await new FileLogReader(dir).readCheckpoint())?.size).toBe(3)
    await store.writeCommit(LogBuilder.resumed(key.skey, ORIGIN, 3).commit(4))
    await store.close()
    expect(await checkLog(new FileLogReader(dir), key.vkey)).toBe(7)
  })
})
