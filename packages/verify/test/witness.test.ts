import { cosignerFromKey, generateCosignerKey, verifyCosignatures, verifierFromKey } from '@liuhen/core'
import { describe, expect, it } from 'vitest'
import { auditIncremental, auditLog, consistencyProofFromStore, witnessCheckpoint, type WitnessState } from '../src/index.js'
import { ORIGIN, OpenStore, buildLog } from './support/log.js'

const W1 = generateCosignerKey('witness.one.example')
const W2 = generateCosignerKey('witness.two.example')
const W3 = generateCosignerKey('witness.three.example')

describe('witnessCheckpoint', () => {
  it('cosigns a growing log and refuses rollback, fork and bad proofs', async () => {
    const log = await buildLog(100)
    const cosigner = cosignerFromKey(W1.skey)
    let state: WitnessState = { origin: ORIGIN, vkey: log.vkey }
    const first = witnessCheckpoint(state, log.notes.get(35)!, [], cosigner, 1_800_000_000)
    expect(verifyCosignatures(first.cosigned, [verifierFromKey(W1.vkey)])).toEqual([{ name: 'witness.one.example', keyId: expect.any(Number), timestamp: 1_800_000_000 }])
    state = first.state
    const proof = await consistencyProofFromStore(log.store, 35, 100)
    const second = witnessCheckpoint(state, log.notes.get(100)!, proof, cosigner, 1_800_000_060)
    expect(second.state.last).toBe(log.notes.get(100))
    // same size again: fine with an empty proof
    witnessCheckpoint(second.state, log.notes.get(100)!, [], cosigner, 1_800_000_061)
    expect(() => witnessCheckpoint(second.state, log.notes.get(35)!, [], cosigner, 1)).toThrow(expect.objectContaining({ code: 'WITNESS_ROLLBACK' }))
    const fork = await buildLog(100, { refOf: () => undefined })
    expect(() => witnessCheckpoint(second.state, fork.notes.get(100)!, [], cosigner, 1)).toThrow(expect.objectContaining({ code: 'WITNESS_FORK' }))
    const forkProof = await consistencyProofFromStore(fork.store, 35, 100)
    expect(() => witnessCheckpoint(first.state, fork.notes.get(100)!, forkProof, cosigner, 1)).toThrow(expect.objectContaining({ code: 'WITNESS_PROOF_INVALID' }))
    expect(() => witnessCheckpoint(first.state, log.notes.get(100)!, proof.slice(1), cosigner, 1)).toThrow(expect.objectContaining({ code: 'WITNESS_PROOF_INVALID' }))
    expect(() => witnessCheckpoint({ origin: ORIGIN, vkey: log.vkey }, log.notes.get(100)!, proof, cosigner, 1)).toThrow(expect.objectContaining({ code: 'WITNESS_PROOF_INVALID' }))
    expect(() => witnessCheckpoint(state, log.notes.get(100)!.replace('\n100\n', '\n101\n'), proof, cosigner, 1)).toThrow(expect.objectContaining({ code: 'NOTE_UNVERIFIED' }))
    expect(() => witnessCheckpoint({ ...state, origin: 'other' }, log.notes.get(100)!, proof, cosigner, 1)).toThrow(expect.objectContaining({ code: 'CHECKPOINT_ORIGIN_MISMATCH' }))
  })

  it('auditLog and auditIncremental enforce a witness quorum on the latest checkpoint', async () => {
    const log = await buildLog(50)
    const s = await OpenStore.from(log.store)
    let note = s.checkpoints.get(50)!
    for (const w of [W1, W2]) note = witnessCheckpoint({ origin: ORIGIN, vkey: log.vkey }, note, [], cosignerFromKey(w.skey), 1_800_000_000).cosigned
    s.checkpoints.set(50, note)
    const witnesses = [W1.vkey, W2.vkey, W3.vkey]
    const two = await auditLog(s, { key: log.vkey, witnesses, quorum: 2 })
    expect(two.failures).toEqual([])
    // 1_800_000_000 is 2027-01-15T08:00:00Z: the time prints in the ledger's zone.
    expect(two.witnesses).toEqual({ valid: 2, quorum: 2, names: ['witness.one.example', 'witness.two.example'], size: 50, beyond: 0, cosignedAt: '2027-01-15T16:00:00+08:00' })
    const three = await auditLog(s, { key: log.vkey, witnesses })
    expect(three.failures).toMatchObject([{ code: 'AUDIT_WITNESS_QUORUM', expected: '3', actual: '2' }])
    expect((await auditIncremental(s, { key: log.vkey, checkpoints: [], witnesses, quorum: 3 })).failures).toMatchObject([{ code: 'AUDIT_WITNESS_QUORUM' }])
  })

  it('checks the largest checkpoint a quorum cosigned, and counts the entries beyond it', async () => {
    const log = await buildLog(50)
    const s = await OpenStore.from(log.store)
    expect(s.checkpoints.has(35)).toBe(true)
    const cosign = (note: string, at: number): string => witnessCheckpoint({ origin: ORIGIN, vkey: log.vkey }, note, [], cosignerFromKey(W1.skey), at).cosigned
    s.checkpoints.set(21, cosign(s.checkpoints.get(21)!, 1_800_000_000))
    s.checkpoints.set(35, cosign(s.checkpoints.get(35)!, 1_800_000_060))
    // The latest checkpoint (50) has no cosignature: the log grew after the witness saw it.
    const options = { key: log.vkey, witnesses: [W1.vkey], quorum: 1 }
    for (const report of [await auditLog(s, options), await auditIncremental(s, { ...options, checkpoints: [] })]) {
      expect(report.failures).toEqual([])
      expect(report.witnesses).toEqual({ valid: 1, quorum: 1, names: ['witness.one.example'], size: 35, beyond: 15, cosignedAt: '2027-01-15T16:01:00+08:00' })
    }
    // A cosigned checkpoint of another history, signed with the log's own key, is caught.
    const fork = await buildLog(50, { refOf: () => undefined })
    s.checkpoints.set(35, cosign(fork.notes.get(35)!, 1_800_000_060))
    const inc = await auditIncremental(s, { ...options, checkpoints: [] })
    expect(inc.failures).toMatchObject([{ code: 'AUDIT_INCONSISTENT', kind: 'fork', size: 35 }])
    expect((await auditLog(s, options)).failures).toMatchObject([{ code: 'AUDIT_CHECKPOINT_ROOT', size: 35 }])
    // A cosignature of a listed witness that does not verify is reported, not passed over.
    s.checkpoints.set(35, cosign(log.notes.get(35)!, 1_800_000_060))
    const copied = cosign(log.notes.get(42)!, 1_800_000_100).trimEnd().split('\n').at(-1)!
    s.checkpoints.set(50, `${log.notes.get(50)!}${copied}\n`) // W1's signature of another checkpoint
    for (const report of [await auditLog(s, options), await auditIncremental(s, { ...options, checkpoints: [] })]) {
      expect(report.failures).toMatchObject([{ code: 'AUDIT_WITNESS_QUORUM', size: 50 }])
      expect(report.witnesses).toMatchObject({ size: 35, beyond: 15 })
    }
    s.checkpoints.set(50, log.notes.get(50)!)
    // No checkpoint with the quorum at all.
    s.checkpoints.set(21, log.notes.get(21)!)
    s.checkpoints.set(35, log.notes.get(35)!)
    const none = await auditLog(s, options)
    expect(none.failures).toMatchObject([{ code: 'AUDIT_WITNESS_QUORUM', expected: '1', actual: '0' }])
    expect(none.witnesses).toEqual({ valid: 0, quorum: 1, names: [] })
  })
})
