export { HttpLogReader, type HttpLogReaderOptions } from './http-log-reader.js'
export { followLog, FollowError, type FollowedEntry, type FollowOptions } from './follower.js'
export { readServerSentEvents, type ServerSentEvent } from './sse.js'
export { LedgerWriter, type AppendResult, type ProvenReceipt, type WriterOptions } from './writer.js'
