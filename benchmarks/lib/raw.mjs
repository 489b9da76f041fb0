/**
 * The ceiling: the same libraries Liuhen uses with no ledger logic. Each event is packed with
 * msgpackr, its leaf hash is SHA-256(0x00 ‖ bytes) (node:crypto, the fastest SHA-256 at hand), and
 * a commit is one chained LevelDB batch of the entries, written with fsync like Liuhen's durable path.
 *
 * With `ledgerKeys`, each event also writes the keys Liuhen writes for it, built the simplest
 * way: its id record (id → index and leaf hash) and the postings of an access (dept, person,
 * resource, each record digest and the grant, under `value|time`), with no schema, no
 * canonical form and no tree: the physical limit of the ledger's storage layout on this stack.
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

const utf8 = (s) => Buffer.from(s, 'utf8')

/** The id record and postings of an access event, as LevelDB keys and values (FORMAT.md's shapes). */
function ledgerKeys(e, index, hash) {
  const at = e.at
  const idx = key(index).subarray(1)
  const posting = (name, value) => Buffer.concat([utf8(`x${name}\0${value}|${at}\0`), idx])
  const ops = [[utf8(`i${e.id}`), Buffer.concat([idx, hash])]]
  ops.push([posting('dept', e.actor.dept), EMPTY], [posting('person', e.actor.person), EMPTY], [posting('resource', e.data.resource), EMPTY])
  for (const d of e.data.recordDigests ?? []) ops.push([posting('record', d), EMPTY])
  if (e.refs?.grant) ops.push([Buffer.concat([utf8(`xref\0${e.refs.grant}\0`), idx]), EMPTY])
  return ops
}

const EMPTY = new Uint8Array(0)

export async function openRaw(dir, { sync = true, ledgerKeys: withKeys = false } = {}) {
  const db = new Level(join(dir, 'raw'), { keyEncoding: 'view', valueEncoding: 'view' })
  await db.open()
  let size = 0
  const appendBatch = async (events) => {
    const batch = db.batch()
    for (const e of events) {
      const bytes = packr.pack(e)
      const hash = leafHash(bytes)
      if (withKeys) for (const [k, v] of ledgerKeys(e, size, hash)) batch.put(k, v)
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
