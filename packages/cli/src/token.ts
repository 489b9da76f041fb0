/**
 * `liuhen token add|list|revoke`: the bearer tokens of a ledger's service (`<dir>/tokens.json`,
 * only hashes). The secret is printed once, by `add`; a running `liuhen serve` reads the file
 * when it starts.
 */
import { Command } from 'commander'
import { TokenStore, type Role } from '@liuhen/server'
import { CliError, EXIT } from './exit.js'
import { jsonLine, line } from './io.js'
import { formatTable } from './table.js'

function addSub(): Command {
  return new Command('add')
    .description('make a token and print its secret (once: only its hash is kept)')
    .argument('<dir>', 'ledger directory')
    .requiredOption('--name <name>', 'who holds it (a platform service or department)')
    .requiredOption('--role <role>', 'writer (appends events of its departments) or auditor (asks questions)')
    .option('--dept <dept...>', "the departments whose events a writer may append (the events' actor.dept)")
    .option('--json', 'print {name, role, depts, secret}')
    .action(async (dir: string, opts: { name: string; role: string; dept?: string[]; json?: boolean }) => {
      if (opts.role !== 'writer' && opts.role !== 'auditor') throw new CliError(EXIT.USAGE, `--role must be writer or auditor, got ${JSON.stringify(opts.role)}`)
      const store = await TokenStore.load(dir)
      const depts = opts.dept ?? []
      const secret = await store.add(opts.name, opts.role as Role, depts)
      if (opts.json) return jsonLine({ name: opts.name, role: opts.role, depts, secret })
      process.stderr.write(`Token ${opts.name} (${opts.role}${depts.length > 0 ? ` of ${depts.join(', ')}` : ''}) made; its secret, shown only now:\n`)
      await line(secret)
    })
}

function listSub(): Command {
  return new Command('list')
    .description('list the tokens (names, roles, departments; never secrets)')
    .argument('<dir>', 'ledger directory')
    .option('--json', 'print one JSON line per token')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const tokens = (await TokenStore.load(dir)).list()
      if (opts.json) {
        for (const t of tokens) await jsonLine({ name: t.name, role: t.role, depts: t.depts, created: t.created })
        return
      }
      if (tokens.length === 0) return line('No tokens.')
      await line(
        formatTable(
          ['name', 'role', 'departments', 'created'],
          tokens.map((t) => [t.name, t.role, t.depts.join(' '), t.created]),
        ),
      )
    })
}

function revokeSub(): Command {
  return new Command('revoke')
    .description('remove a token (a running server reads tokens when it starts: restart it)')
    .argument('<dir>', 'ledger directory')
    .argument('<name>', 'the token to remove')
    .action(async (dir: string, name: string) => {
      if (!(await (await TokenStore.load(dir)).revoke(name))) throw new CliError(EXIT.USAGE, `no token named ${JSON.stringify(name)}`)
      await line(`Revoked ${name}.`)
    })
}

/** The `token` command with its `add`, `list` and `revoke` subcommands. */
export function tokenCommand(): Command {
  return new Command('token').description("manage the service's bearer tokens").addCommand(addSub()).addCommand(listSub()).addCommand(revokeSub())
}
