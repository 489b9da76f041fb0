/**
 * A full disk for real: a 1 MiB tmpfs (mounting needs root and a kernel that lets this process
 * mount; elsewhere the test is skipped). A commit that runs out of space fails with
 * `STORE_NO_SPACE`, leaves the published checkpoint and what it names as they were, and the log
 * takes commits again once space is freed.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateSignerKey } from '@liuhen/core'
import { FileLogReader } from '../src/index.js'
import { checkLog, LogBuilder } from '../../../test/conformance/log-builder.mjs'
import { createdLog } from './support/created-log.js'
import { mountTmpfs } from '../../../test/support/tmpfs.js'

const mountPoint = mountTmpfs('1m') ?? ''
const mounted = mountPoint !== ''
const ORIGIN = 'full.example/log'
const key = generateSignerKey(ORIGIN)

describe.runIf(mounted)('a file log on a full disk (tmpfs of 1 MiB)', () => {
  afterAll(() => execFileSync('umount', [mountPoint]))

  it('fails a commit with STORE_NO_SPACE, keeps the published log, and appends again once space is freed', async () => {
    const dir = join(mountPoint, 'log')
    const filler = join(mountPoint, 'filler')
    writeFileSync(filler, Buffer.alloc(256 << 10))
    const created = await createdLog(dir, key, ORIGIN)
    const store = created.store
    let builder = created.builder
    let failure: unknown
    for (let i = 0; i < 1000 && failure === undefined; i++) {
      const size = builder.size
      await store.writeCommit(builder.commit(200)).catch((err: unknown) => {
        failure = err
        // The refused entries are not in the log: build them again for the retry.
        builder = LogBuilder.resumed(key.skey, ORIGIN, size)
      })
    }
    expect(failure).toMatchObject({ code: 'STORE_NO_SPACE', details: { errno: 'ENOSPC' } })
    const published = await new FileLogReader(dir).readCheckpoint()
    expect(published?.size).toBe(builder.size)
    expect(await checkLog(new FileLogReader(dir), key.vkey)).toBe(builder.size)
    // The failed commit's temporary files are gone.
    expect(readdirSync(join(dir, '.state', 'tmp'))).toEqual([])
    rmSync(filler)
    await store.writeCommit(builder.commit(200))
    expect(await checkLog(new FileLogReader(dir), key.vkey)).toBe(builder.size)
    await store.close()
  })
})
