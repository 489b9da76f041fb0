/** Ids and posting keys come back exactly as written, a leading U+FEFF included. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { LevelStore } from '@liuhen/store-level'

it('keeps a leading U+FEFF of ids and posting keys', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'liuhen-store-bom-'))
  const store = new LevelStore(join(dir, 'db'), { sync: false })
  await store.open()
  try {
    const id = '\ufeffev-1'
    await store.writeCommit({
      entries: [{ index: 0, bytes: new Uint8Array([0xc0]) }],
      ids: [{ id, index: 0, hash: new Uint8Array(32) }],
      tiles: [],
      postings: [{ name: 'person', key: '\ufeffp-1', entry: 0 }],
      head: { size: 1, root: new Uint8Array(32), time: 1, frontier: [] },
    })
    const ids = []
    for await (const r of store.readIdIndexAll()) ids.push(r.id)
    expect(ids).toEqual([id])
    const keys = []
    for await (const p of store.readPostings('person', '\ufeffp-1')) keys.push(p.key)
    expect(keys).toEqual(['\ufeffp-1'])
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
