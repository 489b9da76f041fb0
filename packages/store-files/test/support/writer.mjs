/**
 * A writer process for the crash tests (runs the built package): opens the file log at argv[2]
 * (creating it when new), appends `argv[5]` commits (default: until killed) of the entries
 * log-builder.mjs makes, and prints `acked <size>` on stdout once each commit has resolved.
 *
 * With KILL=<kind>:<n> in the environment it sends itself SIGKILL right before its n-th file
 * system call of that kind: `open` (a temporary file is created), `rename` (a file is moved into
 * place, the checkpoint last), `sync` (a folder is synced, after its renames). So a test can stop
 * a writer at every step of a commit, as a power cut or kill -9 would. PAUSE=<ms> waits that long
 * after each commit, so that a log read in a loop meanwhile stays small.
 */
import fs from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'

const [dir, skey, origin, limit] = process.argv.slice(2)
const [kind, nth] = (process.env.KILL ?? ':').split(':')
let calls = 0
const die = () => {
  if (++calls === Number(nth)) process.kill(process.pid, 'SIGKILL')
}
const { open, rename } = fs.promises
if (kind === 'rename') fs.promises.rename = (...args) => (die(), rename(...args))
if (kind === 'open' || kind === 'sync')
  fs.promises.open = (path, flags, ...rest) => {
    if ((kind === 'open' && flags === 'wx') || (kind === 'sync' && flags === 'r')) die()
    return open(path, flags, ...rest)
  }
syncBuiltinESMExports()

const { FileLogStore } = await import('@liuhen/store-files')
const { LogBuilder } = await import('../../../../test/conformance/log-builder.mjs')

/** Commit sizes, in turn: small and large, crossing bundle and level-1 tile boundaries. */
const COUNTS = [1, 7, 300, 2, 45, 256, 13, 600, 1, 90]

const log = new FileLogStore(dir)
await log.open()
let published = await log.readCheckpoint()
if (!published) {
  await log.create({ format: 2, origin, vkey: 'unused' }, new LogBuilder(skey, origin).checkpoint(0))
  published = await log.readCheckpoint()
}
const builder = LogBuilder.resumed(skey, origin, published.size)
for (let n = 0; limit === undefined || n < Number(limit); n++) {
  await log.writeCommit(builder.commit(COUNTS[(published.size + n) % COUNTS.length]))
  fs.writeSync(1, `acked ${builder.size}\n`)
  if (process.env.PAUSE) await new Promise((resolve) => setTimeout(resolve, Number(process.env.PAUSE)))
}
await log.close()
