#!/usr/bin/env node
/**
 * Where a durable commit's wall time goes, format 2 (or 1 with `--format 1`): per commit, the
 * log's write (`FileLogStore.writeCommit`: files, folder syncs, checkpoint), the index batch
 * (`LevelIndexStore.writeBatch`), and the rest of the commit (the event contract, canonical
 * encoding, hashing, the tree, signing, on the main thread), with the fsyncs the log issues.
 *
 *   node benchmarks/profile-commit.mjs [--events N] [--format 2|1]
 *
 * Scenarios: batches of 1000, batches of 1, and 256 concurrent single appends.
 */
import { open } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { FileLogStore } from '@liuhen/store-files'
import { LevelIndexStore, LevelStore } from '@liuhen/store-level'
import { openLiuhen } from './lib/liuhen.mjs'
import { removeDir, scratch } from './lib/measure.mjs'
import { accessEvents } from './support/events.mjs'

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '20000' }, format: { type: 'string', default: '2' } } })
const events = Number(args.events)
const format = Number(args.format)

const spent = { log: 0, index: 0, level: 0, syncs: 0, syncMs: 0, commits: 0 }
/** Wraps `proto[name]` (async) so its wall time adds to `spent[key]`; `commits` counts the store's commits. */
function timeMethod(proto, name, key) {
  const real = proto[name]
  proto[name] = async function (...a) {
    if (key !== 'index') spent.commits++
    const t = performance.now()
    try {
      return await real.apply(this, a)
    } finally {
      spent[key] += performance.now() - t
    }
  }
}
timeMethod(FileLogStore.prototype, 'writeCommit', 'log')
timeMethod(LevelIndexStore.prototype, 'writeBatch', 'index')
timeMethod(LevelStore.prototype, 'writeCommit', 'level')
// Every fsync through a FileHandle (the log's files and folders; LevelDB syncs natively).
const probe = await open(import.meta.dirname)
const handleProto = Object.getPrototypeOf(probe)
await probe.close()
const realSync = handleProto.sync
handleProto.sync = async function () {
  const t = performance.now()
  try {
    return await realSync.call(this)
  } finally {
    spent.syncs++
    spent.syncMs += performance.now() - t
  }
}

async function scenario(title, run) {
  const dir = scratch('profile-commit')
  const a = await openLiuhen(dir, { format })
  await a.appendBatch(accessEvents(50_000_000, 10))
  for (const k of Object.keys(spent)) spent[k] = 0
  const t = performance.now()
  const appended = await run(a)
  const ms = performance.now() - t
  const commits = spent.commits
  await a.close()
  removeDir(dir)
  const per = (x) => (x / commits).toFixed(2)
  const store = format === 2 ? spent.log : spent.level
  console.log(
    `| ${title} | ${commits} | ${per(ms)} | ${per(store)} | ${format === 2 ? per(spent.index) : '–'} | ${per(ms - store - spent.index)} | ${per(spent.syncs)} | ${Math.round((appended / ms) * 1000)} |`,
  )
}

const all = accessEvents(0, events)
console.log(`format ${format}, ${events} events per scenario; ms per commit (wall)\n`)
console.log(
  `| scenario | commits | commit | ${format === 2 ? 'log files + checkpoint' : 'LevelDB batch'} | index batch | rest (CPU: contract, encoding, hashing, signing; checkpoint file for format 1) | fsyncs through file handles (log; LevelDB's own not counted) | events/s |`,
)
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |')
await scenario('batches of 1000', async (a) => {
  for (let i = 0; i < events; i += 1000) await a.appendBatch(all.slice(i, i + 1000))
  return events
})
const few = Math.min(events, 300)
await scenario(`batches of 1 (${few} events)`, async (a) => {
  for (let i = 0; i < few; i++) await a.append(all[i])
  return few
})
await scenario('256 concurrent single appends', async (a) => {
  for (let i = 0; i < events; i += 256) await Promise.all(all.slice(i, i + 256).map((e) => a.append(e)))
  return events
})
