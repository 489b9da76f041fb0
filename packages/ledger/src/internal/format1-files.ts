/**
 * The files of a format-1 ledger directory that `migrate` reads (FORMAT.md, "Ledger directory"):
 * its signer key and its published checkpoint. The rules are files.ts' and published.ts' (a FIFO
 * in a file's place does not hang, a folder or a huge file is damage), kept here so that the
 * conversion reads format 1 the same way whatever the engine's own files become.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { LedgerError, openCheckpoint, signerFromKey, verifierFromKey, vkeyOfSignerKey, type Checkpoint, type NoteSigner } from '@liuhen/core'

/** Names inside a format-1 ledger directory. */
export const FORMAT1 = { store: 'db', signer: 'signer.key', published: 'checkpoint' } as const

/** Largest signer key file read (a key is one line of about 100 bytes). */
const MAX_KEY_FILE_BYTES = 64 * 1024
/** Largest published checkpoint file read: a note with many cosignatures is a few KiB. */
const MAX_PUBLISHED_BYTES = 1 << 20

/** The text of a small regular file, read without blocking; `errno` when it cannot be read. */
function readSmallFile(file: string, max: number): { text: string } | { errno: string; damage?: string } {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (err) {
    return { errno: (err as NodeJS.ErrnoException).code ?? String(err) }
  }
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) return { errno: 'EINVAL', damage: 'not a regular file' }
    if (stats.size > max) return { errno: 'EINVAL', damage: `${stats.size} bytes, over ${max}` }
    return { text: readFileSync(fd, 'utf8') }
  } catch (err) {
    return { errno: (err as NodeJS.ErrnoException).code ?? String(err) }
  } finally {
    closeSync(fd)
  }
}

/**
 * The signer of the ledger in `dir`, whose verifier key is `vkey`. `LEDGER_NO_SIGNER` when
 * `signer.key` is missing or cannot be read (naming the error number); `STORE_CORRUPT` when it
 * is damaged or another ledger's key.
 */
export function readSigner(dir: string, vkey: string): NoteSigner {
  const file = join(dir, FORMAT1.signer)
  const read = readSmallFile(file, MAX_KEY_FILE_BYTES)
  if ('errno' in read) {
    if (read.damage !== undefined) throw new LedgerError('STORE_CORRUPT', `${file} is damaged (${read.damage})`, { file: FORMAT1.signer })
    const why = read.errno === 'ENOENT' ? 'there is no signer.key' : `its signer.key cannot be read (${read.errno})`
    throw new LedgerError('LEDGER_NO_SIGNER', `the ledger at ${dir} cannot be converted: ${why}; the new log's first checkpoint is signed with it`, { errno: read.errno })
  }
  const skey = read.text.trim()
  try {
    const signer = signerFromKey(skey)
    if (vkeyOfSignerKey(skey) !== vkey) throw new LedgerError('KEY_MALFORMED', "the key is another ledger's")
    return signer
  } catch (cause) {
    throw new LedgerError('STORE_CORRUPT', `${file} is not the signer key of this ledger (${(cause as Error).message})`, { file: FORMAT1.signer }, { cause })
  }
}

/**
 * The checkpoint the ledger in `dir` published (its `checkpoint` file), opened with its key;
 * undefined when there is none. `STORE_CORRUPT` when the file is damaged or not signed by the
 * ledger's key, `STORE_OPEN_FAILED` when it cannot be read.
 */
export function readPublishedCheckpoint(dir: string, vkey: string): Checkpoint | undefined {
  const file = join(dir, FORMAT1.published)
  const read = readSmallFile(file, MAX_PUBLISHED_BYTES)
  if ('errno' in read) {
    if (read.errno === 'ENOENT') return undefined
    if (read.damage !== undefined) throw new LedgerError('STORE_CORRUPT', `${file} is damaged (${read.damage}): the ledger's published checkpoint`)
    throw new LedgerError('STORE_OPEN_FAILED', `cannot read ${file}: ${read.errno}`, { errno: read.errno })
  }
  try {
    return openCheckpoint(read.text, verifierFromKey(vkey)).checkpoint
  } catch (cause) {
    throw new LedgerError('STORE_CORRUPT', `${file} is not a checkpoint signed by the ledger's key`, {}, { cause })
  }
}
