/**
 * Files written aside and renamed into place: a reader, a crash or a full disk never leaves a
 * truncated file where a good one was. The data is fsynced before the rename and the folder
 * after it, so once the promise resolves the new file survives a power cut.
 */
import { promises as fsp, type Stats } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { basename, dirname, join } from 'node:path'

/** The file operations {@link writeFileAtomic} uses; tests pass failing ones. */
export interface AtomicFs {
  open: typeof fsp.open
  rename: typeof fsp.rename
  link: typeof fsp.link
  unlink: typeof fsp.unlink
  realpath: typeof fsp.realpath
  stat: typeof fsp.stat
}

const NODE_FS: AtomicFs = { open: fsp.open, rename: fsp.rename, link: fsp.link, unlink: fsp.unlink, realpath: fsp.realpath, stat: fsp.stat }

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Mode of a new file (default 0o666 before the umask). */
  mode?: number
  /** Refuse (`EEXIST`) when the file exists, instead of replacing it: for keys. */
  exclusive?: boolean
  /** The file operations, for tests (default node:fs). */
  fs?: AtomicFs
}

/**
 * Writes `data` to `file` atomically: to a temporary file beside it (same folder, so the rename
 * cannot cross devices), fsynced, renamed over `file` (or linked, with `exclusive`), then the
 * folder fsynced. On any failure the temporary file is removed and `file` is as it was; the
 * error (a Node error with its `code`: `ENOSPC`, `EACCES`, `EEXIST`, …) is thrown. A symbolic
 * link is followed (the file it names is replaced); a device, pipe or socket (`/dev/stdout`) is
 * written to directly, as nothing can be renamed over it.
 * @example await writeFileAtomic('bundle.json', JSON.stringify(bundle))
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const fs = options.fs ?? NODE_FS
  const file = await fs.realpath(path).catch(() => path)
  const stats = await fs.stat(file).catch(() => undefined)
  if (stats && !stats.isFile() && !options.exclusive) return writeSpecial(fs, file, data, stats)
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
  let written = false
  try {
    const handle = await fs.open(tmp, 'wx', options.mode ?? 0o666)
    written = true
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    if (options.exclusive) {
      // link fails with EEXIST on an existing file: no window in which a key could be replaced.
      await fs.link(tmp, file)
      await fs.unlink(tmp)
    } else await fs.rename(tmp, file)
    written = false
    await syncFolder(dirname(file), fs)
  } catch (err) {
    if (written) await fs.unlink(tmp).catch(() => undefined)
    throw err
  }
}

/** Writes to a device or pipe in place; a folder is refused (`EISDIR`). */
async function writeSpecial(fs: AtomicFs, file: string, data: string | Uint8Array, stats: Stats): Promise<void> {
  if (stats.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${file}'`), { code: 'EISDIR' })
  const handle = await fs.open(file, 'w')
  try {
    await handle.writeFile(data)
  } finally {
    await handle.close()
  }
}

/** Fsyncs a folder, so the names created, renamed or removed in it are durable. */
export async function syncFolder(dir: string, fs: Pick<AtomicFs, 'open'> = NODE_FS): Promise<void> {
  const handle = await fs.open(dir, 'r')
  try {
    await handle.sync()
  } catch (err) {
    // Some file systems refuse fsync on a folder (EINVAL); their renames are durable anyway.
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err
  } finally {
    await handle.close()
  }
}
