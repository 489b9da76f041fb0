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
    expect(two.witnesses).toEqual({ valid: 2, quorum: 2, names: ['witness.one.example', 'witness.two.example'] })
    const three = await auditLog(s, { key: log.vkey, witnesses })
    expect(three.failures).toMatchObject([{ code: 'AUDIT_WITNESS_QUORUM', expected: '3', actual: '2' }])
    expect((await auditIncremental(s, { key: log.vkey, checkpoints: [], witnesses, quorum: 3 })).failures).toMatchObject([{ code: 'AUDIT_WITNESS_QUORUM' }])
  })
})
