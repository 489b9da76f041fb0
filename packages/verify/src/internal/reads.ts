/** Small reads of untrusted store answers, shared by the audits. */
import type { ReadableStore, TreeHead } from '@liuhen/core'

/** The head when it has the shape of one, else undefined. */
export function validHead(head: unknown): TreeHead | undefined {
  const h = head as Partial<TreeHead> | undefined
  if (!h || !Number.isSafeInteger(h.size) || (h.size as number) < 0) return undefined
  if (!(h.root instanceof Uint8Array) || !Array.isArray(h.frontier) || typeof h.time !== 'number') return undefined
  return h as TreeHead
}

/** Index of the first stored entry at or after `from`, or undefined. */
export async function firstEntryFrom(source: ReadableStore, from: number): Promise<number | undefined> {
  for await (const item of source.readEntries(from, Number.MAX_SAFE_INTEGER)) {
    const index: unknown = item?.index
    return typeof index === 'number' && index >= from ? index : undefined
  }
  return undefined
}
