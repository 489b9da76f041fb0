/**
 * `liuhen serve` as platform services and auditors meet it: a real server process on loopback,
 * concurrent writers with their own tokens, refusals that write nothing (forged department, no
 * token, bad event, oversized body), the log it serves verified by the independent tlog-tiles
 * reader and by `liuhen verify URL`, proofs, and SIGTERM draining the appends in flight.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromHex, openCheckpoint, verifierFromKey, verifyInclusion } from '@liuhen/core'
import { verifyLog } from '../support/tlog-tiles-reader.mjs'
import { liuhenAsync } from '../support/child-runs.js'
import { startServe, type ServeProcess } from '../support/serve-process.js'
import { BIN, ensureBuilt, expectRun, leafHash, ROOT, SAMPLE, tempDir } from './helpers.js'

const lines = readFileSync(SAMPLE, 'utf8').trim().split('\n')
const deptOf = (line: string): string => (JSON.parse(line) as { actor: { dept: string } }).actor.dept
const depts = [...new Set(lines.map(deptOf))]

/** Starts `liuhen serve dir` on a free loopback port. */
const serve = (dir: string, extra: string[] = []): Promise<ServeProcess> => startServe([dir, '--listen', '127.0.0.1:0', ...extra])

const post = (url: string, token: string | undefined, body: string, type = 'application/x-ndjson') =>
  fetch(`${url}v1/events`, { method: 'POST', body, headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) } })

const size = async (url: string): Promise<number> => ((await (await fetch(`${url}healthz`)).json()) as { size: number }).size

let dir: string
let vkey: string
let writer: string
let clerk: string
let auditor: string
let server: ServeProcess

beforeAll(async () => {
  ensureBuilt()
  dir = join(tempDir(), 'l')
  vkey = expectRun(['init', dir, '--origin', 'serve.liuhen.example/audit'], 0).stdout.trim()
  writer = expectRun(['token', 'add', dir, '--name', 'gateway', '--role', 'writer', '--dept', ...depts], 0).stdout.trim()
  clerk = expectRun(['token', 'add', dir, '--name', 'civil-affairs', '--role', 'writer', '--dept', 'district.civil-affairs'], 0).stdout.trim()
  auditor = expectRun(['token', 'add', dir, '--name', 'inspector', '--role', 'auditor'], 0).stdout.trim()
  server = await serve(dir)
})

afterAll(() => {
  server?.child.kill('SIGKILL')
})

