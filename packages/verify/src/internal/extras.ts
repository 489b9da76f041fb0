/**
 * Checks an audit runs after streaming the entries: stored tiles that should not exist, and ids
 * in the id index that name no entry (the witness quorum is witnessed.ts). Each streams what it
 * reads; none keeps more than one record at a time.
 */
import { HASH_SIZE, decodeEntry, tileWidthAt, type ReadableStore, type StoredTile } from '@liuhen/core'
import type { FailureCollector } from './collector.js'
import { tileFirstLeaf } from './tiles.js'

/** Reports tiles wider than the tree allows, or beyond it (short ones are found while streaming). */
export async function checkExtraTiles(source: ReadableStore, size: number, failures: FailureCollector, limit: number): Promise<void> {
  let seen = 0
  for await (const t of source.readTiles() as AsyncIterable<Partial<StoredTile>>) {
    if (++seen > limit) {
      failures.fail('AUDIT_STORE_ERROR', `the store lists more than ${limit} tiles; the rest were not read`)
      return
    }
    const { level, index, hashes } = t
    if (typeof level !== 'number' || typeof index !== 'number' || !(hashes instanceof Uint8Array)) {
      failures.fail('AUDIT_STORE_ERROR', 'the store listed a tile that is not a tile')
      continue
    }
    const want = tileWidthAt(size, level, index)
    const have = hashes.length / HASH_SIZE
    if (have > want) {
      const where = { index: Math.min(tileFirstLeaf(level, index), Number.MAX_SAFE_INTEGER) }
      failures.fail('AUDIT_NODE_MISMATCH', `tile ${level}/${index} holds ${have} hashes where a tree of ${size} has ${want}`, where, String(want), String(have))
    }
  }
}

/** Counts the id index, up to `atMost + 1`. */
export async function countIds(source: ReadableStore, atMost: number): Promise<number> {
  let count = 0
  for await (const _ of source.readIdIndexAll()) if (++count > atMost) break
  return count
}

/**
 * Reports ids of the id index that do not name the entry they map to. Called only when the
 * index holds more ids than entries mapped correctly while streaming, so a clean log reads the
 * index once (to count) and not twice. Reads at most `limit` records (a store may lie). */
export async function findExtraIds(source: ReadableStore, size: number, failures: FailureCollector, limit: number): Promise<void> {
  let seen = 0
  for await (const { id, index } of source.readIdIndexAll()) {
    if (++seen > limit) {
      failures.fail('AUDIT_STORE_ERROR', `the id index lists more than ${limit} ids; the rest were not read`)
      return
    }
    if (typeof index === 'number' && failures.isBad(index)) continue // already reported at that entry
    let holds: string | undefined
    if (typeof index === 'number' && index >= 0 && index < size) {
      const bytes = await source.readEntry(index)
      try {
        holds = bytes ? decodeEntry(bytes).event.id : undefined
      } catch {
        holds = undefined
      }
    }
    if (holds !== id) {
      const at = typeof index === 'number' && Number.isSafeInteger(index) && index >= 0 ? { index } : {}
      failures.fail(
        'AUDIT_ID_INDEX',
        `id index maps ${JSON.stringify(id)} to entry ${String(index)}, which ${holds === undefined ? 'is no valid entry' : `holds ${JSON.stringify(holds)}`}`,
        at,
        String(id),
        String(holds),
      )
    }
  }
}
