export { LedgerServer, type ServerOptions } from './server.js'
export { TokenStore, tokensPath, TOKENS_FORMAT, type Role, type TokenRecord } from './tokens.js'
export { describeError, HttpError } from './http.js'
export { parseEvents } from './events-body.js'
