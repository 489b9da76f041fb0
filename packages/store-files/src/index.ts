export { FileLogReader } from './file-log-reader.js'
export { FileLogStore, type FileLogStoreOptions } from './file-log-store.js'
