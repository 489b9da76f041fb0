/**
 * The append path enforces the limits of core's limits.ts before anything of a batch is written,
 * naming the event's position and path, and its messages never echo raw input.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_ENTRY_BYTES, MAX_EVENT_DEPTH, MemoryStore, decodeEntry, scanEntry, type Event } from '@liuhen/core'
import { Ledger } from '@liuhen/ledger'

/** A valid `access.performed` event of the contract, deterministic in `i`. */
function sampleEvent(i: number): Event {
  const digest = (salt: string): string => `${salt}${i}`.padEnd(64, '0').replace(/[^0-9a-f]/g, 'a')
  return {
    id: `ev-${i}`,
    type: 'access.performed',
    at: '2026-03-02T09:15:04+08:00',
    actor: { dept: 'district.civil-affairs', person: `p-${i}` },
    data: { resource: 'res.a', items: ['address'], rows: 1, purpose: 'check', recordDigests: [digest('r')], resultDigest: digest('q'), storage: 'none', outcome: 'success' },
  }
}

const open: Ledger[] = []
afterEach(async () => {
  for (const l of open.splice(0)) await l.close()
})

async function memoryLedger(validate?: false): Promise<Ledger> {
  const ledger = await Ledger.create(new MemoryStore(), { origin: 'ledger.test.example/limits', ...(validate === false ? { validate } : {}) })
  open.push(ledger)
  return ledger
}

/** `levels` objects nested under `x` keys, built without recursion. */
function nested(levels: number): Record<string, unknown> {
  const top: Record<string, unknown> = {}
  let cur = top
  for (let i = 1; i < levels; i++) cur = cur['x'] = {} as Record<string, unknown>
  return top
}

const hasControl = (s: string): boolean => [...s].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f')

const withData = (i: number, extra: Record<string, unknown>): Event => ({ ...sampleEvent(i), data: { ...sampleEvent(i).data, ...extra } }) as Event

describe('appendBatch limits', () => {
  it('refuses a 10,000-deep event with INPUT_INVALID naming position and path; nothing is written', async () => {
    const ledger = await memoryLedger()
    const batch = [sampleEvent(0), withData(1, { deep: nested(10_000) })]
    const err = await ledger.appendBatch(batch).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'INPUT_INVALID', details: { position: 1 } })
    expect(String((err as { details: { path: string } }).details.path)).toMatch(/^data\.deep(\.x)+$/)
    expect((err as Error).message).toMatch(/^event 1 \(id ev-1\): nesting deeper than 32 at data\.deep\.x/)
    expect(ledger.size).toBe(0)
  })

  it('accepts an event nested MAX_EVENT_DEPTH deep, and its entry reads back', async () => {
    const ledger = await memoryLedger()
    // The event and its `data` are two levels.
    await ledger.append(withData(0, { deep: nested(MAX_EVENT_DEPTH - 2) }))
    const { bytes } = (await ledger.get(0))!
    expect(decodeEntry(bytes).event.data['deep']).toEqual(nested(MAX_EVENT_DEPTH - 2))
    expect(scanEntry(bytes).id).toBe('ev-0')
    await expect(ledger.append(withData(1, { deep: nested(MAX_EVENT_DEPTH - 1) }))).rejects.toMatchObject({ code: 'INPUT_INVALID' })
  })

  it('refuses an event whose entry would not fit 65,535 bytes though its JSON is under 64 KiB', async () => {
    const ledger = await memoryLedger()
    // A float takes 4 bytes of JSON here and 9 of MessagePack.
    const floats = withData(1, { readings: Array.from({ length: 7300 }, () => 1.5) })
    expect(JSON.stringify(floats).length).toBeLessThan(64 * 1024)
    const err = await ledger.appendBatch([sampleEvent(0), floats]).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'INPUT_TOO_LARGE', details: { position: 1, path: '(event)', limit: MAX_ENTRY_BYTES } })
    expect(ledger.size).toBe(0)
  })

  it('counts the resolved references into the entry size', async () => {
    const ledger = await memoryLedger()
    // Near the limit, then many references: each resolved one adds an index and a 32-byte hash.
    const ids = Array.from({ length: 200 }, (_, i) => `r${i}`)
    const near = withData(1, { pad: 'p'.repeat(MAX_ENTRY_BYTES - 600 - 200 * 4) })
    expect((await ledger.appendBatch([near]).catch((e: unknown) => e)) as unknown).not.toBeInstanceOf(Error)
    const refs = { ...near, id: 'ev-2', refs: { grant: 'g', version: ids } } as unknown as Event
    await expect(ledger.append(refs)).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE', details: { position: 0 } })
    expect(ledger.size).toBe(1)
  })

  it('escapes and truncates ids in its messages', async () => {
    // The contract refuses such ids; a ledger of another contract (envelope only) takes them.
    const ledger = await memoryLedger(false)
    const hostile = '\u001b[2J\u001b]0;owned\u0007acc'
    const event = { ...sampleEvent(0), id: hostile }
    await ledger.append(event)
    const err = (await ledger.append({ ...event, data: { ...event.data, rows: 99 } }).catch((e: unknown) => e)) as Error & { code: string }
    expect(err.code).toBe('INPUT_ID_CONFLICT')
    expect(err.message).toContain('\\u001b[2J\\u001b]0;owned\\u0007acc')
    expect(hasControl(err.message)).toBe(false)
    const long = await ledger.append({ ...sampleEvent(1), id: 'i'.repeat(100_000) }).catch((e: unknown) => e)
    expect((long as Error).message.length).toBeLessThan(300)
    const badRef = await ledger.append({ ...sampleEvent(2), refs: { ['\u001b[31m' + 'k'.repeat(100_000)]: 7 } } as unknown as Event).catch((e: unknown) => e)
    expect(badRef).toMatchObject({ code: 'INPUT_INVALID' })
    expect((badRef as Error).message.length).toBeLessThan(300)
    expect(hasControl((badRef as Error).message)).toBe(false)
  })
})
