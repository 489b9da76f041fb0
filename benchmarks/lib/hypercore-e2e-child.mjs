/**
 * hypercore's side of benchmarks/cli-e2e.mjs, one whole process per step, as a user of it would
 * write one: `append <dir> <file>` appends the file's lines (each line's bytes, as it is) in
 * batches of 1000 and closes; `read <dir>` opens the core, reads every block back through its
 * read stream, parses each as JSON, and prints the count.
 */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { loadHypercore } from './hypercore.mjs'

const [step, dir, file] = process.argv.slice(2)
const { Hypercore } = loadHypercore()
const core = new Hypercore(dir)
await core.ready()
if (step === 'append') {
  let batch = []
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line.length === 0) continue
    batch.push(Buffer.from(line))
    if (batch.length === 1000) {
      await core.append(batch)
      batch = []
    }
  }
  if (batch.length > 0) await core.append(batch)
  process.stdout.write(`${core.length}\n`)
} else if (step === 'read') {
  let n = 0
  for await (const block of core.createReadStream({ start: 0, end: core.length })) {
    JSON.parse(block)
    n++
  }
  process.stdout.write(`${n}\n`)
} else throw new Error('usage: hypercore-e2e-child.mjs append <dir> <file> | read <dir>')
await core.close()
