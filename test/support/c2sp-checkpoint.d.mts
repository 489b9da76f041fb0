// Types of c2sp-checkpoint.mjs, for the TypeScript tests that use it.
import type { KeyObject } from 'node:crypto'

export interface ReaderCheckpoint {
  origin: string
  size: number
  root: Buffer
  extensions: string[]
}
export const MAX_NOTE_BYTES: number
export const MAX_SIGNATURES: number
export function parseVkey(vkeyText: string): { name: string; keyId: number; key: KeyObject }
export function openSignedNote(note: string | Uint8Array, vkeyText: string): string
export function parseCheckpointText(body: string): ReaderCheckpoint
export function verifyCheckpoint(note: string | Uint8Array, vkeyText: string, options?: { origin?: string }): ReaderCheckpoint
