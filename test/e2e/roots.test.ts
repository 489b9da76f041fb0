/**
 * A few thousand events through the CLI, checked byte for byte against an independent RFC 9162
 * computation (helpers.ts: node:crypto SHA-256, naive recursive MTH, PATH and SUBPROOF): the root
 * signed at every commit, inclusion proofs at several tree sizes and consistency proofs, on a
 * ledger of each format; format 2's log read by the independent tlog-tiles reader as well.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { checkpointRoot, ensureBuilt, hex, jsonLines, leafHash, liuhen, NaiveTree, tempDir } from './helpers.js'
import { verifyLog } from '../support/tlog-tiles-reader.mjs'

const COUNT = 3000
const BATCH = 700

/** Valid events of a few types; accesses reference grants, so entries carry resolved refs. */
function events(): string {
  const lines: string[] = []
  for (let i = 0; i < COUNT; i++) {
    const at = new Date(Date.UTC(2026, 2, 2, 1, 0, i)).toISOString().replace('.000Z', 'Z')
    if (i % 10 === 0) {
      lines.push(
        JSON.stringify({
          id: `grant-${i}`,
          type: 'grant.issued',
          at,
          actor: { dept: 'district.public-security', person: 'p-3002' },
          refs: { request: `req-${i}`, reply: `rep-${i}` },
          data: {
            grantee: 'district.civil-affairs',
            resource: 'res.police.household',
            items: ['name'],
            purpose: 'dibao-check',
            validFrom: '2026-01-01T00:00:00Z',
            validUntil: '2026-12-31T00:00:00Z',
            storage: 'none',
          },
        }),
      )
    } else {
      const digest = hex(leafHash(Buffer.from(`record ${i}`)))
      lines.push(
        JSON.stringify({
          id: `acc-${i}`,
          type: 'access.performed',
          at,
          actor: { dept: 'district.civil-affairs', person: `p-${1000 + (i % 7)}` },
          refs: { grant: `grant-${i - (i % 10)}` },
          data: { resource: 'res.police.household', items: ['name'], rows: 1, purpose: 'dibao-check', storage: 'none', outcome: 'success', recordDigests: [digest], resultDigest: digest },
        }),
      )
    }
  }
  return `${lines.join('\n')}\n`
}

/** A ledger of each format, the commits `append` reported, and the tree of its exported entries. */
const made = new Map<'1' | '2', { ledger: string; commits: { size: number; first: number; last: number; checkpoint: string }[]; tree: NaiveTree }>()

beforeAll(() => {
  ensureBuilt()
  const input = events()
  for (const format of ['1', '2'] as const) {
    const ledger = join(tempDir(), 'big')
    expect(liuhen(['init', ledger, '--format', format]).code).toBe(0)
    const r = liuhen(['append', ledger, '--json', '--batch', String(BATCH)], input)
    expect(r.code, r.stderr).toBe(0)
    const exported = jsonLines(liuhen(['export', ledger]).stdout)
    made.set(format, { ledger, commits: jsonLines(r.stdout), tree: new NaiveTree(exported.map((x) => leafHash(Buffer.from(x.entry, 'base64')))) })
  }
}, 360_000)

describe.each(['1', '2'] as const)(`${COUNT} events through the CLI against an independent RFC 9162 tree, format %s`, { timeout: 120_000 }, (format) => {
  let ledger: string
  let commits: { size: number; first: number; last: number; checkpoint: string }[]
  let tree: NaiveTree
  beforeAll(() => {
    ;({ ledger, commits, tree } = made.get(format) as NonNullable<ReturnType<typeof made.get>>)
  })

  it('commits in batches and signs the independently computed root at every size', () => {
    expect(commits.map((c) => c.size)).toEqual([700, 1400, 2100, 2800, 3000])
    expect(tree.leaves).toHaveLength(COUNT)
    for (const c of commits) {
      expect(c.last - c.first + 1).toBe(c.size === 3000 ? 200 : BATCH)
      expect(checkpointRoot(c.checkpoint)).toEqual({ size: c.size, root: hex(tree.mth(0, c.size)) })
    }
  })

  it('gives inclusion proofs equal to RFC 9162 PATH at several sizes', () => {
    const cases: [number, number][] = [
      [0, 1],
      [0, 3000],
      [2999, 3000],
      [699, 700],
      [700, 1400],
      [1234, 2100],
      [255, 256],
      [256, 2800],
      [1023, 3000],
      [1500, 1501],
    ]
    for (const [index, size] of cases) {
      const r = liuhen(['prove', 'inclusion', ledger, String(index), '--size', String(size), '--json'])
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toEqual({ index, size, leafHash: hex(tree.leaves[index] as Buffer), proof: tree.inclusion(index, size), root: hex(tree.mth(0, size)) })
    }
  })

  it('gives consistency proofs equal to RFC 9162 SUBPROOF', () => {
    const cases: [number, number][] = [
      [1, 3000],
      [700, 1400],
      [700, 3000],
      [1400, 2100],
      [2800, 3000],
      [256, 2048],
      [1023, 1024],
      [3000, 3000],
      [5, 2999],
    ]
    for (const [size1, size2] of cases) {
      const r = liuhen(['prove', 'consistency', ledger, String(size1), String(size2), '--json'])
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toEqual({ size1, size2, proof: tree.consistency(size1, size2), root1: hex(tree.mth(0, size1)), root2: hex(tree.mth(0, size2)) })
    }
  })

  it('verifies the whole ledger', () => {
    const r = liuhen(['verify', ledger])
    expect(r.code, r.stdout).toBe(0)
    // Format 1 keeps the checkpoint of every commit; format 2's log, its latest.
    expect(r.stdout).toContain(`\n3,000/3,000 entries valid\n${format === '1' ? '5/5' : '1/1'} checkpoints consistent\n`)
  })

  it.runIf(format === '2')('serves a log the independent tlog-tiles reader verifies: the same entries and root', async () => {
    const { checkpoint, entries } = await verifyLog(join(ledger, 'log'), readFileSync(join(ledger, 'ledger.vkey'), 'utf8').trim())
    expect(checkpoint.size).toBe(COUNT)
    expect(hex(checkpoint.root)).toBe(hex(tree.mth()))
    expect(entries.map((e) => hex(leafHash(e)))).toEqual(tree.leaves.map(hex))
  })
})
