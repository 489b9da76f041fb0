/**
 * `liuhen verify URL --key VKEY`: an auditor on another machine audits a ledger's log as a static
 * web server publishes it (here a plain file server over `<ledger>/log/`, as nginx would be),
 * and the command names the first bad index when a served file was changed. The server runs in
 * this process, so the CLI runs asynchronously.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { liuhenAsync } from '../support/child-runs.js'
import { serveFolder, type LogServer } from '../support/log-server.js'
import { ensureBuilt, expectRun, SAMPLE, tempDir } from './helpers.js'

const run = (args: string[]) => liuhenAsync(args)

let dir: string
let vkey: string
const servers: LogServer[] = []

beforeAll(() => {
  ensureBuilt()
  dir = join(tempDir(), 'l')
  vkey = expectRun(['init', dir, '--origin', 'remote.liuhen.example/audit'], 0).stdout.trim().split('\n').at(-1) as string
  expectRun(['append', dir, SAMPLE], 0)
})

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
})

describe('liuhen verify of a published log', () => {
  it('audits it in full from its tiles and entry bundles, with the key pinned', async () => {
    const server = await serveFolder(join(dir, 'log'))
    servers.push(server)
    const local = expectRun(['verify', dir, '--json'], 0)
    const remote = await run(['verify', server.url, '--key', vkey, '--json'])
    expect(remote.code, remote.stderr).toBe(0)
    const [a, b] = [JSON.parse(local.stdout), JSON.parse(remote.stdout)]
    expect(b).toMatchObject({ ok: true, size: a.size, root: a.root, key: { vkey, pinned: true } })
    expect(server.requests).toContain('checkpoint')
    expect(server.requests.some((p) => p.startsWith('tile/entries/'))).toBe(true)
  })

  it('prints the checkpoint, proofs and entries of the published log as of the directory, checked with the key', async () => {
    const server = await serveFolder(join(dir, 'log'))
    servers.push(server)
    // Each command as run on the directory, and on the URL with the key: the same output.
    const cases: ((target: string) => string[])[] = [(t) => ['checkpoint', t], (t) => ['prove', 'inclusion', t, '5', '--json'], (t) => ['prove', 'consistency', t, '3', '--json'], (t) => ['export', t]]
    for (const args of cases) {
      const local = expectRun(args(dir), 0).stdout
      const remote = await run([...args(server.url), '--key', vkey])
      expect(remote.code, remote.stderr).toBe(0)
      expect(remote.stdout).toBe(local)
    }
    const other = expectRun(['init', join(tempDir(), 'o'), '--origin', 'remote.liuhen.example/audit'], 0).stdout.trim()
    expect((await run(['checkpoint', server.url, '--key', other])).code).toBe(1)
    expect((await run(['checkpoint', server.url])).code).toBe(2)
  })

  it('exits 1 naming the first bad index when the server changes an entry', async () => {
    const server = await serveFolder(join(dir, 'log'), (path, _req, res) => {
      if (!path.startsWith('tile/entries/000')) return false // the first bundle, full or partial
      const bytes = readFileSync(join(dir, 'log', path))
      bytes.writeUInt8(bytes.readUInt8(40) ^ 1, 40) // inside entry 0
      res.writeHead(200).end(bytes)
      return true
    })
    servers.push(server)
    const r = await run(['verify', server.url, '--key', vkey])
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stderr).toMatch(/first bad index 0/)
  })

  it('needs the key (exit 2), and says when the server cannot be reached (exit 3)', async () => {
    const server = await serveFolder(join(dir, 'log'))
    await server.close()
    const noKey = await run(['verify', server.url])
    expect(noKey.code).toBe(2)
    expect(noKey.stderr).toMatch(/needs the log's verifier key/)
    const down = await run(['verify', server.url, '--key', vkey])
    expect(down.code).toBe(3)
    expect(down.stderr).toMatch(/cannot fetch/)
  })
})