describe('liuhen serve', () => {
  it('lists tokens without their secrets', () => {
    const listed = expectRun(['token', 'list', dir, '--json'], 0).stdout
    expect(listed).toContain('"gateway"')
    expect(listed).not.toContain(writer)
    expect(readFileSync(join(dir, 'tokens.json'), 'utf8')).not.toContain(writer)
  })

  it('refuses, writing nothing: no token, an unknown one, an auditor, a forged department, a bad event', async () => {
    const event = lines.find((l) => deptOf(l) !== 'district.civil-affairs') as string
    expect((await post(server.url, undefined, event)).status).toBe(401)
    expect((await post(server.url, 'lhk_not-a-token', event)).status).toBe(401)
    expect((await post(server.url, auditor, event)).status).toBe(403)
    const forged = await post(server.url, clerk, event)
    expect(forged.status).toBe(403)
    expect(await forged.json()).toMatchObject({ error: { code: 'AUTH_FORBIDDEN', position: 0, path: 'actor.dept' } })
    const bad = JSON.stringify({ ...JSON.parse(lines[0] as string), id: 'bad-1', type: 'no.such-type' })
    const refused = await post(server.url, writer, `${lines[0]}\n${bad}\n`)
    expect(refused.status).toBe(400)
    expect(await refused.json()).toMatchObject({ error: { position: 1 } })
    expect(await size(server.url)).toBe(0)
  })

  it('appends from concurrent writers in shared commits, durable when answered, idempotent when resent', async () => {
    const mine = lines.filter((l) => deptOf(l) === 'district.civil-affairs')
    // Events refer to earlier ones: the gateway sends the log in order, one request per 10 lines,
    // while the clerk resends its department's events (already sent by the gateway or not).
    const answers: { receipts: { id: string; index: number }[] }[] = []
    for (let i = 0; i < lines.length; i += 10) {
      const [a] = await Promise.all([post(server.url, writer, lines.slice(i, i + 10).join('\n')), post(server.url, clerk, JSON.stringify(mine.slice(0, 3)), 'application/json')])
      expect(a.status).toBe(200)
      answers.push((await a.json()) as { receipts: { id: string; index: number }[] })
    }
    const receipts = answers.flatMap((a) => a.receipts)
    expect(receipts.map((r) => r.index)).toEqual([...lines.keys()])
    expect(await size(server.url)).toBe(lines.length)
    const again = await post(server.url, writer, lines.slice(0, 5).join('\n'))
    expect(((await again.json()) as { receipts: { index: number }[] }).receipts.map((r) => r.index)).toEqual([0, 1, 2, 3, 4])
    expect(await size(server.url)).toBe(lines.length)
  })

  it('serves a tlog-tiles log that a reader written from the specs verifies, and liuhen verify URL passes', async () => {
    const { checkpoint } = await verifyLog(server.url, vkey)
    expect(checkpoint.size).toBe(lines.length)
    const tile = await fetch(`${server.url}tile/entries/000.p/${lines.length}`)
    expect(tile.headers.get('cache-control')).toContain('immutable')
    expect((await fetch(`${server.url}checkpoint`)).headers.get('cache-control')).toBe('no-cache')
    expect((await fetch(`${server.url}tile/0/999`)).status).toBe(404)
    const { stdout } = await liuhenAsync(['verify', server.url, '--key', vkey, '--json'])
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, size: lines.length })
  })

  it('serves inclusion proofs that verify against its checkpoint', async () => {
    const note = await (await fetch(`${server.url}checkpoint`)).text()
    const { checkpoint } = openCheckpoint(note, verifierFromKey(vkey))
    const p = (await (await fetch(`${server.url}v1/proof/inclusion?index=7&size=${checkpoint.size}`)).json()) as { leafHash: string; proof: string[] }
    verifyInclusion(7, checkpoint.size, fromHex(p.leafHash), p.proof.map(fromHex), checkpoint.root)
    expect((await fetch(`${server.url}v1/proof/inclusion?index=${checkpoint.size}`)).status).toBe(400)
  })

  it('streams every entry exactly once across a reconnect, each commit closed by its checkpoint', async () => {
    const seen: number[] = []
    const checkpoints: number[] = []
    const follow = async (headers: Record<string, string>, stopAfter: number): Promise<void> => {
      const stop = new AbortController()
      const res = await fetch(`${server.url}v1/events?from=0`, { headers, signal: stop.signal })
      expect(res.headers.get('content-type')).toContain('text/event-stream')
      const reader = (res.body as ReadableStream<Uint8Array>).getReader()
      let text = ''
      try {
        while (seen.length < stopAfter) {
          const { value, done } = await reader.read()
          if (done) break
          text += Buffer.from(value).toString('utf8')
          for (let cut = text.indexOf('\n\n'); cut >= 0; cut = text.indexOf('\n\n')) {
            const block = text.slice(0, cut)
            text = text.slice(cut + 2)
            const data = /^data: (.*)$/m.exec(block)?.[1]
            if (!data) continue
            const value = JSON.parse(data) as { index?: number; entry?: string; leafHash?: string; size?: number }
            if (/^event: checkpoint$/m.test(block)) checkpoints.push(value.size as number)
            else {
              expect(leafHash(Buffer.from(value.entry as string, 'base64')).toString('hex')).toBe(value.leafHash)
              seen.push(value.index as number)
            }
          }
        }
      } finally {
        stop.abort()
      }
    }
    const before = await size(server.url)
    await follow({}, 50)
    // Reconnect where the first stream left off, and append more while following.
    const extra = Array.from({ length: 30 }, (_, i) => JSON.stringify({ ...JSON.parse(lines[0] as string), id: `live-${i}` }))
    const more = post(server.url, writer, extra.join('\n'))
    await follow({ 'last-event-id': String(seen.at(-1)) }, before + 30)
    expect((await more).status).toBe(200)
    expect(seen).toEqual([...Array(before + 30).keys()])
    expect(checkpoints.at(-1)).toBe(before + 30)
    expect(checkpoints.every((c, i) => i === 0 || c >= (checkpoints[i - 1] as number))).toBe(true)
  })

  it("answers the auditors' questions with the CLI's shapes, each recorded as an audit.queried event first", async () => {
    const ask = (path: string, token: string | null = auditor) => fetch(`${server.url}v1/${path}`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } })
    expect((await ask('stats', null)).status).toBe(401)
    expect((await ask('stats', writer)).status).toBe(403)
    const before = await size(server.url)
    const chain = await ask('chain/acc-2026-000007')
    expect(chain.status).toBe(200)
    const served = (await chain.json()) as { ok: boolean; chain: unknown[]; parties: unknown }
    expect(served.ok).toBe(true)
    const resource = (JSON.parse(lines.find((l) => l.includes('"access.performed"')) as string) as { data: { resource: string } }).data.resource
    const query = (await (await ask(`query?resource=${encodeURIComponent(resource)}`)).json()) as { accesses: unknown[] }
    expect((await ask('findings?code=ACCESS_NO_GRANT')).status).toBe(200)
    expect((await ask('findings?code=NO_SUCH_CODE')).status).toBe(400)
    expect((await ask('stats')).status).toBe(200)
    expect((await ask('chain/no-such-event')).status).toBe(404)
    // chain, query, findings and stats: four questions answered, four records.
    expect(await size(server.url)).toBe(before + 4)
    // The command line, once the server has let go of the indexes, answers the same.
    server.child.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)
    const local = JSON.parse(expectRun(['chain', dir, 'acc-2026-000007', '--json'], 0).stdout) as { chain: unknown[]; parties: unknown }
    expect(served.chain).toEqual(local.chain)
    expect(served.parties).toEqual(local.parties)
    expect(query.accesses).toEqual((JSON.parse(expectRun(['query', dir, '--resource', resource, '--json'], 0).stdout) as { accesses: unknown[] }).accesses)
    const tail = expectRun(['tail', dir, '--from', String(before)], 0)
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: { type: string; actor: { person: string }; data: { command: string } } })
    expect(tail.map((e) => [e.event.type, e.event.actor.person, e.event.data.command])).toEqual(['chain', 'query', 'findings', 'stats'].map((c) => ['audit.queried', 'inspector', c]))
    server = await serve(dir)
  })

  it('asks the served ledger from the command line: chain (every link proven here), query, findings, stats', async () => {
    const run = (args: string[], env: Record<string, string>) => liuhenAsync(args, '', env)
    const as = { LIUHEN_TOKEN: auditor }
    const before = await size(server.url)
    const chain = await run(['chain', server.url, 'acc-2026-000007', '--key', vkey, '--json'], as)
    expect(chain.code, chain.stderr).toBe(0)
    // Checked against the checkpoint that already holds the question's own record.
    expect(JSON.parse(chain.stdout)).toMatchObject({ ok: true, checkpoint: { size: before + 1 } })
    expect((await run(['chain', server.url, 'acc-2026-000007', '--key', vkey], as)).stdout).toMatch(/Result: VERIFIED/)
    expect((await run(['chain', server.url, 'acc-2026-000007'], as)).code).toBe(2) // no key
    expect((await run(['chain', server.url, 'acc-2026-000007', '--key', vkey], { LIUHEN_TOKEN: '' })).code).toBe(2) // no token
    expect((await run(['chain', server.url, 'no-such-event', '--key', vkey], as)).code).toBe(2)
    const resource = (JSON.parse(lines.find((l) => l.includes('"access.performed"')) as string) as { data: { resource: string } }).data.resource
    const query = await run(['query', server.url, '--resource', resource, '--json'], as)
    expect(query.code, query.stderr).toBe(0)
    expect((JSON.parse(query.stdout) as { accesses: unknown[] }).accesses.length).toBeGreaterThan(0)
    const findings = await run(['findings', server.url, '--json'], as)
    expect([0, 1]).toContain(findings.code)
    expect(JSON.parse(findings.stdout)).toHaveProperty('findings')
    expect((await run(['stats', server.url, '--json'], as)).code).toBe(0)
    expect((await run(['stats', server.url], { LIUHEN_TOKEN: writer })).code).toBe(2) // a writer's token: 403, refused
    // Each question the service answered is on its record.
    expect(await size(server.url)).toBe(before + 5)
  })

  it('tails the served log verified, as the local tail prints it, and follows new entries', async () => {
    const local = expectRun(['tail', dir], 0).stdout
    const { stdout } = await liuhenAsync(['tail', server.url, '--key', vkey])
    expect(stdout).toBe(local)
    const now = await size(server.url)
    const tail = spawn(process.execPath, [BIN, 'tail', server.url, '--key', vkey, '--follow', '--from', String(now)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = new Promise<number | null>((resolve) => tail.on('exit', resolve))
    let out = ''
    tail.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const fresh = Array.from({ length: 5 }, (_, i) => JSON.stringify({ ...JSON.parse(lines[0] as string), id: `followed-${i}` }))
    expect((await post(server.url, writer, fresh.join('\n'))).status).toBe(200)
    for (let waited = 0; out.trim().split('\n').filter(Boolean).length < 5 && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50))
    tail.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(
      out
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { index: number; event: { id: string } }).event.id),
    ).toEqual(fresh.map((l) => (JSON.parse(l) as { id: string }).id))
  })

  it('refuses a body over its cap with 413, and drains appends in flight on SIGTERM (exit 0)', async () => {
    const small = await serve(join(tempDir(), 'x'), ['--max-body', '1000']).catch((err: Error) => err)
    expect(small).toBeInstanceOf(Error) // no ledger there
    server.child.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)
    server = await serve(dir, ['--max-body', '2000'])
    const big = await post(server.url, writer, lines.slice(0, 40).join('\n'))
    expect(big.status).toBe(413)
    const event = (i: number) => JSON.stringify({ ...JSON.parse(lines[0] as string), id: `late-${i}` })
    // A follower that never reads must not keep the server from stopping.
    const follower = await fetch(`${server.url}v1/events?from=0`)
    expect(follower.status).toBe(200)
    const inFlight = Array.from({ length: 20 }, (_, i) =>
      post(server.url, writer, event(i)).then(
        (r) => r.status,
        () => 0,
      ),
    )
    await new Promise((r) => setTimeout(r, 20))
    server.child.kill('SIGTERM')
    const statuses = await Promise.all(inFlight)
    expect((await server.exited).code).toBe(0)
    const acknowledged = statuses.filter((s) => s === 200).length
    server = await serve(dir)
    expect(await size(server.url)).toBeGreaterThanOrEqual(lines.length + acknowledged)
    expect(statuses.every((s) => s === 200 || s === 503 || s === 0)).toBe(true)
  })
})
