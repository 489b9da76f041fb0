export { HttpLogReader, type HttpLogReaderOptions } from './http-log-reader.js'
