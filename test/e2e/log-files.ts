/**
 * Damage to a format-2 ledger's files for the end-to-end tests, done as a damaged disk or a hand
 * would: straight on the tlog-tiles files under `<ledger>/log/` (FORMAT.md), with paths computed by
 * the independent reader (test/support/tlog-tiles-reader.mjs), never by Liuhen's own code.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tileName } from '../support/tlog-tiles-reader.mjs'
import { flipBits } from '../support/bytes.js'

const WIDTH = 256

/** Size of the log's published checkpoint (`<ledger>/log/checkpoint`, its second line). */
export function publishedSize(ledger: string): number {
  return Number(readFileSync(join(ledger, 'log', 'checkpoint'), 'utf8').split('\n')[1])
}

/**
 * The tile (`level` a number) or entry bundle (`level` 'entries') file that holds leaf `index`'s
 * data at the published size: the one a reader of that checkpoint reads.
 */
export function tileFile(ledger: string, level: number | 'entries', index: number): string {
  const size = publishedSize(ledger)
  const perTile = WIDTH ** ((level === 'entries' ? 0 : level) + 1)
  const tile = Math.floor(index / perTile)
  const width = Math.min(WIDTH, Math.floor(size / (perTile / WIDTH)) - tile * WIDTH)
  return join(ledger, 'log', tileName(level, tile, width))
}

/** Where entry `index` sits in its entry bundle: the file, and the offset and length of its bytes. */
export function entryInBundle(ledger: string, index: number): { file: string; offset: number; length: number } {
  const file = tileFile(ledger, 'entries', index)
  const bytes = readFileSync(file)
  let at = 0
  for (let i = 0; i < index % WIDTH; i++) at += 2 + bytes.readUInt16BE(at)
  return { file, offset: at + 2, length: bytes.readUInt16BE(at) }
}

/** Flips one bit in the middle of the stored bytes of entry `index` (the bundle keeps its length). */
export function flipEntryByte(ledger: string, index: number): void {
  const { file, offset, length } = entryInBundle(ledger, index)
  const bytes = readFileSync(file)
  flipBits(bytes, offset + Math.floor(length / 2))
  writeFileSync(file, bytes)
}
