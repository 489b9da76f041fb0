/**
 * The writer lock: a second writer is refused with the holder named, in this process and in
 * another; a lock left by a process that is gone (killed, or its pid now another process's) is
 * taken over; another host's lock and a live one are never taken.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { EMPTY_ROOT, generateSignerKey, signCheckpoint, signerFromKey } from '@liuhen/core'
import { FileLogStore } from '../src/index.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

function logDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-lock-')), 'log')
  mkdirSync(join(dir, '.state', 'tmp'), { recursive: true })
  return dir
}

const lockOf = (dir: string) => join(dir, '.state', 'lock')
const writeLock = (dir: string, holder: object) => writeFileSync(lockOf(dir), JSON.stringify({ host: hostname(), token: 'theirs', ...holder }))

describe('the writer lock of a file log', () => {
  it('refuses a second writer in this process, naming the holder, until the first closes', async () => {
    const dir = logDir()
    const first = new FileLogStore(dir)
    await first.open()
    await expect(new FileLogStore(dir).open()).rejects.toMatchObject({ code: 'STORE_LOCKED', details: { pid: process.pid, host: hostname() } })
    await first.close()
    expect(existsSync(lockOf(dir))).toBe(false)
    const second = new FileLogStore(dir)
    await second.open()
    await second.close()
  })

  it('refuses a writer while another process holds the log, and takes the log over once it is killed', async () => {
    const dir = logDir()
    const script = "import { FileLogStore } from '@liuhen/store-files'; await new FileLogStore(process.argv[1]).open(); console.log('open'); setInterval(() => {}, 1000)"
    const holder = spawn(process.execPath, ['--input-type=module', '-e', script, dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise((resolve) => holder.stdout.once('data', resolve))
    const refused = new FileLogStore(dir).open()
    await expect(refused).rejects.toMatchObject({ code: 'STORE_LOCKED', details: { pid: holder.pid } })
    await expect(refused).rejects.toThrow(`process ${holder.pid} on ${hostname()}`)
    holder.kill('SIGKILL')
    await new Promise((resolve) => holder.once('close', resolve))
    const next = new FileLogStore(dir)
    await next.open()
    await next.close()
  })

  it('takes over the lock of a pid that is gone, reused by another process, or a lock that is no record', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid as number
    for (const holder of [{ pid: gone }, { pid: process.pid, start: 'another start' }, undefined]) {
      const dir = logDir()
      if (holder) writeLock(dir, holder)
      else writeFileSync(lockOf(dir), '{"pid": 1')
      const store = new FileLogStore(dir)
      await store.open()
      await store.close()
    }
  })

  it("never takes another host's lock", async () => {
    const dir = logDir()
    writeLock(dir, { pid: 1, host: 'elsewhere.example' })
    await expect(new FileLogStore(dir).open()).rejects.toMatchObject({ code: 'STORE_LOCKED', details: { host: 'elsewhere.example' } })
  })

  it('publishes no checkpoint once its lock was taken from it', async () => {
    const dir = logDir()
    const store = new FileLogStore(dir)
    await store.open()
    writeLock(dir, { pid: process.pid })
    const signer = signerFromKey(generateSignerKey('lock.example/log').skey)
    const empty = { size: 0, text: signCheckpoint({ origin: 'lock.example/log', size: 0, root: EMPTY_ROOT, extensions: [] }, signer) }
    await expect(store.create({ format: 2, origin: 'lock.example/log', vkey: 'k' }, empty)).rejects.toMatchObject({ code: 'STORE_LOCKED' })
    expect(existsSync(join(dir, 'checkpoint'))).toBe(false)
    await store.close()
    // Not its lock any more: closing leaves it to its holder.
    expect(existsSync(lockOf(dir))).toBe(true)
  })
})
