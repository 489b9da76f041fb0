/**
 * A full disk for real: a 2 MiB tmpfs (mounting needs root and a kernel that lets this process
 * mount; elsewhere the test is skipped, and the fs-layer tests of packages/ledger/test cover the
 * file outputs). The cause is named (ENOSPC, exit 3), nothing acknowledged is lost, and no good
 * file is replaced by a truncated one.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mountTmpfs } from '../support/tmpfs.js'
import { SAMPLE, ensureBuilt, extra, jsonLines, liuhen, tempDir } from './helpers.js'

// One small disk per format: each test fills its own.
const mountPoints = { '1': mountTmpfs('2m') ?? '', '2': mountTmpfs('2m') ?? '' }
const mounted = mountPoints['1'] !== '' && mountPoints['2'] !== ''

describe.runIf(mounted)('a full disk (tmpfs of 2 MiB)', () => {
  beforeAll(() => ensureBuilt())
  afterAll(() => {
    for (const mountPoint of Object.values(mountPoints)) execFileSync('umount', [mountPoint])
  })

  it.each(['1', '2'] as const)(
    'append names ENOSPC, keeps what it acknowledged; files and init are whole or untouched (format %s)',
    (format) => {
      const mountPoint = mountPoints[format]
      const ledger = join(mountPoint, 'ledger')
      expect(liuhen(['init', ledger, '--format', format]).code).toBe(0)
      // A good file on the small disk, and a ledger elsewhere to bundle from.
      const good = join(mountPoint, 'bundle.json')
      const source = join(tempDir(), 'source')
      expect(liuhen(['init', source]).code).toBe(0)
      expect(liuhen(['append', source, SAMPLE]).code).toBe(0)
      expect(liuhen(['bundle', source, 'acc-2026-000001', '-o', good]).code).toBe(0)
      const goodText = readFileSync(good, 'utf8')

      // Fill the disk.
      const r = liuhen(['append', ledger, '--json', '--batch', '100'], extra(20_000))
      expect(r.code, r.stderr).toBe(3)
      expect(r.stderr).toMatch(/ENOSPC/)
      expect(r.stderr).toMatch(/no space left/)
      const acknowledged = (jsonLines(r.stdout).at(-1) as { size: number } | undefined)?.size ?? 0
      expect(acknowledged).toBeGreaterThan(0)

      // Whatever room the last refused batch left is taken too.
      const filler = join(mountPoint, 'filler')
      expect(() => writeFileSync(filler, Buffer.alloc(4 << 20))).toThrow(/ENOSPC/)
      // A bundle over the good file fails whole: the good file stays, no temporary file is left.
      const big = liuhen(['bundle', source, 'acc-2026-000001', '-o', good])
      expect(big.code).toBe(3)
      expect(big.stderr).toMatch(/^liuhen: cannot write .*bundle\.json: ENOSPC: no space left on device/)
      expect(readFileSync(good, 'utf8')).toBe(goodText)
      expect(readdirSync(mountPoint).sort()).toEqual(['bundle.json', 'filler', 'ledger'])
      // init on the full disk leaves nothing behind.
      const init = liuhen(['init', join(mountPoint, 'new')])
      expect(init.code).toBe(3)
      expect(init.stderr).toMatch(/no space left on the device \(ENOSPC\)/)
      expect(readdirSync(mountPoint).sort()).toEqual(['bundle.json', 'filler', 'ledger'])
      // Commands that read still work (format 2 reads its log with no lock; format 1's LevelDB
      // writes on open, so it reads a private copy), and append names the cause.
      const cp = liuhen(['checkpoint', ledger])
      expect(cp.code, cp.stderr).toBe(0)
      expect(cp.stdout.split('\n')[1]).toBe(String(acknowledged))
      const more = liuhen(['append', ledger], extra(1, 40_000))
      expect(more.code).toBe(3)
      expect(more.stderr).toMatch(/no space left on the device \(ENOSPC\)/)
      rmSync(filler)

      // With room again, every acknowledged event is there and the ledger verifies.
      execFileSync('mount', ['-o', 'remount,size=16m', mountPoint])
      const v = liuhen(['verify', ledger, '--json'])
      expect(v.code, v.stdout + v.stderr).toBe(0)
      expect(JSON.parse(v.stdout).size).toBeGreaterThanOrEqual(acknowledged)
      expect(liuhen(['append', ledger], extra(1, 50_000)).code).toBe(0)
    },
    120_000,
  )
})
