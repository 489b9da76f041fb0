/**
 * The reader on a log it did not write: Tessera's 15-entry test log (test/vectors/tessera-testdata-log,
 * provenance in its README), read as a client reads a tlog-tiles log and checked against its
 * signed checkpoint.
 */
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { hashChildren, hashLeaf, openCheckpoint, parseEntryBundle, planRoot, verifierFromKey } from '@liuhen/core'
import { FileLogReader } from '../src/index.js'

const LOG = fileURLToPath(new URL('../../../test/vectors/tessera-testdata-log/log', import.meta.url))
const VKEY = 'example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx'
const WORDS = 'one two three four five six seven eit nain ten ileven twelf threeten fourten fivten'.split(' ')

describe("FileLogReader on Tessera's test log", () => {
  it('reads the checkpoint, the entry bundle and the tile it names, which agree with its root', async () => {
    const reader = new FileLogReader(LOG)
    const published = await reader.readCheckpoint()
    expect(published?.size).toBe(15)
    const { checkpoint } = openCheckpoint(published?.text ?? '', verifierFromKey(VKEY))
    const entries = parseEntryBundle((await reader.readEntryBundle(0, 15)) ?? new Uint8Array(0), 15)
    expect(entries.map((e) => new TextDecoder().decode(e))).toEqual(WORDS)
    const leaves = entries.map(hashLeaf)
    const tile = (await reader.readTile(0, 0, 15)) ?? new Uint8Array(0)
    expect(tile).toEqual(new Uint8Array(Buffer.concat(leaves)))
    const plan = planRoot(15)
    const nodes = plan.ids.map((id) => {
      // Each node of the root's plan, hashed up from the tile's leaves.
      let level = leaves.slice(id.index * 2 ** id.level, (id.index + 1) * 2 ** id.level)
      while (level.length > 1) level = level.flatMap((h, i) => (i % 2 ? [] : [hashChildren(h, level[i + 1] as Uint8Array)]))
      return level[0] as Uint8Array
    })
    expect(plan.build(nodes)[0]).toEqual(checkpoint.root)
    // Past the checkpoint nothing is served; the prefixes Tessera's copy left out are not there.
    expect(await reader.readTile(0, 0, 16)).toBeUndefined()
    expect(await reader.readEntryBundle(0, 3)).toBeUndefined()
  })
})
