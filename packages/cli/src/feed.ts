/**
 * Feeding a simulated workload through the public append path, batched as a platform service
 * would: one `appendBatch` (one durable commit) per batch.
 */
import type { Event } from '@liuhen/core'
import type { Ledger } from '@liuhen/ledger'

/** Events per batch when a simulation is fed to a ledger. */
export const SIM_BATCH = 1000

/**
 * Appends every event of `events` to `ledger` in batches of `batch`, reporting the running
 * count to `onProgress`. Resolves with the number of events appended.
 */
export async function feedEvents(ledger: Ledger, events: Iterable<Event>, onProgress: (done: number) => void, batch = SIM_BATCH): Promise<number> {
  let pending: Event[] = []
  let done = 0
  for (const event of events) {
    pending.push(event)
    if (pending.length < batch) continue
    await ledger.appendBatch(pending)
    done += pending.length
    pending = []
    onProgress(done)
  }
  if (pending.length > 0) {
    await ledger.appendBatch(pending)
    done += pending.length
    onProgress(done)
  }
  return done
}
