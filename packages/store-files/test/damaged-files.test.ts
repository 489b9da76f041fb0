/**
 * Damage to a log's own files is named, never read as "no log" or as an empty one: a FIFO, a
 * device or a folder where a file should be (refused at once, never waited on), a checkpoint
 * without its meta record, a log without its checkpoint (TiledStore).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateSignerKey, TiledStore } from '@liuhen/core'
import { FileLogReader } from '../src/index.js'
import { createdLog } from './support/created-log.js'

const ORIGIN = 'damage.example/log'
const key = generateSignerKey(ORIGIN)

/** A closed log of 3 entries in a new folder. */
async function logOf3(): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-damage-')), 'log')
  const { store, builder } = await createdLog(dir, key, ORIGIN)
  await store.writeCommit(builder.commit(3))
  await store.close()
  return dir
}

describe('damaged files of a file log', () => {
  it('a FIFO, a device or a folder in place of the checkpoint: STORE_CORRUPT at once', async () => {
    const dir = await logOf3()
    const file = join(dir, 'checkpoint')
    const swaps: Record<string, () => void> = {
      fifo: () => expect(spawnSync('mkfifo', [file]).status).toBe(0),
      zero: () => symlinkSync('/dev/zero', file),
      folder: () => mkdirSync(file),
    }
    for (const [what, swap] of Object.entries(swaps)) {
      rmSync(file, { recursive: true, force: true })
      swap()
      await expect(new FileLogReader(dir).readCheckpoint(), what).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining(file) })
    }
  })

  it('a checkpoint without its meta record is damage; a folder with neither holds no log', async () => {
    const dir = await logOf3()
    unlinkSync(join(dir, '.state', 'meta.json'))
    await expect(new FileLogReader(dir).readMeta()).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringMatching(/meta\.json is missing/) })
    unlinkSync(join(dir, 'checkpoint'))
    await expect(new FileLogReader(dir).readMeta()).resolves.toBeUndefined()
  })

  it('a log whose checkpoint is lost is damage to TiledStore, not an empty log to append to from entry 0', async () => {
    const dir = await logOf3()
    unlinkSync(join(dir, 'checkpoint'))
    const reader = new TiledStore({ log: new FileLogReader(dir) })
    await expect(reader.readHead()).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringMatching(/checkpoint is missing/) })
    await expect(reader.readLatestCheckpoint()).rejects.toMatchObject({ code: 'STORE_CORRUPT' })
  })
})
