/**
 * File outputs under faults: a full disk is named (ENOSPC, exit 3) for files and for stdout, and
 * `init` killed at any moment leaves a complete ledger or nothing at its directory.
 */
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, existsSync, openSync, readdirSync, statSync, watch } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { BIN, ROOT, SAMPLE, ensureBuilt, liuhen, tempDir } from './helpers.js'

beforeAll(() => ensureBuilt())

const hasDevFull = existsSync('/dev/full')

describe.runIf(hasDevFull)('a full disk is named', () => {
  const ledger = join(tempDir(), 'ledger')
  beforeAll(() => {
    expect(liuhen(['init', ledger]).code).toBe(0)
    expect(liuhen(['append', ledger, SAMPLE]).code).toBe(0)
  })

  it('bundle -o /dev/full: exit 3 naming ENOSPC, and /dev/full is still the device', () => {
    const r = liuhen(['bundle', ledger, 'acc-2026-000001', '-o', '/dev/full'])
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/^liuhen: cannot write \/dev\/full: ENOSPC: no space left on device/)
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true)
  })

  it('stdout on a full disk: exit 3 naming ENOSPC, no stack trace', () => {
    const full = openSync('/dev/full', 'w')
    try {
      const r = spawnSync(process.execPath, [BIN, 'export', ledger], { cwd: ROOT, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' })
      expect(r.status).toBe(3)
      expect(r.stderr).toMatch(/^liuhen: cannot write the output: ENOSPC: no space left on device\n$/)
    } finally {
      closeSync(full)
    }
  })
})

describe('init killed midway', () => {
  /**
   * Runs `init <base>/ledger` and kills it with SIGKILL at the `k`-th change it makes under
   * `base` (watched as they happen); resolves once it is gone.
   */
  function initKilledAt(base: string, k: number): Promise<void> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, 'init', join(base, 'ledger')], { cwd: ROOT, stdio: 'ignore' })
      let seen = 0
      const watcher = watch(base, { recursive: true }, () => {
        if (++seen === k) child.kill('SIGKILL')
      })
      child.on('exit', () => {
        watcher.close()
        resolve()
      })
    })
  }

  it('leaves a complete ledger or nothing, whenever it is killed', async () => {
    const outcomes: string[] = []
    for (let k = 1; k <= 14; k++) {
      const base = tempDir()
      const dir = join(base, 'ledger')
      await initKilledAt(base, k)
      if (!existsSync(dir)) {
        outcomes.push('nothing')
        continue
      }
      // What is there is a whole ledger: it verifies.
      const v = liuhen(['verify', dir])
      expect(v.code, `killed at change ${k}: ${v.stderr}`).toBe(0)
      expect(readdirSync(dir)).toEqual(expect.arrayContaining(['db', 'signer.key']))
      outcomes.push('complete')
    }
    // Killed early it left nothing; left alone long enough, it finished.
    expect(outcomes[0]).toBe('nothing')
  }, 120_000)
})
