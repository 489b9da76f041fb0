export { LedgerError, isLedgerError, environmentError, type LedgerErrorCode } from './error.js'
export { toHex, fromHex, toBase64, fromBase64, bytesEqual, concatBytes, utf8 } from './bytes.js'
export { LEAF_PREFIX, NODE_PREFIX, HASH_SIZE, EMPTY_ROOT, hashBytes, hashLeaf, hashChildren, sha256Portable } from './hash.js'
export { encodeCanonical, encodeJsonCanonical, JSON_EXPANSION, decodeCanonical, type Encodable } from './encoding.js'
export { MAX_ENTRY_BYTES, MAX_EVENT_JSON_BYTES, MAX_EVENT_DEPTH, MAX_DECODE_DEPTH, MAX_LINE_BYTES, MAX_SHOWN_CHARS } from './limits.js'
export { inlineText, printableText, showText, showValue } from './show.js'
export { parseStrictJson } from './json.js'
export { ENTRY_VERSION, maxEntrySize, encodeEntry, encodeEntryWithEvent, decodeEntry, scanEntry, listRefs, type Entry, type EntryRef, type Event, type JsonValue, type ScannedEntry } from './entry.js'
export * from './store.js'
export { MemoryStore, compareUtf8 } from './memory-store.js'
export type { ReadableLogStore, LogStore, LogCommit } from './log-store.js'
export type { IdRecord, IndexBatch, ReadableIndexStore, IndexStore } from './index-store.js'
export { checkpointSize, checkCheckpointText, planLogCommit, readLogFile, TiledLogReader, type LogFile, type LogFileReader, type LogTip, type PlannedCommit } from './log-files.js'
export { MemoryLog, MemoryLogReader, MemoryLogStore } from './memory-log-store.js'
export { MemoryIndex, MemoryIndexStore } from './memory-index-store.js'
export { tileSpan, hashUp, tilesOfNodes, readNodesFromTiles, readNodesFromTileBatch, readTileBatch, readEntryChunk, type TileNodeId, type TileReader, type TileBatchReader } from './tiles.js'
export { verifyInclusion, rootFromInclusionProof, verifyConsistency, parseInclusionProof, type ParsedInclusionProof, type ProofHashes } from './merkle.js'
export { planInclusion, planConsistency, planRoot, type NodeId, type ProofPlan } from './proof.js'
export { CompactRange } from './compact.js'
export {
  SIG_TYPE_ED25519,
  SIG_TYPE_COSIGNATURE_V1,
  isValidKeyName,
  keyIdOf,
  formatKeyId,
  keyTypeOf,
  generateSignerKey,
  generateCosignerKey,
  signerFromKey,
  cosignerFromKey,
  verifierFromKey,
  verifierFromKeyWith,
  type NoteSigner,
  type NoteVerifier,
  type NoteCosigner,
  vkeyOfSignerKey,
} from './keys.js'
export { MAX_NOTE_SIZE, MAX_NOTE_SIGNATURES, parseNote, formatNote, signNote, openNote, type Note, type NoteSignature } from './note.js'
export { formatCheckpoint, parseCheckpoint, signCheckpoint, openCheckpoint, type Checkpoint } from './checkpoint.js'
export { cosignedMessage, cosignCheckpoint, verifyCosignatures, type VerifiedCosignature } from './cosignature.js'
export { LEDGER_UTC_OFFSET, formatLedgerTime } from './time.js'
export { encodeEntryBundle, entriesPath, entryBundlePrefix, parseEntryBundle, parseTilePath, tileIndexPath, tilePath, tileCountAt, tileWidthAt, type TilePath } from './layout.js'
export { TiledStore, type LedgerStores, type ReadableLedgerStores } from './tiled-store.js'
export { catchUpIndex, type Indexer } from './index-catch-up.js'
export { errorKind, type ErrorKind } from './error-kinds.js'
