/**
 * Deadline configuration: versioned data in `config/deadlines.json`, never constants in code.
 * Findings name the deadline and calendar versions they were computed with.
 */
import { readFileSync } from 'node:fs'
import { QueryError } from './error.js'

/** Deadlines in working days, and staleness allowances in hours. */
export interface DeadlinesConfig {
  /** Names this configuration, e.g. `cn-2025-08-01/1`; quoted in deadline findings. */
  version: string
  /** Working days for a reply, by the requested resource's sharing type at request time (`unknown` when no catalogue resolves). */
  reply: { unconditional: number; conditional: number; none: number; unknown: number }
  /** Working days to resolve a quality report. */
  quality: number
  /** Largest age (hours) of the latest `resource.updated` an access may see, by catalogue `updateCycle`. */
  staleHours: Record<string, number>
}

/**
 * Checks an untrusted deadline configuration (from JSON); throws `CONFIG_INVALID`.
 * @example parseDeadlines(JSON.parse(text))
 */
export function parseDeadlines(value: unknown): DeadlinesConfig {
  const bad = (why: string): never => {
    throw new QueryError('CONFIG_INVALID', `deadline configuration: ${why}`)
  }
  const count = (v: unknown, path: string): number => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : bad(`${path} is not a non-negative integer`))
  if (typeof value !== 'object' || value === null) return bad('not an object')
  const v = value as Record<string, unknown>
  if (typeof v['version'] !== 'string' || v['version'] === '') return bad('version missing')
  const reply = (v['reply'] ?? bad('reply missing')) as Record<string, unknown>
  const stale = (v['staleHours'] ?? {}) as Record<string, unknown>
  // Null prototype: `staleHours[updateCycle]` is looked up with a cycle read from an event.
  const staleHours: Record<string, number> = Object.create(null) as Record<string, number>
  for (const [k, h] of Object.entries(stale)) staleHours[k] = count(h, `staleHours.${k}`)
  return {
    version: v['version'],
    reply: {
      unconditional: count(reply['unconditional'], 'reply.unconditional'),
      conditional: count(reply['conditional'], 'reply.conditional'),
      none: count(reply['none'], 'reply.none'),
      unknown: count(reply['unknown'], 'reply.unknown'),
    },
    quality: count(v['quality'], 'quality'),
    staleHours,
  }
}

let cached: DeadlinesConfig | undefined

/** The shipped `config/deadlines.json` (read once, on first use). */
export function defaultDeadlines(): DeadlinesConfig {
  cached ??= parseDeadlines(JSON.parse(readFileSync(new URL('../config/deadlines.json', import.meta.url), 'utf8')))
  return cached
}
