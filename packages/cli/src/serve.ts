/**
 * `liuhen serve`: the ledger of a directory as an HTTP service (`@liuhen/server`), appending with
 * the CLI's event contract and query indexes. It runs until SIGINT or SIGTERM, which stop it
 * taking requests, let the appends in flight reach their commit and be answered, close the
 * ledger, and exit 0.
 */
import { Command } from 'commander'
import { cosignerFromKey, isLedgerError } from '@liuhen/core'
import { logPath } from '@liuhen/ledger'
import { LedgerServer, TokenStore } from '@liuhen/server'
import { CliError, EXIT } from './exit.js'
import { line, parseCount, readArgFile } from './io.js'
import { openLedger } from './open.js'

/** `HOST:PORT` (IPv6 in brackets) as host and port. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text)
  const port = m ? Number(m[3]) : NaN
  if (!m || port > 65535) throw new CliError(EXIT.USAGE, `--listen must be HOST:PORT (e.g. 127.0.0.1:8080), got ${JSON.stringify(text)}`)
  return { host: (m[1] ?? m[2]) as string, port }
}

/** The `serve` command. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the ledger over HTTP: tlog-tiles reads and proofs for anyone, appends for writer tokens (until SIGINT/SIGTERM)')
    .argument('<dir>', 'ledger directory (format 2)')
    .requiredOption('--listen <host:port>', 'address to listen on, e.g. 127.0.0.1:8080 (port 0: any free port, printed)')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate chain (PEM), with --tls-key')
    .option('--tls-key <file>', 'the private key (PEM) of --tls-cert')
    .option('--witness-signer <file>', 'run a witness of this log at /v1/witness/add-checkpoint (C2SP tlog-witness) with this witness key (from `liuhen witness keygen`), with --witness-state')
    .option('--witness-state <file>', "the witness's state file (as `liuhen witness cosign --state` keeps it)")
    .option('--max-body <bytes>', 'largest request body', '33554432')
    .option('--max-pending <n>', 'append requests waiting for a commit at most, past which 503', '4096')
    .action(async (dir: string, opts: { listen: string; maxBody: string; maxPending: string; tlsCert?: string; tlsKey?: string; witnessSigner?: string; witnessState?: string }) => {
      const { host, port } = parseListen(opts.listen)
      if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) throw new CliError(EXIT.USAGE, '--tls-cert and --tls-key go together')
      const tls = opts.tlsCert === undefined ? undefined : { cert: readArgFile('TLS certificate', opts.tlsCert), key: readArgFile('TLS key', opts.tlsKey as string) }
      const maxBodyBytes = parseCount('--max-body', opts.maxBody, 1)
      const maxPending = parseCount('--max-pending', opts.maxPending, 1)
      if ((opts.witnessSigner === undefined) !== (opts.witnessState === undefined)) throw new CliError(EXIT.USAGE, '--witness-signer and --witness-state go together')
      const witness = opts.witnessSigner === undefined ? undefined : { cosigner: cosignerFromKey(readArgFile('witness key', opts.witnessSigner).trim()), stateFile: opts.witnessState as string }
      const tokens = await TokenStore.load(dir)
      const ledger = await openLedger(dir, 'append')
      let server: LedgerServer
      try {
        server = new LedgerServer({ ledger, logDir: logPath(dir), tokens, maxBodyBytes, maxPending, tls, witness })
      } catch (err) {
        await ledger.close()
        if (isLedgerError(err)) throw err // the witness state
        throw new CliError(EXIT.USAGE, `cannot use the TLS certificate and key: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
      }
      let address: { host: string; port: number }
      try {
        address = await server.listen(host, port)
      } catch (err) {
        await ledger.close()
        const code = (err as NodeJS.ErrnoException).code
        throw new CliError(EXIT.RUNTIME, `cannot listen on ${opts.listen}: ${code ?? String(err)}`, { cause: err })
      }
      const shown = address.host.includes(':') ? `[${address.host}]` : address.host
      await line(`Serving ${ledger.origin} (${ledger.size} entries) on ${tls ? 'https' : 'http'}://${shown}:${address.port}/ with ${tokens.list().length} token(s)`)
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', resolve)
        process.once('SIGTERM', resolve)
      })
      // A second signal exits at once: what was acknowledged is durable already.
      process.once(signal, () => process.exit(signal === 'SIGINT' ? EXIT.SIGINT : EXIT.SIGTERM))
      await server.close()
      await ledger.close()
      process.stderr.write(`liuhen: ${signal}: stopped serving; ${ledger.size} entries\n`)
    })
}
