/**
 * Format 1 is frozen: the fixture in test/fixtures/ledger-v1 (a LevelDB ledger and the bytes it
 * must hold) was written by generate.mjs beside it. This code must rebuild it byte for byte, and
 * must open and extend the frozen database itself.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fromHex, openCheckpoint, toBase64, toHex, verifierFromKey, verifyInclusion } from '@liuhen/core'
import { Ledger } from '@liuhen/ledger'
// @ts-expect-error: the generator is plain JavaScript
import { build } from '../../../test/fixtures/ledger-v1/generate.mjs'

const fixture = join(import.meta.dirname, '../../../test/fixtures/ledger-v1')
const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8'))
const tmp = () => mkdtempSync(join(tmpdir(), 'liuhen-v1-'))

describe('on-disk format 1', () => {
  it('is what this code writes, byte for byte', async () => {
    expect(await build(join(tmp(), 'l'))).toEqual(expected)
  })

  it('opens the frozen database, serves its entries and proofs, and appends to it', async () => {
    const dir = join(tmp(), 'l')
    cpSync(join(fixture, 'ledger'), dir, { recursive: true })
    const ledger = await Ledger.open(dir)
    try {
      expect(ledger.size).toBe(expected.size)
      expect(ledger.vkey).toBe(expected.vkey)
      expect(ledger.checkpoint()).toBe(expected.checkpoints.at(-1).text)
      const bytes: string[] = []
      for await (const e of ledger.entries()) bytes.push(toBase64(e.bytes))
      expect(bytes).toEqual(expected.entries)
      const { checkpoint } = openCheckpoint(ledger.checkpoint(), verifierFromKey(expected.vkey))
      expect(toHex(checkpoint.root)).toBe(expected.root)
      const p = await ledger.proveInclusion(7)
      verifyInclusion(7, expected.size, fromHex(p.leafHash), p.proof.map(fromHex), checkpoint.root)
      const first = await ledger.get(0)
      expect(toBase64(first?.bytes as Uint8Array)).toBe(expected.entries[0])
      const receipt = await ledger.append({
        id: 'after-freeze',
        type: 'org.registered',
        at: '2026-03-01T09:00:00+08:00',
        actor: { dept: 'district.data-bureau' },
        data: { org: 'x', name: 'x', level: 'street' },
      })
      expect(receipt.index).toBe(expected.size)
    } finally {
      await ledger.close()
    }
  })
})
