// A lock-free reader of a format-2 log (tiledReaderOf) audited while a writer appends: every
// answer of one audit comes from one checkpoint. `liuhen verify --incremental` reads the head
// (for its progress bar) before the audit; a commit published between that read and the audit's
// own reads must not be reported as a head that is not the latest checkpoint.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Ledger, tiledReaderOf } from '@liuhen/ledger'
import { auditIncremental, auditLog } from '@liuhen/verify'

const ORIGIN = 'snapshot.test.example/log'

const events = (from: number, n: number): unknown[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `org-${from + i}`,
    type: 'org.registered',
    at: '2026-03-01T09:00:00+08:00',
    actor: { dept: 'district.data-bureau' },
    data: { org: `community.c${from + i}`, name: `社区 ${from + i}`, level: 'community', parent: 'street.lianhua' },
  }))

describe('a format-2 reader audited while the writer commits', () => {
  it('incremental: a commit between the head read and the audit is no head mismatch', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-snapshot-')), 'ledger')
    const writer = await Ledger.create(dir, { origin: ORIGIN })
    try {
      await writer.appendBatch(events(0, 300))
      const held = writer.checkpoint()
      const reader = tiledReaderOf(dir)
      expect((await reader.readHead())?.size).toBe(300) // what the CLI reads before the audit
      await writer.appendBatch(events(300, 50)) // another process's commit, meanwhile
      const incremental = await auditIncremental(reader, { key: writer.vkey, checkpoints: [held] })
      expect(incremental.failures).toEqual([])
      expect(incremental).toMatchObject({ ok: true, size: 350 })
      const full = await auditLog(tiledReaderOf(dir), { key: writer.vkey, checkpoints: [held], ids: false })
      expect(full).toMatchObject({ ok: true, size: 350, failures: [] })
    } finally {
      await writer.close()
    }
  })
})
