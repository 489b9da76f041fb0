// Types of tlog-tiles-reader.mjs, for the TypeScript tests that use it.
import type { ReaderCheckpoint } from './c2sp-checkpoint.mjs'

export type { ReaderCheckpoint }
export interface ReaderOptions {
  /** The checkpoint's expected origin; default: the verifier key's name. */
  origin?: string
  timeoutMs?: number
}
export interface OpenedLog {
  checkpoint: ReaderCheckpoint
  /** Number of tile levels of the checkpoint's tree. */
  levels: number
  readTile(level: number, index: number): Promise<Buffer[]>
  readEntries(from: number, to: number): Promise<Buffer[]>
}
export function tileIndexPath(index: number): string
export function tileName(level: number | 'entries', index: number, width?: number): string
export function leafHash(entry: Uint8Array): Buffer
export function merkleTreeHash(hashes: readonly Uint8Array[]): Buffer
export function openLog(source: string, vkeyText: string, options?: ReaderOptions): Promise<OpenedLog>
export function verifyLog(source: string, vkeyText: string, options?: ReaderOptions): Promise<{ checkpoint: ReaderCheckpoint; entries: Buffer[] }>
