// Times validation of sample access events. Run after `npx tsc -b packages/schema`:
//   node packages/schema/scripts/throughput.mjs [count]
import { createHash } from 'node:crypto'
import { assertEventBatch, validateEvent } from '../dist/index.js'

const count = Number(process.argv[2] ?? 100_000)
const hex = (s) => createHash('sha256').update(s).digest('hex')
const events = Array.from({ length: count }, (_, i) => ({
  id: `acc-2026-${String(i).padStart(7, '0')}`,
  type: 'access.performed',
  at: `2026-03-02T09:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}+08:00`,
  actor: { dept: 'district.civil-affairs', person: `p-${1000 + (i % 500)}`, role: 'caseworker' },
  refs: { grant: 'grant-0077', version: 'res-0001' },
  data: {
    resource: 'res.police.household',
    items: ['name', 'address'],
    rows: 1 + (i % 3),
    purpose: 'dibao-check',
    case: `DB-2026-${i % 10_000}`,
    storage: 'none',
    outcome: 'success',
    recordDigests: [hex(`r${i}`), hex(`s${i}`)],
    resultDigest: hex(`q${i}`),
  },
}))

function time(label, fn) {
  for (let i = 0; i < 3; i++) fn() // warm-up
  const start = process.hrtime.bigint()
  fn()
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  console.log(`${label}: ${count} events in ${ms.toFixed(0)} ms = ${Math.round((count / ms) * 1000).toLocaleString('en')} events/s`)
}

time('validateEvent', () => {
  for (const e of events) if (validateEvent(e) !== undefined) throw new Error(`invalid ${e.id}`)
})
time('assertEventBatch (size measured + schema)', () => assertEventBatch(events))
const sizes = events.map((e) => Buffer.byteLength(JSON.stringify(e)))
time('assertEventBatch (sizes given + schema)', () => assertEventBatch(events, { sizes }))
console.log(`node ${process.version}, ${process.platform} ${process.arch}`)
