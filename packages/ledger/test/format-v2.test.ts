/**
 * Format 2 is frozen: the fixture in test/fixtures/ledger-v2 (a ledger directory and the bytes of
 * its log) was written by generate.mjs beside it. This code must rebuild every file of `log/`
 * byte for byte, open and extend the frozen ledger itself, and the independent tlog-tiles reader
 * (written from the C2SP specs, not from this code) must verify the frozen log.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fromHex, openCheckpoint, toBase64, toHex, verifierFromKey, verifyInclusion } from '@liuhen/core'
import { indexPath, Ledger, logPath } from '@liuhen/ledger'
import { indexEntry, queryAccesses } from '@liuhen/query'
// @ts-expect-error: the generator is plain JavaScript
import { build, fixtureEvents } from '../../../test/fixtures/ledger-v2/generate.mjs'
import { verifyLog } from '../../../test/support/tlog-tiles-reader.mjs'

const fixture = join(import.meta.dirname, '../../../test/fixtures/ledger-v2')
const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8'))
const tmp = () => mkdtempSync(join(tmpdir(), 'liuhen-v2-'))

describe('on-disk format 2', () => {
  it('is what this code writes, byte for byte, every file of log/', async () => {
    expect(await build(join(tmp(), 'l'))).toEqual(expected)
  })

  it('is a tlog-tiles log that a reader written from the specs verifies', async () => {
    const { checkpoint, entries } = await verifyLog(join(fixture, 'ledger', 'log'), expected.vkey)
    expect(checkpoint.size).toBe(expected.size)
    expect(toHex(checkpoint.root)).toBe(expected.root)
    expect(entries.map((e: Uint8Array) => toBase64(e))).toEqual(expected.entries)
  })

  it('opens the frozen ledger, serves its entries and proofs, and appends to it', async () => {
    const dir = join(tmp(), 'l')
    cpSync(join(fixture, 'ledger'), dir, { recursive: true })
    const ledger = await Ledger.open(dir, { indexer: indexEntry })
    try {
      expect(ledger.size).toBe(expected.size)
      expect(ledger.checkpoint()).toBe(expected.checkpoint)
      const bytes: string[] = []
      for await (const e of ledger.entries()) bytes.push(toBase64(e.bytes))
      expect(bytes).toEqual(expected.entries)
      const { checkpoint } = openCheckpoint(ledger.checkpoint(), verifierFromKey(expected.vkey))
      const p = await ledger.proveInclusion(270)
      verifyInclusion(270, expected.size, fromHex(p.leafHash), p.proof.map(fromHex), checkpoint.root)
      expect((await ledger.getById('acc-2026-000466'))?.entry.index).toBe(299)
      const events = fixtureEvents() as { id: string }[]
      // The same event again is a repeat, answered from the index; a new one goes on at 300.
      expect((await ledger.append(events[299] as object)).index).toBe(299)
      expect((await ledger.append({ ...(events[299] as object), id: 'acc-after-freeze' })).index).toBe(expected.size)
    } finally {
      await ledger.close()
    }
  })

  it('rebuilds its indexes from the log when they are lost', async () => {
    const dir = join(tmp(), 'l')
    cpSync(join(fixture, 'ledger'), dir, { recursive: true })
    rmSync(indexPath(dir), { recursive: true })
    const ledger = await Ledger.open(dir, { indexer: indexEntry })
    try {
      expect((await ledger.getById('org-0001'))?.entry.index).toBe(0)
      const rows = await queryAccesses(ledger.store, { resource: 'res.police.household' })
      expect(rows.length).toBe(269)
    } finally {
      await ledger.close()
    }
    expect(logPath(dir)).toBe(join(dir, 'log'))
  })
})
