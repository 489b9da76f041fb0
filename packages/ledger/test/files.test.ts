/**
 * The signer key file of a ledger directory read through the one safe reader: a FIFO, a folder
 * or a missing key is a coded error at once, never a hang.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readSignerKey, signerPath } from '@liuhen/ledger'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'liuhen-key-'))
  dirs.push(d)
  return d
}

describe('readSignerKey', () => {
  it('reads the key, trimmed', () => {
    const dir = tmp()
    writeFileSync(signerPath(dir), 'PRIVATE+KEY+x\n')
    expect(readSignerKey(dir)).toBe('PRIVATE+KEY+x')
  })

  it('refuses a missing key, a folder and a FIFO with LEDGER_NOT_FOUND, without blocking', () => {
    const missing = tmp()
    const folder = tmp()
    mkdirSync(signerPath(folder))
    const fifo = tmp()
    expect(spawnSync('mkfifo', [signerPath(fifo)]).status).toBe(0)
    for (const dir of [missing, folder, fifo]) expect(() => readSignerKey(dir)).toThrowError(expect.objectContaining({ code: 'LEDGER_NOT_FOUND' }))
  })
})
