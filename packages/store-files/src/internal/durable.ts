/**
 * Durable file writes: a file is written whole under a temporary name, synced, then renamed into
 * place, and the folders whose entries changed are synced, so after a crash a path holds either
 * nothing or the complete file (never a torn one), and a file is on disk before anything that
 * names it.
 */
import { randomBytes } from 'node:crypto'
import { open, rename, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'

let counter = 0

/** A fresh temporary name in folder `tmp`, unique to this process. */
export function tempName(tmp: string): string {
  return join(tmp, `${process.pid}-${++counter}-${randomBytes(4).toString('hex')}.tmp`)
}

/** Writes `bytes` to the new file `path` (it must not exist) and syncs it to disk. */
export async function writeSynced(path: string, bytes: Uint8Array | string): Promise<void> {
  const file = await open(path, 'wx', 0o644)
  try {
    await file.writeFile(bytes)
    await file.sync()
  } finally {
    await file.close()
  }
}

/** Syncs folder `dir`, making the names created, renamed or removed in it durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Writes `bytes` to `path` durably through temporary file `temp` (same file system): the old
 * content, if any, stays until the rename, which replaces it atomically. Syncs the folder.
 */
export async function replaceFile(path: string, temp: string, bytes: Uint8Array | string): Promise<void> {
  try {
    await writeSynced(temp, bytes)
    await rename(temp, path)
  } catch (err) {
    await unlink(temp).catch(() => undefined)
    throw err
  }
  await syncDir(dirname(path))
}
