/**
 * The writer lock of a file log: a lock file naming its holder (pid, host, the process's start
 * time, a random token). Node has no advisory file lock (flock, fcntl) without a native addon,
 * so the lock is a file whose holder is checked: a holder that is gone (killed with SIGKILL, its
 * machine rebooted) leaves a file that the next writer finds stale and takes over, so a dead
 * writer never blocks the log for ever.
 *
 * - Taking: the holder's record is written whole to a temporary file, then hard-linked to the
 *   lock's name. A link never replaces an existing name, so of two writers exactly one succeeds,
 *   and the lock file is never seen half-written.
 * - Stale: same host, and the pid is not running (`kill(pid, 0)` fails with ESRCH) or runs a
 *   process that started at another time than the holder did (the pid was reused; Linux
 *   `/proc/<pid>/stat`). A lock of another host is never taken over: its pid cannot be checked.
 * - Taking over: the stale file is renamed aside (one renamer wins) and checked to be the one
 *   judged stale; if it is not (another writer took the lock meanwhile), it is linked back.
 * - The holder checks the lock is still its own before each commit publishes.
 */
import { randomBytes } from 'node:crypto'
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { LedgerError } from '@liuhen/core'
import { errnoOf } from './failure.js'

/** Who holds a lock. */
export interface LockHolder {
  pid: number
  host: string
  /** The process's start time in clock ticks since boot (Linux), to tell a reused pid. */
  start?: string
  token: string
}

const ATTEMPTS = 5

/** A writer lock held by this process. */
export class WriterLock {
  private constructor(
    readonly path: string,
    readonly holder: LockHolder,
  ) {}

  /**
   * Takes the lock at `path`, staging its record in folder `tmp` (same file system). Throws
   * `STORE_LOCKED` naming the live holder's pid and host.
   */
  static acquire(path: string, tmp: string): WriterLock {
    const start = startTimeOf(process.pid)
    const me: LockHolder = { pid: process.pid, host: hostname(), ...(start === undefined ? {} : { start }), token: randomBytes(16).toString('hex') }
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const staged = `${tmp}/lock-${me.pid}-${randomBytes(4).toString('hex')}.tmp`
      writeFileSync(staged, `${JSON.stringify(me)}\n`, { flag: 'wx' })
      try {
        linkSync(staged, path)
        return new WriterLock(path, me)
      } catch (err) {
        // ENOENT: the holder's open emptied the temporary folder under us; try again.
        if (errnoOf(err) === 'ENOENT') continue
        if (errnoOf(err) !== 'EEXIST') throw err
      } finally {
        removeQuietly(staged)
      }
      const holder = readHolder(path)
      if (holder === 'gone') continue
      if (holder !== 'unreadable' && isAlive(holder)) throw locked(path, holder)
      breakStale(path, tmp, holder)
    }
    const holder = readHolder(path)
    throw locked(path, typeof holder === 'string' ? undefined : holder)
  }

  /** Whether the lock file is still this holder's. */
  isHeld(): boolean {
    const holder = readHolder(this.path)
    return typeof holder !== 'string' && holder.token === this.holder.token
  }

  /** Removes the lock file if it is still this holder's. */
  release(): void {
    if (!this.isHeld()) return
    try {
      unlinkSync(this.path)
    } catch {
      // Gone already: nothing to release.
    }
  }
}

function locked(path: string, holder: LockHolder | undefined): LedgerError {
  const who = holder ? `process ${holder.pid} on ${holder.host}` : 'another process'
  return new LedgerError('STORE_LOCKED', `the log is being written by ${who} (lock file ${path}); readers need no lock`, holder ? { pid: holder.pid, host: holder.host, path } : { path })
}

/** The holder recorded at `path`; 'gone' when there is no file, 'unreadable' when it is no record. */
function readHolder(path: string): LockHolder | 'gone' | 'unreadable' {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return 'gone'
    throw err
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>
    if (Number.isSafeInteger(h.pid) && typeof h.host === 'string' && typeof h.token === 'string') return h as LockHolder
  } catch {
    // Not a record: nobody can be holding it (records are linked in whole).
  }
  return 'unreadable'
}

/** Whether the process that took the lock may still be running. */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true
  try {
    process.kill(holder.pid, 0)
  } catch (err) {
    // EPERM: running, as another user.
    return errnoOf(err) !== 'ESRCH'
  }
  const start = startTimeOf(holder.pid)
  return holder.start === undefined || start === undefined || start === holder.start
}

/** Moves a stale lock file aside and removes it, unless another writer replaced it meanwhile. */
function breakStale(path: string, tmp: string, stale: LockHolder | 'unreadable'): void {
  const aside = `${tmp}/stale-lock-${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  try {
    renameSync(path, aside)
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return
    throw err
  }
  const moved = readHolder(aside)
  const same = stale === 'unreadable' ? moved === 'unreadable' : typeof moved !== 'string' && moved.token === stale.token
  if (!same) {
    // A live writer's lock, taken after we judged the old one: give it back.
    try {
      linkSync(aside, path)
    } catch {
      // A third writer holds the name now; the live writer finds its lock gone before publishing.
    }
  }
  removeQuietly(aside)
}

/** Removes `path`; a file already gone (the holder emptied the temporary folder) is fine. */
function removeQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') throw err
  }
}

/** The start time of process `pid` in clock ticks since boot, from Linux's /proc; undefined elsewhere. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 22; the command name (field 2) may hold spaces and parentheses, so count after its ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}
