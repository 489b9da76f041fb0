/**
 * writeFileAtomic, the one way every file output is written: a full disk (ENOSPC injected at the
 * file-system layer, and for real on /dev/full) never leaves a truncated file where a good one
 * was, and the data and the folder are fsynced around the rename, in that order.
 */
import { existsSync, mkdtempSync, promises as fsp, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFileAtomic, type AtomicFs } from '@liuhen/ledger'

const enospc = (): NodeJS.ErrnoException => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })

/** node:fs with every call recorded, and files that fill the disk after `room` bytes. */
function recordingFs(calls: string[], room = Infinity): AtomicFs {
  const open: typeof fsp.open = async (path, flags, mode) => {
    const handle = await fsp.open(path, flags, mode)
    const label = String(flags) === 'r' ? 'folder' : 'file'
    return Object.assign(Object.create(handle) as typeof handle, {
      writeFile: async (data: string | Uint8Array) => {
        const bytes = typeof data === 'string' ? Buffer.from(data) : data
        calls.push(`write ${label}`)
        await handle.writeFile(bytes.subarray(0, Math.min(bytes.length, room)))
        if (bytes.length > room) throw enospc()
      },
      sync: async () => {
        calls.push(`sync ${label}`)
        await handle.sync()
      },
      close: () => handle.close(),
    })
  }
  return {
    open,
    rename: async (a, b) => {
      calls.push('rename')
      await fsp.rename(a, b)
    },
    link: async (a, b) => {
      calls.push('link')
      await fsp.link(a, b)
    },
    unlink: async (p) => {
      calls.push('unlink')
      await fsp.unlink(p)
    },
    realpath: fsp.realpath,
    stat: fsp.stat,
  }
}

describe('writeFileAtomic', () => {
  it('fsyncs the data, renames, then fsyncs the folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuhen-atomic-'))
    const calls: string[] = []
    await writeFileAtomic(join(dir, 'state.json'), '{"size": 5}\n', { mode: 0o600, fs: recordingFs(calls) })
    expect(calls).toEqual(['write file', 'sync file', 'rename', 'sync folder'])
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe('{"size": 5}\n')
    expect(statSync(join(dir, 'state.json')).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['state.json'])
  })

  it('on a full disk leaves the good file as it was and no temporary file, and throws ENOSPC', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuhen-atomic-'))
    const file = join(dir, 'bundle.json')
    writeFileSync(file, 'the good bundle\n')
    const calls: string[] = []
    await expect(writeFileAtomic(file, 'x'.repeat(10_000), { fs: recordingFs(calls, 4096) })).rejects.toMatchObject({ code: 'ENOSPC' })
    expect(readFileSync(file, 'utf8')).toBe('the good bundle\n')
    expect(readdirSync(dir)).toEqual(['bundle.json'])
    expect(calls).not.toContain('rename')
  })

  it('exclusive refuses an existing file (EEXIST) and keeps it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liuhen-atomic-'))
    const file = join(dir, 'log.key')
    await writeFileAtomic(file, 'first\n', { exclusive: true })
    await expect(writeFileAtomic(file, 'second\n', { exclusive: true })).rejects.toMatchObject({ code: 'EEXIST' })
    expect(readFileSync(file, 'utf8')).toBe('first\n')
    expect(readdirSync(dir)).toEqual(['log.key'])
  })

  it('writes to a device in place, and names a full one: /dev/full is ENOSPC', async () => {
    if (!existsSync('/dev/full')) return
    const before = statSync('/dev/full')
    await expect(writeFileAtomic('/dev/full', 'x')).rejects.toMatchObject({ code: 'ENOSPC' })
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true) // never renamed over
    expect(statSync('/dev/full').ino).toBe(before.ino)
    await writeFileAtomic('/dev/null', 'x')
  })
})
