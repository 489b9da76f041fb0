/**
 * The tlog-tiles reads of the service: `checkpoint` (the latest the ledger committed, never
 * cached) and `tile/…` (immutable: cached for a year), read from the ledger's `log/` folder with
 * no lock, only within a checkpoint the ledger published.
 */
import type { ServerResponse } from 'node:http'
import { parseTilePath } from '@liuhen/core'
import type { FileLogReader } from '@liuhen/store-files'

/** Cache header of tiles and bundles: a file of the log never changes once published. */
export const IMMUTABLE = 'public, max-age=31536000, immutable'

/**
 * Answers `path` (without its leading slash) when it is a tlog-tiles path: the checkpoint text
 * `checkpoint`, else the tile or bundle from `reader`, 404 when the published log does not hold
 * it. Returns false for any other path.
 */
export async function sendLogFile(path: string, checkpoint: () => string, reader: FileLogReader, res: ServerResponse, head: boolean): Promise<boolean> {
  if (path === 'checkpoint') {
    send(res, 200, Buffer.from(checkpoint(), 'utf8'), { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' }, head)
    return true
  }
  const tile = parseTilePath(path)
  if (!tile) return false
  const read = () => (tile.level === 'entries' ? reader.readEntryBundle(tile.index, tile.width) : reader.readTile(tile.level, tile.index, tile.width))
  // The reader serves within the checkpoint it last read: read the newer one when it falls short.
  let bytes = await read()
  if (!bytes) {
    await reader.readCheckpoint()
    bytes = await read()
  }
  if (!bytes) send(res, 404, Buffer.from('not found\n'), { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' }, head)
  else send(res, 200, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { 'content-type': 'application/octet-stream', 'cache-control': IMMUTABLE }, head)
  return true
}

function send(res: ServerResponse, status: number, body: Buffer, headers: Record<string, string>, head: boolean): void {
  res.writeHead(status, { ...headers, 'content-length': body.length })
  res.end(head ? undefined : body)
}
