/** Loads the valid sample events of test/fixtures/valid-events.jsonl. */
import { readFileSync } from 'node:fs'

/** A sample event as plain JSON. */
export type Sample = { id: string; type: string; at: string; actor: Record<string, unknown>; refs?: Record<string, unknown>; data: Record<string, unknown> }

/** All samples, in file order (freshly parsed on each call, so tests may mutate them). */
export function loadSamples(): Sample[] {
  const text = readFileSync(new URL('./fixtures/valid-events.jsonl', import.meta.url), 'utf8')
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Sample)
}

/** The first sample of `type` (a fresh copy). */
export function sample(type: string): Sample {
  const found = loadSamples().find((e) => e.type === type)
  if (found === undefined) throw new Error(`no sample of ${type}`)
  return found
}
