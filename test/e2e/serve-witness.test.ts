/**
 * The witness behind `liuhen serve --witness-signer --witness-state`: C2SP tlog-witness's
 * add-checkpoint, with its statuses (409 naming the size it last cosigned, 422 for a bad proof,
 * 403 for another key's checkpoint, 404 for another log), its state kept across a restart, and
 * the cosignature published with the ledger's checkpoint, which `verify --witness` then checks.
 */
import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fromHex, generateSignerKey, signCheckpoint, signerFromKey, toBase64 } from '@liuhen/core'
import { liuhenAsync } from '../support/child-runs.js'
import { startServe } from '../support/serve-process.js'
import { ensureBuilt, expectRun, SAMPLE, tempDir } from './helpers.js'

const lines = readFileSync(SAMPLE, 'utf8').trim().split('\n')
const children: ChildProcess[] = []

async function serve(args: string[]): Promise<string> {
  const { child, url } = await startServe([...args, '--listen', '127.0.0.1:0'])
  children.push(child)
  return url
}

const stop = async (): Promise<void> => {
  const child = children.pop() as ChildProcess
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
}

afterAll(() => {
  for (const c of children) c.kill('SIGKILL')
})

const addCheckpoint = (url: string, old: number, proof: string[], note: string) =>
  fetch(`${url}v1/witness/add-checkpoint`, { method: 'POST', body: `old ${old}\n${proof.map((h) => `${toBase64(fromHex(h))}\n`).join('')}\n${note}` })

describe('the witness behind liuhen serve', () => {
  it('cosigns consistent checkpoints of its own log, answers tlog-witness statuses, and publishes the cosignature', { timeout: 60_000 }, async () => {
    ensureBuilt()
    const base = tempDir()
    const dir = join(base, 'l')
    const vkey = expectRun(['init', dir, '--origin', 'witnessed.liuhen.example/audit'], 0).stdout.trim()
    expectRun(['append', dir, SAMPLE], 0)
    const wvkey = expectRun(['witness', 'keygen', '--name', 'witness.liuhen.example/w1', '--out', join(base, 'w.key')], 0).stdout.trim()
    const witness = ['--witness-signer', join(base, 'w.key'), '--witness-state', join(base, 'w.state')]
    const writer = expectRun(['token', 'add', dir, '--name', 'gw', '--role', 'writer', '--dept', JSON.parse(lines[0] as string).actor.dept], 0).stdout.trim()
    let url = await serve([dir, ...witness])

    const first = await (await fetch(`${url}checkpoint`)).text()
    const size1 = Number(first.split('\n')[1])
    const cosigned = await addCheckpoint(url, 0, [], first)
    expect(cosigned.status).toBe(200)
    expect(await cosigned.text()).toMatch(/^— witness\.liuhen\.example\/w1 \S+\n$/)
    expect(await (await fetch(`${url}checkpoint`)).text()).toContain('— witness.liuhen.example/w1 ')

    // The log grows: the witness wants a proof from the size it cosigned, and says which.
    const more = lines.slice(0, 3).map((l, i) => JSON.stringify({ ...JSON.parse(l), id: `grown-${i}` }))
    expect((await fetch(`${url}v1/events`, { method: 'POST', body: more.join('\n'), headers: { authorization: `Bearer ${writer}` } })).status).toBe(200)
    const second = await (await fetch(`${url}checkpoint`)).text()
    const stale = await addCheckpoint(url, 0, [], second)
    expect(stale.status).toBe(409)
    expect(stale.headers.get('content-type')).toContain('text/x.tlog.size')
    expect(await stale.text()).toBe(`${size1}\n`)
    const { proof } = (await (await fetch(`${url}v1/proof/consistency?size1=${size1}`)).json()) as { proof: string[] }
    const wrong = [...proof]
    wrong[0] = '00'.repeat(32)
    expect((await addCheckpoint(url, size1, wrong, second)).status).toBe(422)
    const foreign = signCheckpoint(
      { origin: 'witnessed.liuhen.example/audit', size: 1, root: new Uint8Array(32), extensions: [] },
      signerFromKey(generateSignerKey('witnessed.liuhen.example/audit').skey),
    )
    expect((await addCheckpoint(url, size1, [], foreign)).status).toBe(403)
    const otherLog = signCheckpoint({ origin: 'other.example/log', size: 1, root: new Uint8Array(32), extensions: [] }, signerFromKey(generateSignerKey('other.example/log').skey))
    expect((await addCheckpoint(url, size1, [], otherLog)).status).toBe(404)

    // Its state survives a restart: the proof from the size it cosigned is still what it wants.
    await stop()
    url = await serve([dir, ...witness])
    expect((await addCheckpoint(url, size1, proof, second)).status).toBe(200)
    const { stdout } = await liuhenAsync(['verify', url, '--key', vkey, '--witness', wvkey, '--json'])
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, witnesses: { valid: 1, quorum: 1 } })
    await stop()
  })
})
