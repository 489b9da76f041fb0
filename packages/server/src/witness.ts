/**
 * `POST /v1/witness/add-checkpoint`: a witness of the ledger's own log behind the service,
 * following C2SP tlog-witness (https://c2sp.org/tlog-witness). The body is `old <size>`, the
 * consistency proof from that size (base64 lines), a blank line, and the new checkpoint; the
 * answer is the witness's cosignature line. The witness cosigns only a checkpoint signed by the
 * log's key and consistent with the last one it cosigned, whose size the client must name
 * (409 with that size otherwise). Its state is written durably before the cosignature is
 * released, and requests are taken one at a time, so the check of the old size and the save are
 * one step. The cosigned checkpoint is stored with the ledger, so `/checkpoint` carries it.
 */
import { fromBase64, isLedgerError, LedgerError, openCheckpoint, verifierFromKey, type NoteCosigner } from '@liuhen/core'
import type { Ledger } from '@liuhen/ledger'
import { witnessCheckpoint, type WitnessState } from '@liuhen/verify'
import { HttpError } from './http.js'
import { readWitnessState, writeWitnessState } from './witness-state.js'

/** Most proof lines tlog-witness allows. */
const MAX_PROOF_LINES = 63

/** The witness: its cosigner, its state file, and the ledger whose log it witnesses. */
export class WitnessEndpoint {
  #state: WitnessState
  #queue: Promise<unknown> = Promise.resolve()

  constructor(
    readonly cosigner: NoteCosigner,
    readonly stateFile: string,
    readonly ledger: Ledger,
  ) {
    this.#state = readWitnessState(stateFile, ledger.vkey)
  }

  /** Answers one add-checkpoint request body; requests run one after another. */
  addCheckpoint(body: string): Promise<string> {
    const run = this.#queue.then(() => this.#add(body))
    this.#queue = run.catch(() => undefined)
    return run
  }

  async #add(body: string): Promise<string> {
    const { oldSize, proof, note } = parseRequest(body)
    const verifier = verifierFromKey(this.ledger.vkey)
    let size: number
    try {
      const { checkpoint } = openCheckpoint(note, verifier)
      if (checkpoint.origin !== this.#state.origin) throw new HttpError(404, 'WITNESS_UNKNOWN_LOG', `this witness does not witness the log ${JSON.stringify(checkpoint.origin.slice(0, 100))}`)
      size = checkpoint.size
    } catch (err) {
      if (err instanceof HttpError) throw err
      const origin = /^([^\n]*)\n/.exec(note)?.[1]
      if (origin !== undefined && origin !== this.#state.origin) throw new HttpError(404, 'WITNESS_UNKNOWN_LOG', 'this witness does not witness that log')
      throw new HttpError(403, 'NOTE_UNVERIFIED', "the checkpoint is not signed by the log's key", { cause: isLedgerError(err) ? err.code : String(err) })
    }
    const last = this.#state.last === undefined ? 0 : openCheckpoint(this.#state.last, verifier).checkpoint.size
    if (oldSize > size) throw new HttpError(400, 'INPUT_INVALID', `old size ${oldSize} is past the checkpoint's size ${size}`)
    if (oldSize !== last) throw new HttpError(409, 'WITNESS_SIZE_MISMATCH', `the witness's last cosigned size is ${last}`, { size: last }, { 'content-type': 'text/x.tlog.size' }, `${last}\n`)
    let next: ReturnType<typeof witnessCheckpoint>
    try {
      next = witnessCheckpoint(this.#state, note, proof, this.cosigner, Math.floor(Date.now() / 1000))
    } catch (err) {
      if (!isLedgerError(err)) throw err
      const status = err.code === 'WITNESS_PROOF_INVALID' ? 422 : err.code === 'WITNESS_FORK' ? 409 : 400
      throw new HttpError(status, err.code, err.message)
    }
    await writeWitnessState(this.stateFile, next.state, size, new Date())
    this.#state = next.state
    // Kept with the ledger when it is the checkpoint the ledger publishes now (or one it signed).
    await this.ledger.addCosignatures(next.cosigned).catch((err: unknown) => {
      if (!isLedgerError(err, 'CHECKPOINT_MISMATCH')) throw err
    })
    return cosignatureLines(note, next.cosigned)
  }
}

/** The lines `cosigned` adds to `note`: the witness's signature lines. */
function cosignatureLines(note: string, cosigned: string): string {
  const had = new Set(note.split('\n'))
  return (
    cosigned
      .split('\n')
      .filter((l) => l !== '' && !had.has(l))
      .join('\n') + '\n'
  )
}

/** `old <size>`, up to 63 base64 proof lines, a blank line, the checkpoint; 400 otherwise. */
function parseRequest(body: string): { oldSize: number; proof: Uint8Array[]; note: string } {
  const blank = body.indexOf('\n\n')
  if (blank < 0) throw new HttpError(400, 'INPUT_INVALID', 'the body is not "old <size>", proof lines, a blank line and a checkpoint')
  const head = body.slice(0, blank).split('\n')
  const m = /^old (0|[1-9]\d{0,15})$/.exec(head[0] ?? '')
  if (!m) throw new HttpError(400, 'INPUT_INVALID', 'the body does not start with "old <size>"')
  const lines = head.slice(1)
  if (lines.length > MAX_PROOF_LINES) throw new HttpError(400, 'INPUT_INVALID', `more than ${MAX_PROOF_LINES} proof lines`)
  let proof: Uint8Array[]
  try {
    proof = lines.map((l) => {
      const hash = fromBase64(l)
      if (hash.length !== 32) throw new LedgerError('INPUT_INVALID', 'not a 32-byte hash')
      return hash
    })
  } catch {
    throw new HttpError(400, 'INPUT_INVALID', 'a proof line is not a base64 32-byte hash')
  }
  return { oldSize: Number(m[1]), proof, note: body.slice(blank + 2) }
}
