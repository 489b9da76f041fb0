/** The start most file-log tests share: a log in a folder, opened and created at size 0. */
import { FileLogStore } from '../../src/index.js'
import { LogBuilder } from '../../../../test/conformance/log-builder.mjs'

/**
 * Opens a {@link FileLogStore} in `dir` and creates it (format 2, `origin`, `key`) with a signed
 * checkpoint of size 0; returns it open, with the builder of its commits.
 */
export async function createdLog(dir: string, key: { skey: string; vkey: string }, origin: string): Promise<{ store: FileLogStore; builder: LogBuilder }> {
  const store = new FileLogStore(dir)
  await store.open()
  const builder = new LogBuilder(key.skey, origin)
  await store.create({ format: 2, origin, vkey: key.vkey }, builder.checkpoint())
  return { store, builder }
}
