/** Encodings of the store's values: the head and the meta record, in canonical MessagePack. */
import { decodeCanonical, encodeCanonical, LedgerError, type LedgerMeta, type TreeHead } from '@liuhen/core'

export function encodeHead(head: TreeHead): Uint8Array {
  return encodeCanonical({ size: head.size, root: head.root, time: head.time, frontier: head.frontier })
}

export function decodeHead(bytes: Uint8Array): TreeHead {
  const v = decodeCanonical(bytes) as Record<string, unknown>
  const { size, root, time, frontier } = v
  if (typeof size !== 'number' || typeof time !== 'number' || !(root instanceof Uint8Array) || !Array.isArray(frontier)) {
    throw new LedgerError('STORE_CORRUPT', 'head record is malformed')
  }
  return { size, root, time, frontier: frontier as Uint8Array[] }
}

export function encodeMeta(meta: LedgerMeta): Uint8Array {
  return encodeCanonical({ format: meta.format, origin: meta.origin, vkey: meta.vkey })
}

export function decodeMeta(bytes: Uint8Array): LedgerMeta {
  const v = decodeCanonical(bytes) as Record<string, unknown>
  const { format, origin, vkey } = v
  if (typeof format !== 'number' || typeof origin !== 'string' || typeof vkey !== 'string') {
    throw new LedgerError('STORE_CORRUPT', 'meta record is malformed')
  }
  return { format, origin, vkey }
}
