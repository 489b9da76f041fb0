import type { LogCommit, ReadableLogStore, StoredCheckpoint } from '@liuhen/core'

export declare function entryBytes(i: number): Uint8Array
export declare class LogBuilder {
  constructor(skey: string | undefined, origin: string)
  static resumed(skey: string, origin: string, size: number): LogBuilder
  readonly size: number
  push(bytes: Uint8Array): void
  root(size?: number): Uint8Array
  checkpoint(size?: number): StoredCheckpoint
  tile(level: number, index: number, width: number): Uint8Array
  commit(count: number): LogCommit
}
export declare function checkLog(reader: ReadableLogStore, vkey: string): Promise<number>
