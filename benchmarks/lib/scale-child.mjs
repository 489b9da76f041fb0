/**
 * One scaling point, in its own process so its peak RSS is its own:
 * `node scale-child.mjs <events> <dir> [format]` prints one JSON line on stdout.
 * Appends durably in batches of 1000 (format 2 unless told), then measures proofs, reads and the
 * audit (format 2: lock-free, beside the open writer), closes, and times reopening as a writer.
 */
import { Ledger } from '@liuhen/ledger'
import { accessEvents } from '../support/events.mjs'
import { liuhenAdapter, openLiuhen, PLATFORM } from './liuhen.mjs'
import { diskBytes, percentile, removeDir, rssSampler, sampleIndices, timed } from './measure.mjs'
import { join } from 'node:path'

const n = Number(process.argv[2])
const dir = process.argv[3]
const format = Number(process.argv[4] ?? 2)
if (!Number.isSafeInteger(n) || n < 1 || !dir || (format !== 1 && format !== 2)) throw new Error('usage: scale-child.mjs <events> <dir> [1|2]')
const log = (s) => process.stderr.write(`    [${n}] ${s}\n`)
const rss = rssSampler()
const out = { events: n, format }

let a = await openLiuhen(dir, { format })
let appendMs = 0
for (let i = 0; i < n; i += 1000) {
  const events = accessEvents(i, Math.min(1000, n - i))
  appendMs += (await timed(() => a.appendBatch(events))).ms
  if (i % 100_000 === 0 && i > 0) log(`${i} appended`)
}
out.appendPerSec = (n / appendMs) * 1000
log(`append ${Math.round(out.appendPerSec)}/s`)

const latencies = []
for (const i of sampleIndices(n, 1000)) latencies.push((await timed(() => a.ledger.proveInclusion(i))).ms)
out.proofP50Ms = percentile(latencies, 0.5)
out.proofP99Ms = percentile(latencies, 0.99)

out.readVerifyPerSec = (n / (await timed(() => a.readVerify())).ms) * 1000
log(`read-verify ${Math.round(out.readVerifyPerSec)}/s`)
out.auditPerSec = (n / (await timed(() => a.audit())).ms) * 1000
log(`audit ${Math.round(out.auditPerSec)}/s`)
await a.close()

const location = join(dir, 'ledger')
const opened = await timed(() => Ledger.open(location, PLATFORM))
out.openMs = opened.ms
a = liuhenAdapter(opened.value, location)
if (a.ledger.size !== n) throw new Error(`reopened with ${a.ledger.size} entries, not ${n}`)
await a.close()

out.diskBytesPerEvent = (diskBytes(location) ?? NaN) / n
out.rssPeakSampled = rss.stop()
out.maxRssSelf = process.resourceUsage().maxRSS * 1024
removeDir(dir)
process.stdout.write(`${JSON.stringify(out)}\n`)
