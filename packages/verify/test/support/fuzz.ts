/**
 * Fuzz properties shared by the CI run (fuzz.test.ts, small) and the long run (fuzz.slow.test.ts):
 * parsers of untrusted input return or throw a LedgerError with a code; nothing else escapes.
 */
import { cosignerFromKey, decodeEntry, generateCosignerKey, isLedgerError, openCheckpoint, parseCheckpoint, parseNote, verifierFromKey, verifyCosignatures } from '@liuhen/core'
import fc from 'fast-check'
import { auditLog, createBundle, parseBundle, verifyBundle, witnessCheckpoint, type Bundle } from '../../src/index.js'
import { ORIGIN, OpenStore, buildLog, type TestLog } from './log.js'

/** Runs `fn`; a thrown error must be a LedgerError with a string code. */
export function coded(fn: () => unknown): void {
  try {
    fn()
  } catch (err) {
    if (!isLedgerError(err) || typeof err.code !== 'string' || err.code === '') throw err
  }
}

export interface FuzzWorld {
  log: TestLog
  bundle: Bundle
  bundleText: string
  note: string
  cosigned: string
  witness: string
}

export async function world(): Promise<FuzzWorld> {
  const log = await buildLog(40, { refOf: (i) => (i > 0 && i % 2 === 0 ? i / 2 : undefined) })
  const bundle = await createBundle(log.store, 'ev-36')
  const w = generateCosignerKey('witness.example')
  const note = log.notes.get(40) as string
  const cosigned = witnessCheckpoint({ origin: ORIGIN, vkey: log.vkey }, note, [], cosignerFromKey(w.skey), 1_800_000_000).cosigned
  return { log, bundle, bundleText: JSON.stringify(bundle), note, cosigned, witness: w.vkey }
}

/** Edits of a text: replace, insert or delete a few characters, or flip bits of its UTF-8. */
export function mutatedText(base: string): fc.Arbitrary<string> {
  const edit = fc.oneof(
    fc.record({ at: fc.nat(), kind: fc.constant('flip' as const), bit: fc.nat(7) }),
    fc.record({ at: fc.nat(), kind: fc.constant('insert' as const), text: fc.string({ maxLength: 4, unit: 'binary' }) }),
    fc.record({ at: fc.nat(), kind: fc.constant('delete' as const), len: fc.integer({ min: 1, max: 8 }) }),
  )
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let bytes = Buffer.from(base, 'utf8')
    for (const e of edits) {
      const at = e.at % Math.max(1, bytes.length)
      if (e.kind === 'flip') bytes[at] = (bytes[at] ?? 0) ^ (1 << e.bit)
      else if (e.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(e.text, 'utf8'), bytes.subarray(at)])
      else bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + e.len)])
    }
    return bytes.toString('utf8')
  })
}

/** Byte-level edits of binary input. */
export function mutatedBytes(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 6 }).chain((edits) =>
    fc.boolean().map((truncate) => {
      const out = Uint8Array.from(base)
      for (const [at, v] of edits) out[at % out.length] = v
      return truncate ? out.subarray(0, (edits[0]?.[0] ?? 0) % out.length) : out
    }),
  )
}

/** All fuzz properties, each run `runs` times. */
export function properties(w: FuzzWorld, runs: number): { name: string; run: () => void | Promise<void> }[] {
  const verifier = verifierFromKey(w.log.vkey)
  const witness = verifierFromKey(w.witness)
  const opts = { numRuns: runs }
  const anyText = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ maxLength: 300, unit: 'binary' }),
    fc.string({ maxLength: 300, unit: fc.constantFrom('a', '\n', ' ', '—', '+', '=', '0', '/', 'A') }),
  )
  return [
    {
      name: 'bundle: random text and JSON',
      run: () =>
        fc.assert(
          fc.property(
            fc.oneof(
              anyText,
              fc.jsonValue().map((v) => JSON.stringify(v)),
            ),
            (t) => coded(() => verifyBundle(t, { key: w.log.vkey })),
          ),
          opts,
        ),
    },
    {
      name: 'bundle: random values',
      run: () =>
        fc.assert(
          fc.property(fc.anything(), (v) => coded(() => verifyBundle(v, { key: w.log.vkey }))),
          opts,
        ),
    },
    {
      name: 'bundle: mutated text never verifies',
      run: () =>
        fc.assert(
          fc.property(mutatedText(w.bundleText), (t) => {
            let ok = false
            coded(() => (ok = verifyBundle(t, { key: w.log.vkey }).ok))
            // an edit may leave the JSON meaning intact only if it touched nothing but structure
            if (ok) return JSON.stringify(parseBundle(t)) === w.bundleText
            return true
          }),
          opts,
        ),
    },
    {
      name: 'bundle: fields replaced with anything',
      run: () =>
        fc.assert(
          fc.property(fc.constantFrom('format', 'vkey', 'checkpoint', 'entries', 'index', 'entry', 'proof'), fc.anything(), (field, value) => {
            const b = JSON.parse(w.bundleText) as { entries: Record<string, unknown>[] }
            if (field in b) (b as Record<string, unknown>)[field] = value
            else (b.entries[0] as Record<string, unknown>)[field] = value
            coded(() => verifyBundle(b, { key: w.log.vkey }))
          }),
          opts,
        ),
    },
    {
      name: 'note and checkpoint: random text',
      run: () =>
        fc.assert(
          fc.property(anyText, (t) => {
            coded(() => parseNote(t))
            coded(() => parseCheckpoint(t))
            coded(() => openCheckpoint(t, verifier))
          }),
          opts,
        ),
    },
    {
      name: 'note, checkpoint, cosignature: mutated signed notes',
      run: () =>
        fc.assert(
          fc.property(mutatedText(w.cosigned), (t) => {
            coded(() => openCheckpoint(t, verifier))
            coded(() => verifyCosignatures(t, [witness]))
            coded(() => witnessCheckpoint({ origin: ORIGIN, vkey: w.log.vkey }, t, [], cosignerFromKey(generateCosignerKey('w2').skey), 1))
          }),
          opts,
        ),
    },
    {
      name: 'entry: random bytes',
      run: () =>
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 400 }), (b) => coded(() => decodeEntry(b))),
          opts,
        ),
    },
    {
      name: 'entry: mutated entries',
      run: () =>
        fc.assert(
          fc.property(mutatedBytes(w.log.entries[36] as Uint8Array), (b) => coded(() => decodeEntry(b))),
          opts,
        ),
    },
    {
      name: 'audit: a lying store gives a report, never a throw or a hang',
      run: async () => {
        const base = await OpenStore.from(w.log.store)
        await fc.assert(
          fc.asyncProperty(fc.nat(39), mutatedBytes(w.log.entries[5] as Uint8Array), fc.nat(3), fc.uint8Array({ maxLength: 100 }), async (i, bytes, what, junk) => {
            const s = await OpenStore.from(base)
            if (what === 0) s.entries[i] = bytes
            else if (what === 1) s.tiles.set('0/0', junk)
            else if (what === 2) s.head = { size: i * 1000, root: junk, time: -1, frontier: [junk] }
            else s.checkpoints.set(i, Buffer.from(junk).toString('latin1'))
            const r = await auditLog(s, { key: w.log.vkey })
            return typeof r.ok === 'boolean'
          }),
          { numRuns: Math.max(10, Math.floor(runs / 10)) },
        )
      },
    },
  ]
}
