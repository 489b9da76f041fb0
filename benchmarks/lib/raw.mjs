/**
 * The ceiling: the same libraries Liuhen uses with no ledger logic. Each event is packed with
 * msgpackr, its leaf hash is SHA-256(0x00 ‖ bytes) (node:crypto, the fastest SHA-256 at hand), and
 * a commit is one chained LevelDB batch of the entries, written with fsync like Liuhen's durable path.
 */
import { hash } from 'node:crypto'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { BENCH_DIR } from './measure.mjs'

const ROOT = join(BENCH_DIR, '..')

async function importFrom(pkg, specifier) {
  const require = createRequire(join(ROOT, 'packages', pkg, 'package.json'))
  return import(pathToFileURL(require.resolve(specifier)).href)
}

const { Level } = await importFrom('store-level', 'level')
const { Packr } = await importFrom('core', 'msgpackr')

const packr = new Packr({ useRecords: false, variableMapSize: true, mapsAsObjects: true })

function key(index) {
  const k = new Uint8Array(9)
  k[0] = 0x65
  new DataView(k.buffer).setBigUint64(1, BigInt(index))
  return k
}

function leafHash(bytes) {
  const input = new Uint8Array(bytes.length + 1)
  input.set(bytes, 1)
  return hash('sha256', input, 'buffer')
}

export async function openRaw(dir, { sync = true } = {}) {
  const db = new Level(join(dir, 'raw'), { keyEncoding: 'view', valueEncoding: 'view' })
  await db.open()
  let size = 0
  const appendBatch = async (events) => {
    const batch = db.batch()
    for (const e of events) {
      const bytes = packr.pack(e)
      leafHash(bytes)
      batch.put(key(size++), bytes)
    }
    await batch.write({ sync })
  }
  return {
    db,
    appendBatch,
    append: (event) => appendBatch([event]),
    /** Iterates every value and hashes it as a leaf. */
    async readVerify() {
      let n = 0
      for await (const bytes of db.values()) {
        leafHash(bytes)
        n++
      }
      return n
    },
    close: () => db.close(),
  }
}
