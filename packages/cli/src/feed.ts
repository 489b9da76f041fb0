/**
 * Feeding a simulated workload through the public append path, batched as a platform service
 * would: one `appendBatch` (one durable commit) per batch.
 */
import type { Event } from '@liuhen/core'
import type { Ledger } from '@liuhen/ledger'
import type { Simulation } from '@liuhen/sim'

/** Events per batch when a simulation is fed to a ledger. */
export const SIM_BATCH = 1000

/** What a feed did: events appended, and the time spent in `appendBatch` (not generating). */
export interface FeedResult {
  events: number
  appendMs: number
}

/**
 * Appends every event of `events` to `ledger` in batches of `batch`, reporting the running
 * count to `onProgress`.
 */
export async function feedEvents(ledger: Ledger, events: Iterable<Event>, onProgress: (done: number) => void, batch = SIM_BATCH): Promise<FeedResult> {
  let pending: Event[] = []
  const result: FeedResult = { events: 0, appendMs: 0 }
  const flush = async (): Promise<void> => {
    const t0 = performance.now()
    await ledger.appendBatch(pending)
    result.appendMs += performance.now() - t0
    result.events += pending.length
    pending = []
    onProgress(result.events)
  }
  for (const event of events) {
    pending.push(event)
    if (pending.length >= batch) await flush()
  }
  if (pending.length > 0) await flush()
  return result
}

/** Passes `events` through, adding each event's `data.resource` to `resources` on the way. */
export function* noteResources(events: Iterable<Event>, resources: Set<string>): Generator<Event> {
  for (const event of events) {
    const r = event.data['resource']
    if (typeof r === 'string') resources.add(r)
    yield event
  }
}

/**
 * The record keys (hex) of `resources`, sorted by resource: the `resource-keys.json` written
 * beside a simulated ledger, which `query --record-key` reads.
 */
export function resourceKeys(sim: Pick<Simulation, 'resourceKey'>, resources: Iterable<string>): Record<string, string> {
  return Object.fromEntries([...resources].sort().map((r) => [r, Buffer.from(sim.resourceKey(r)).toString('hex')]))
}
