/**
 * The hostile-input property shared by accepted-events.test.ts (short) and
 * accepted-events.slow.test.ts (wide): random events, many at the limits of core's limits.ts
 * (deepest nesting, largest entry, longest ids, odd Unicode), are offered to the append path;
 * every one it accepts must be read back, verified, bundled, queried and rendered by every
 * command of the CLI, none of which may fail for it.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { expect } from 'vitest'
import { decodeEntry, fromBase64, listRefs, MAX_ENTRY_BYTES, MAX_EVENT_DEPTH, maxEntrySize, MemoryStore, parseStrictJson, encodeJsonCanonical, type Encodable, type Event } from '@liuhen/core'
import { Ledger } from '@liuhen/ledger'
import { jsonLines, liuhen, SAMPLE, tempDir, type Run } from './helpers.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const base = readFileSync(SAMPLE, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Event)
// Names of Object.prototype are another property's subject (names from events are data): keys
// here are anything else.
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype))

/** Text of any Unicode scalar values, odd ones often: astral, private use, RTL, combining, controls. */
const oddText = (maxLength: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: fc.constantFrom('\u0000', '\u001b', '\u202e', '\u0301', '\ufeff', '\uffff', '\ue000', '😀', '𠀀', '部', 'a', '"', '\\', '\u2028'), maxLength }),
  )
// Keys sort by UTF-16 code unit in the entry: the private-use and astral characters above are
// where that order differs from UTF-8's.
const oddKey = oddText(12).filter((k) => !INHERITED.has(k))

/** A JSON value nested at most `depth` objects and lists deep. */
function json(depth: number): fc.Arbitrary<Json> {
  const leaf: fc.Arbitrary<Json> = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0xffff_ffff, -0x8000_0001, 0.5, -1e-300, 2 ** 52 + 0.5),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }),
    oddText(40),
  )
  if (depth <= 0) return leaf
  const inner = json(depth - 1)
  return fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 1, arbitrary: fc.array(inner, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.dictionary(oddKey, inner, { maxKeys: 4 }) })
}

/** `levels` objects and lists nested in one another, alternating, built without recursion. */
function nested(levels: number, leaf: Json): Json {
  let v: Json = leaf
  for (let i = 0; i < levels; i++) v = i % 2 === 0 ? [v] : { '😀\ue000': v }
  return v
}

/** What to do to the sample log: extra fields on some events, and extra events at the limits. */
export interface Plan {
  extras: { at: number; key: string; value: Json }[]
  copies: { of: number; id: string; value: Json; pad: number; levels: number }[]
}

/** Plans of `size` extra fields and events (values nested up to `depth` by the generator). */
export function plans(size: number, depth: number): fc.Arbitrary<Plan> {
  const accesses = base.flatMap((e, i) => (e.type === 'access.performed' ? [i] : []))
  return fc.record({
    extras: fc.array(fc.record({ at: fc.nat(base.length - 1), key: oddKey, value: json(depth) }), { maxLength: size }),
    copies: fc.array(
      fc.record({
        of: fc.constantFrom(...accesses),
        // An id of the contract: 1 to 128 UTF-16 units, no control characters.
        // eslint-disable-next-line no-control-regex -- control characters are what an id may not hold
        id: fc.tuple(fc.constantFrom('', 'x-', '\ufeff'), oddText(60)).map(([p, s]) => `${p}${s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '')}`.slice(0, 120)),
        value: json(depth),
        pad: fc.oneof(fc.constant(0), fc.nat(MAX_ENTRY_BYTES), fc.constant(-1)),
        // How deep the event nests (2: no more than `data`); past MAX_EVENT_DEPTH it is refused.
        levels: fc.oneof(fc.constant(2), fc.integer({ min: 2, max: MAX_EVENT_DEPTH }), fc.integer({ min: MAX_EVENT_DEPTH - 1, max: 80 })),
      }),
      { maxLength: size },
    ),
  })
}

