import { decodeEntry, encodeEntry, type StoredEntry, type TileId } from '@liuhen/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog, type AuditReport } from '../src/index.js'
import { OpenStore, buildLog, type TestLog } from './support/log.js'

/** OpenStore with the optional batch reads, which the audit prefers (chunks and their tiles). */
class BatchedStore extends OpenStore {
  chunks = 0
  async readEntriesChunk(from: number, to: number): Promise<StoredEntry[]> {
    this.chunks++
    const out: StoredEntry[] = []
    for (let index = Math.max(0, from); index < Math.min(to, this.entries.length); index++) {
      const bytes = this.entries[index]
      if (bytes) out.push({ index, bytes })
    }
    return out
  }
  async readTileMany(ids: readonly TileId[]): Promise<(Uint8Array | undefined)[]> {
    return ids.map((t) => this.tiles.get(`${t.level}/${t.index}`))
  }
}

const N = 600
let log: TestLog
beforeAll(async () => {
  log = await buildLog(N)
})

const codes = (r: AuditReport): string[] => r.failures.map((f) => `${f.code}@${f.index ?? `size ${f.size}`}`)
const flip = (b: Uint8Array): Uint8Array => {
  const out = Uint8Array.from(b)
  const at = Buffer.from(out).indexOf('civil')
  out[at] = (out[at] as number) ^ 0x20
  return out
}

const tamperings: [string, (s: OpenStore) => void][] = [
  ['clean', () => {}],
  ['flipped entries', (s) => ((s.entries[5] = flip(s.entries[5]!)), (s.entries[590] = flip(s.entries[590]!)))],
  ['deleted entries', (s) => ((s.entries[300] = undefined), (s.entries[599] = undefined))],
  ['a gap across chunks', (s) => s.entries.fill(undefined, 250, 530)],
  ['deleted and shifted', (s) => void s.entries.splice(300, 1)],
  ['swapped', (s) => ([s.entries[100], s.entries[200]] = [s.entries[200], s.entries[100]])],
  ['inserted', (s) => void s.entries.splice(300, 0, encodeEntry({ ...decodeEntry(s.entries[300]!), time: 1_700_000_300_500 }))],
  [
    'leaf hash rewritten',
    (s) =>
      s.tiles.set(
        '0/1',
        s.tile(0, 1).map((x, i) => (i === 5 * 32 ? x ^ 1 : x)),
      ),
  ],
  [
    'level-8 node rewritten',
    (s) =>
      s.tiles.set(
        '1/0',
        s.tile(1, 0).map((x, i) => (i === 32 ? x ^ 0x80 : x)),
      ),
  ],
  ['missing, short, extra tiles', (s) => (s.tiles.delete('0/0'), s.tiles.set('0/2', s.tile(0, 2).subarray(0, 320)), s.tiles.set('3/0', new Uint8Array(32)))],
]

describe('auditLog through batch reads and read-ahead', () => {
  for (const [name, tamper] of tamperings) {
    it(`finds the same failures as the single reads: ${name}`, async () => {
      const plain = await OpenStore.from(log.store)
      tamper(plain)
      const batched = Object.assign(new BatchedStore(), plain)
      for (const chunkSize of [7, 256]) {
        const want = await auditLog(plain, { key: log.vkey, chunkSize })
        const got = await auditLog(batched, { key: log.vkey, chunkSize })
        expect(codes(got)).toEqual(codes(want))
        expect({ ...got, durationMs: 0 }).toEqual({ ...want, durationMs: 0 })
      }
      expect(batched.chunks).toBeGreaterThan(0)
      if (name === 'clean') expect(codes(await auditLog(batched, { key: log.vkey }))).toEqual([])
    })
  }

  it('a read-ahead that fails is reported as a store error once it is needed', async () => {
    const s = Object.assign(new BatchedStore(), await OpenStore.from(log.store))
    s.readEntriesChunk = async (from: number) => {
      if (from >= 512) throw new Error('disk on fire')
      return BatchedStore.prototype.readEntriesChunk.call(s, from, from + 256)
    }
    const r = await auditLog(s, { key: log.vkey, chunkSize: 256 })
    expect(r.failures).toMatchObject([{ code: 'AUDIT_STORE_ERROR', index: 512 }])
  })
})
