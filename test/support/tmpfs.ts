/**
 * A small tmpfs for the full-disk tests: a real file system that fills, where the machine lets
 * the tests mount one (Linux, as root, mounting allowed); elsewhere the tests skip themselves.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Mounts a tmpfs of `size` (`1m`, `2m`) in a new folder; its path, or undefined where refused. */
export function mountTmpfs(size: string): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined
  const mountPoint = join(mkdtempSync(join(tmpdir(), 'liuhen-full-')), 'small')
  try {
    mkdirSync(mountPoint)
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint], { stdio: 'ignore' })
    return mountPoint
  } catch {
    return undefined
  }
}