/** The events of `plan`: the sample with its extra fields, then the extra events. */
export function eventsOf(plan: Plan): Event[] {
  const events = base.map((e) => structuredClone(e))
  for (const x of plan.extras) (events[x.at] as Event).data[x.key] = x.value as never
  plan.copies.forEach((c, i) => {
    const e = structuredClone(base[c.of]) as Event
    e.id = `${c.id}-${i}`
    // The event and `data` are two levels; `nested` adds the rest around a leaf (or any value).
    e.data['extra'] = (c.levels > 2 ? nested(c.levels - 2, typeof c.value === 'object' ? 'leaf' : c.value) : c.value) as never
    // pad -1: as large as the entry limit allows; else a pad of that many characters.
    if (c.pad > 0) e.data['pad'] = 'p'.repeat(c.pad)
    if (c.pad === -1 && c.levels <= MAX_EVENT_DEPTH) e.data['pad'] = 'p'.repeat(Math.max(0, MAX_ENTRY_BYTES - 8 - maxEntrySize(encodeJsonCanonical(e as unknown as Encodable).length, listRefs(e))))
    events.push(e)
  })
  return events
}

/**
 * The JSON Lines of the events the append path accepts, each checked alone as `liuhen append`
 * checks it: strict JSON, then a ledger's `appendBatch` (envelope, limits, event contract).
 */
export async function acceptedLines(events: readonly Event[]): Promise<string[]> {
  const ledger = await Ledger.create(new MemoryStore(), { origin: 'accepted.example/test' })
  const lines: string[] = []
  try {
    for (const event of events) {
      const text = JSON.stringify(event)
      try {
        await ledger.append(parseStrictJson(text))
        lines.push(text)
      } catch (err) {
        // Refused input must be refused for a reason of its own, with a code.
        expect(err).toHaveProperty('code')
      }
    }
  } finally {
    await ledger.close()
  }
  return lines
}

function expectClean(r: Run, what: string, codes: number[] = [0]): void {
  expect(codes, `${what} exited ${r.code}: ${r.stderr}`).toContain(r.code)
  expect(r.stderr, what).not.toMatch(/RangeError|TypeError|ReferenceError|Maximum call stack|\n\s+at /)
}

/** Appends `lines` with the CLI and runs every command over the ledger; throws on any failure. */
export function checkEveryCommand(lines: readonly string[], chainIds: readonly string[]): void {
  const dir = join(tempDir(), 'ledger')
  const init = liuhen(['init', dir])
  expectClean(init, 'init')
  const vkey = init.stdout.trim().split('\n').pop() as string
  const file = join(dir, 'events.jsonl')
  writeFileSync(file, lines.join('\n') + '\n')
  expectClean(liuhen(['append', dir, file, '--batch', '7']), 'append')
  const submitted = lines.map((l) => JSON.parse(l) as Event)

  const verify = liuhen(['verify', dir])
  expectClean(verify, 'verify')
  expect(verify.stdout).toMatch(/Result: VALID/)
  // Read back exactly: the events as submitted (tail) and entries that decode to them (export).
  const tail = liuhen(['tail', dir])
  expectClean(tail, 'tail')
  expect(jsonLines(tail.stdout).map((l: { event: Event }) => l.event)).toEqual(submitted)
  const exported = liuhen(['export', dir])
  expectClean(exported, 'export')
  expect(jsonLines(exported.stdout).map((l: { entry: string }) => decodeEntry(fromBase64(l.entry)).event)).toEqual(submitted)

  // Findings exit 1 when there are findings; the sample plants some.
  for (const args of [['findings'], ['findings', '--json'], ['stats'], ['stats', '--json']]) expectClean(liuhen([...args, dir]), args.join(' '), [0, 1])
  for (const resource of new Set(submitted.filter((e) => e.type === 'access.performed').map((e) => String(e.data['resource'])))) {
    expectClean(liuhen(['query', dir, '--resource', resource]), 'query')
    expectClean(liuhen(['query', dir, '--resource', resource, '--json']), 'query --json')
  }
  for (const id of chainIds) {
    // A chain through the sample's planted anomalies (a ref to an event of the wrong type) fails.
    expectClean(liuhen(['chain', dir, id]), `chain ${id}`, [0, 1])
    expectClean(liuhen(['chain', dir, id, '--json']), `chain --json ${id}`, [0, 1])
    const out = join(dir, 'bundle.json')
    expectClean(liuhen(['bundle', dir, id, '-o', out]), `bundle ${id}`)
    expectClean(liuhen(['verify-bundle', out, '--key', vkey]), `verify-bundle ${id}`)
  }
}
