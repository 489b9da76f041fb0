export { LevelStore, type LevelStoreOptions } from './level-store.js'
export { LevelIndexStore, type LevelIndexStoreOptions } from './level-index-store.js'
