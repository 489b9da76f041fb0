/**
 * `liuhen witness`: a witness (C2SP tlog-witness, https://c2sp.org/tlog-witness) that shares the
 * security risk of a log. It keeps, per log, the last checkpoint it cosigned in a state file;
 * it cosigns a newer checkpoint only when the log proves it extends that one, so a log that
 * rolls back or forks cannot get a cosignature for the other history.
 */
import { Command } from 'commander'
import { cosignerFromKey, generateCosignerKey, isLedgerError, keyTypeOf, openCheckpoint, SIG_TYPE_ED25519, verifierFromKey } from '@liuhen/core'
import { checkCosignedVersion } from '@liuhen/ledger'
import { readWitnessState, writeWitnessState } from '@liuhen/server'
import { consistencyProofFromStore, witnessCheckpoint } from '@liuhen/verify'
import { CliError, EXIT } from './exit.js'
import { jsonLine, line, readArgFile, readKeyArg } from './io.js'
import { oldOption, renamed, required, type OldSpelling } from './flags.js'
import { checkOrigin, writeKeyFile } from './keygen.js'
import { withStore } from './open.js'

function keygenSub(): Command {
  return new Command('keygen')
    .description('write a new witness key (cosignature/v1) to a file (mode 0600) and print its verifier key')
    .requiredOption('--name <name>', "the witness's name (e.g. witness.data-bureau.example/w1)")
    .requiredOption('--out <file>', 'file to write the private key to (never overwritten)')
    .action(async (opts: { name: string; out: string }) => {
      checkOrigin(opts.name)
      const { skey, vkey } = generateCosignerKey(opts.name)
      await writeKeyFile(opts.out, skey)
      await line(vkey)
    })
}

interface CosignOptions {
  signer?: string
  key?: string
  /** Old spelling of `key`. */
  logKey?: string
  state: string
  json?: boolean
}

/** `--log-key` was the log's verifier key, now `--key` as in every command. */
const OLD_LOG_KEY: OldSpelling = { flags: '--log-key <vkey>', meaning: "the log's verifier key", use: '--key' }
/** `--key` was the witness's own key file; a private key given as `--key` still means that. */
const OLD_KEY: OldSpelling = { flags: '--key <file>', meaning: "the witness's signer key file", use: '--signer' }

/**
 * The witness key file and the log's verifier key of the options. A `--key` that holds a private
 * key (`PRIVATE+KEY+…`, never a verifier key) is the old spelling of `--signer`.
 */
function cosignKeys(opts: CosignOptions): { signer: string; logKey: string } {
  let key = opts.key === undefined ? undefined : readKeyArg('key', opts.key)
  let signer = opts.signer
  if (key?.startsWith('PRIVATE+KEY+')) {
    signer = renamed(opts.signer, opts.key, OLD_KEY)
    key = undefined
  }
  const logKey = renamed(key, opts.logKey === undefined ? undefined : readKeyArg('log key', opts.logKey), OLD_LOG_KEY)
  return { signer: required(signer, '--signer <file>'), logKey: required(logKey, '--key <vkey>') }
}

/** The size of the checkpoint in `note` (already verified by the caller). */
const sizeOf = (note: string | undefined, vkey: string): number => (note === undefined ? 0 : openCheckpoint(note, verifierFromKey(vkey)).checkpoint.size)

function cosignSub(): Command {
  return new Command('cosign')
    .description("cosign the ledger's latest checkpoint if it extends the last one this witness cosigned; store it in the ledger")
    .argument('<dir>', 'ledger directory')
    .option('--signer <file>', 'the witness key file (from `liuhen witness keygen`); required')
    .option('--key <vkey>', "the log's verifier key (the text, or a file holding it); required")
    .requiredOption('--state <file>', "the witness's state file for this log (created on first use)")
    .option('--json', 'print the outcome as one JSON line')
    .addOption(oldOption(OLD_LOG_KEY))
    .addHelpText('after', '\nOld spellings still accepted, with a warning: --log-key (now --key), --key FILE holding the witness key (now --signer).')
    .action(async (dir: string, opts: CosignOptions) => {
      const keys = cosignKeys(opts)
      const cosigner = cosignerFromKey(readArgFile('witness key', keys.signer).trim())
      const logKey = keys.logKey
      if (keyTypeOf(logKey) !== SIG_TYPE_ED25519) throw new CliError(EXIT.USAGE, `--key ${logKey} is not a log (Ed25519) key`)
      const state = readWitnessState(opts.state, logKey)
      const oldSize = sizeOf(state.last, logKey)
      // The witness reads and writes the store only: it never needs the log's private key.
      const done = await withStore(
        dir,
        async (store) => {
          const latest = await store.readLatestCheckpoint()
          if (!latest) throw new CliError(EXIT.USAGE, `the ledger at ${dir} has no commit yet: nothing to cosign`)
          const note = latest.text
          let next: ReturnType<typeof witnessCheckpoint>
          try {
            const newSize = sizeOf(note, logKey)
            // The proof comes from the ledger's stored tiles; the witness trusts only its check.
            const proof = oldSize > 0 && oldSize < newSize ? await consistencyProofFromStore(store, oldSize, newSize) : []
            next = witnessCheckpoint(state, note, proof, cosigner, Math.floor(Date.now() / 1000))
          } catch (err) {
            if (!isLedgerError(err)) throw err
            throw new CliError(EXIT.FAILED, `refused to cosign (${err.code}): ${err.message}; state unchanged`, { cause: err })
          }
          const newSize = sizeOf(next.state.last, logKey)
          // tlog-witness: the state is durable before the cosignature is released.
          await writeWitnessState(opts.state, next.state, newSize, new Date())
          checkCosignedVersion(note, next.cosigned, verifierFromKey(logKey))
          await store.writeCheckpoint({ size: newSize, text: next.cosigned })
          return { origin: state.origin, size: newSize, previousSize: oldSize, witness: cosigner.name, cosigned: next.cosigned }
        },
        { write: true },
      )
      if (opts.json) return jsonLine(done)
      const since = done.previousSize === 0 ? 'first cosignature for this log' : `consistent with size ${done.previousSize}, cosigned before`
      await line(`Cosigned ${done.origin} at size ${done.size} as ${done.witness} (${since}); state saved to ${opts.state}`)
    })
}

/** The `witness` command with its `keygen` and `cosign` subcommands. */
export function witnessCommand(): Command {
  return new Command('witness').description('witness a log: keep its last checkpoint, cosign only consistent newer ones').addCommand(keygenSub()).addCommand(cosignSub())
}
