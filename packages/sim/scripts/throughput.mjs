// Generation throughput: node packages/sim/scripts/throughput.mjs [accessScale] [days]
// (after `npx tsc -b packages/sim`). Counts events and JSON bytes; no I/O besides the report.
import { simulate } from '../dist/index.js'

const accessScale = Number(process.argv[2] ?? 0.01)
const days = Number(process.argv[3] ?? 30)
const t0 = performance.now()
let n = 0
let bytes = 0
let accesses = 0
let accessBytes = 0
for (const e of simulate({ seed: 1, days, accessScale })) {
  const size = JSON.stringify(e).length
  n++
  bytes += size
  if (e.type === 'access.performed') {
    accesses++
    accessBytes += size
  }
}
const s = (performance.now() - t0) / 1000
console.log(
  `accessScale ${accessScale}, ${days} days: ${n} events in ${s.toFixed(2)} s = ${Math.round(n / s)} events/s; ` +
    `${(bytes / 1e6).toFixed(1)} MB JSON; access events ${accesses}, mean ${Math.round(accessBytes / Math.max(1, accesses))} B`,
)
