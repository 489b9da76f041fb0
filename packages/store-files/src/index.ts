export { FileLogReader } from './file-log-reader.js'
export { FileLogStore } from './file-log-store.js'
